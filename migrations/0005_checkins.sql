-- Check-ins (issue 9): a run is identified by (workstream, check-in, local date). Existing runs and pending skips
-- belong to the check-in `standup` (the column DEFAULT backfills them); `standup:` in preflight.yml still means it.
ALTER TABLE "standup_runs" ADD COLUMN "checkin_id" text DEFAULT 'standup' NOT NULL;--> statement-breakpoint
ALTER TABLE "standup_runs" ADD COLUMN "checkin_name" text DEFAULT 'Standup' NOT NULL;--> statement-breakpoint
ALTER TABLE "standup_runs" ADD COLUMN "report_thread_ts" text;--> statement-breakpoint
ALTER TABLE "standup_prompts" ADD COLUMN "section" text;--> statement-breakpoint
ALTER TABLE "standup_skips" ADD COLUMN "checkin_id" text DEFAULT 'standup' NOT NULL;--> statement-breakpoint
-- the new unique key is created before the old one is dropped, so no instant is without a guard
CREATE UNIQUE INDEX "standup_runs_workstream_checkin_date_key" ON "standup_runs" USING btree ("workstream_id","checkin_id","local_date");--> statement-breakpoint
DROP INDEX "standup_runs_workstream_date_key";--> statement-breakpoint
CREATE INDEX "standup_runs_workstream_date_idx" ON "standup_runs" USING btree ("workstream_id","local_date");--> statement-breakpoint
CREATE INDEX "standup_runs_channel_date_idx" ON "standup_runs" USING btree ("report_channel","local_date");--> statement-breakpoint
ALTER TABLE "standup_skips" DROP CONSTRAINT "standup_skips_user_id_workstream_id_local_date_pk";--> statement-breakpoint
ALTER TABLE "standup_skips" ADD CONSTRAINT "standup_skips_user_id_workstream_id_checkin_id_local_date_pk" PRIMARY KEY("user_id","workstream_id","checkin_id","local_date");
