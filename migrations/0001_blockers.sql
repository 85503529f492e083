CREATE TABLE "blocker_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"blocker_id" integer NOT NULL,
	"kind" text NOT NULL,
	"actor" text,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"thread_status" text DEFAULT 'pending' NOT NULL,
	"thread_claimed_at" timestamp with time zone,
	"thread_ts" text
);
--> statement-breakpoint
CREATE TABLE "blocker_notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"blocker_id" integer NOT NULL,
	"level" integer NOT NULL,
	"attempt" integer NOT NULL,
	"recipient" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_at" timestamp with time zone,
	"dm_channel" text,
	"ts" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "blockers" (
	"id" serial PRIMARY KEY NOT NULL,
	"workstream_id" text NOT NULL,
	"gate_id" text,
	"severity" text NOT NULL,
	"text" text NOT NULL,
	"reporter" text NOT NULL,
	"owner" text,
	"status" text DEFAULT 'open' NOT NULL,
	"policy" jsonb NOT NULL,
	"levels_done" integer DEFAULT 0 NOT NULL,
	"repeats_done" integer DEFAULT 0 NOT NULL,
	"last_notified_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"snoozed_until" timestamp with time zone,
	"acknowledged_by" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"source" text NOT NULL,
	"standup_answer_id" integer,
	"channel" text NOT NULL,
	"message_ts" text,
	"permalink" text,
	"message_version" integer DEFAULT 1 NOT NULL,
	"message_rendered_version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blocker_events" ADD CONSTRAINT "blocker_events_blocker_id_blockers_id_fk" FOREIGN KEY ("blocker_id") REFERENCES "public"."blockers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD CONSTRAINT "blocker_notices_blocker_id_blockers_id_fk" FOREIGN KEY ("blocker_id") REFERENCES "public"."blockers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blocker_events_blocker_idx" ON "blocker_events" USING btree ("blocker_id","id");--> statement-breakpoint
CREATE INDEX "blocker_events_thread_idx" ON "blocker_events" USING btree ("thread_status");--> statement-breakpoint
CREATE UNIQUE INDEX "blocker_notices_key" ON "blocker_notices" USING btree ("blocker_id","level","attempt","recipient");--> statement-breakpoint
CREATE INDEX "blocker_notices_pending_idx" ON "blocker_notices" USING btree ("status","not_before");--> statement-breakpoint
CREATE INDEX "blockers_due_idx" ON "blockers" USING btree ("next_due_at") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "blockers_workstream_idx" ON "blockers" USING btree ("workstream_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "blockers_standup_answer_key" ON "blockers" USING btree ("standup_answer_id");