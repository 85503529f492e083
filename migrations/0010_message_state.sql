DROP INDEX "blocker_notices_key";--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "episode" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "rendered_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "rendered_hash" text;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "closed_view" jsonb;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "dms_rendered_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "episode" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "about" jsonb;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "rendered_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "blocker_notices_key" ON "blocker_notices" USING btree ("blocker_id","episode","level","attempt","recipient");--> statement-breakpoint
-- Escalation DMs sent before this migration count as showing their blocker's current state: the upgrade edits none of
-- them at once; the next change of a blocker still open edits its DMs.
UPDATE "blocker_notices" AS n SET "rendered_version" = b."message_version" FROM "blockers" AS b WHERE b."id" = n."blocker_id";--> statement-breakpoint
UPDATE "blockers" SET "dms_rendered_version" = "message_version";
