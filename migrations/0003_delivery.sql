CREATE TABLE "outbound_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"channel" text NOT NULL,
	"parent_id" integer,
	"text" text NOT NULL,
	"blocks" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_at" timestamp with time zone,
	"claims" integer DEFAULT 0 NOT NULL,
	"first_claimed_at" timestamp with time zone,
	"ts" text,
	"posted_channel" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbound_messages_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "standup_answers" ADD COLUMN "late_claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "standup_answers" ADD COLUMN "late_first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "standup_prompts" ADD COLUMN "first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "standup_prompts" ADD COLUMN "reminder_claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "standup_prompts" ADD COLUMN "reminder_first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "standup_runs" ADD COLUMN "report_claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "standup_runs" ADD COLUMN "report_first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blocker_events" ADD COLUMN "thread_claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "blocker_events" ADD COLUMN "thread_first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "first_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "message_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "message_claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "message_first_claimed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbound_messages_pending_idx" ON "outbound_messages" USING btree ("status","id");--> statement-breakpoint
-- Rows caught mid-send by the upgrade (claimed, no ts yet): count that claim and when it was made, so their
-- next claim looks in Slack for the message the stopped process may have posted (services/delivery/lookup.ts)
-- instead of posting it a second time.
UPDATE "standup_prompts" SET "attempts" = greatest("attempts", 1), "first_claimed_at" = coalesce("claimed_at", now()) WHERE "status" = 'sending';--> statement-breakpoint
UPDATE "standup_prompts" SET "reminder_claims" = 1, "reminder_first_claimed_at" = coalesce("reminder_claimed_at", now()) WHERE "reminder_status" = 'sending';--> statement-breakpoint
UPDATE "standup_runs" SET "report_claims" = 1, "report_first_claimed_at" = "report_claimed_at" WHERE "report_claimed_at" IS NOT NULL AND "report_ts" IS NULL;--> statement-breakpoint
UPDATE "standup_answers" SET "late_claims" = 1, "late_first_claimed_at" = "late_claimed_at" WHERE "late_claimed_at" IS NOT NULL AND "late_ts" IS NULL;--> statement-breakpoint
UPDATE "blocker_events" SET "thread_claims" = 1, "thread_first_claimed_at" = coalesce("thread_claimed_at", now()) WHERE "thread_status" = 'sending';--> statement-breakpoint
UPDATE "blocker_notices" SET "claims" = 1, "first_claimed_at" = coalesce("claimed_at", now()) WHERE "status" = 'sending';
