ALTER TABLE "member_out_of_office" ADD COLUMN "delegate" text;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "covering_for" jsonb;--> statement-breakpoint
ALTER TABLE "gate_signatures" ADD COLUMN "delegate" text;--> statement-breakpoint
ALTER TABLE "gate_states" ADD COLUMN "signed_for" text;