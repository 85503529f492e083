ALTER TABLE "member_out_of_office" ADD COLUMN "delegate" text;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "covering_for" jsonb;