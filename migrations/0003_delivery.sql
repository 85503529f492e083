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
CREATE INDEX "outbound_messages_pending_idx" ON "outbound_messages" USING btree ("status","id");