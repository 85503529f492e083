CREATE TABLE "deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"owner_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"conversation" text,
	"thread_ts" text,
	"ts" text,
	"permalink" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_at" timestamp with time zone,
	"claims" integer DEFAULT 0 NOT NULL,
	"first_claimed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_kind_owner_key" ON "deliveries" USING btree ("kind","owner_key");--> statement-breakpoint
CREATE INDEX "deliveries_status_idx" ON "deliveries" USING btree ("status","claimed_at");--> statement-breakpoint
CREATE INDEX "deliveries_kind_status_idx" ON "deliveries" USING btree ("kind","status");
--> statement-breakpoint
-- Every digest chart's reservation moves to its delivery row (kind digest_chart, owned by the digest's id), in the
-- state it is in: pending, sending (claimed, maybe mid-upload: the claim, its count and its first claim move with
-- it, so the stale-claim release and the search for an earlier upload work as before), sent (the file id is the
-- delivery's ts, in the digest message's thread) or failed (parked).
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "thread_ts", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "sent_at", "created_at")
SELECT 'digest_chart', d."id"::text,
  CASE WHEN d."chart_status" = 'sent' THEN coalesce(m."posted_channel", m."channel") END,
  CASE WHEN d."chart_status" = 'sent' THEN m."ts" END,
  d."chart_file_id", d."chart_status", d."chart_claimed_at", d."chart_claims", d."chart_first_claimed_at", d."chart_claims", d."chart_sent_at", d."created_at"
FROM "digests" AS d LEFT JOIN "outbound_messages" AS m ON m."id" = d."message_id"
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every outbound message's reservation moves to its delivery row (kind = the message's kind, owned by its id), in
-- the state it is in: pending (claims kept after a release), sending (claimed, maybe mid-post), sent (its ts and
-- conversation; a reply's thread is its parent's ts) or failed.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "thread_ts", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "sent_at", "created_at")
SELECT m."kind", m."id"::text, m."posted_channel", CASE WHEN m."ts" IS NOT NULL THEN p."ts" END, m."ts", m."status", m."claimed_at", m."claims", m."first_claimed_at", m."claims", m."sent_at", m."created_at"
FROM "outbound_messages" AS m LEFT JOIN "outbound_messages" AS p ON p."id" = m."parent_id"
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every escalation DM's reservation moves to its delivery row (kind notice, owned by its id), in the state it is
-- in: pending, sending (claimed, maybe mid-post), sent (its IM channel and ts, for the in-place edits), cancelled
-- or failed.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "sent_at", "created_at")
SELECT 'notice', n."id"::text, n."dm_channel", n."ts", n."status", n."claimed_at", n."claims", n."first_claimed_at", n."claims", n."sent_at", n."due_at"
FROM "blocker_notices" AS n
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every timeline line's reservation moves to its delivery row (kind thread_line, owned by the event's id): pending,
-- sending (claimed, maybe mid-post) or sent (in the blocker message's thread). An event not shown in the thread
-- ('none', the raised event) has no delivery, unless Slack refused its line for good after a claim: failed.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "thread_ts", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "sent_at", "created_at")
SELECT 'thread_line', e."id"::text,
  CASE WHEN e."thread_status" = 'sent' THEN b."channel" END,
  CASE WHEN e."thread_status" = 'sent' THEN b."message_ts" END,
  e."thread_ts", CASE WHEN e."thread_status" = 'none' THEN 'failed' ELSE e."thread_status" END,
  e."thread_claimed_at", e."thread_claims", e."thread_first_claimed_at", e."thread_claims", NULL, e."at"
FROM "blocker_events" AS e JOIN "blockers" AS b ON b."id" = e."blocker_id"
WHERE e."thread_status" <> 'none' OR e."thread_claims" > 0
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every blocker message's reservation moves to its delivery row (kind blocker, owned by the blocker's id): sent
-- once it has a ts (with its conversation and permalink), else pending with the claims of first posts that did not
-- record one (so its next render searches the channel first).
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "ts", "permalink", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "created_at")
SELECT 'blocker', b."id"::text, CASE WHEN b."message_ts" IS NOT NULL THEN b."channel" END, b."message_ts", b."permalink",
  CASE WHEN b."message_ts" IS NOT NULL THEN 'sent' ELSE 'pending' END,
  CASE WHEN b."message_ts" IS NOT NULL THEN b."message_claimed_at" END,
  b."message_claims", b."message_first_claimed_at", b."message_claims", b."raised_at"
FROM "blockers" AS b
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every standup report's reservation moves to its delivery row (kind report, owned by the run's id): sent once it
-- has a ts (in its channel, in the thread it replies in, if any), else pending with the claims of first posts that
-- did not record one. Runs of 0005 and before had no claims.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "thread_ts", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "created_at")
SELECT 'report', r."id"::text, CASE WHEN r."report_ts" IS NOT NULL THEN r."report_channel" END, CASE WHEN r."report_ts" IS NOT NULL THEN r."report_thread_ts" END,
  r."report_ts", CASE WHEN r."report_ts" IS NOT NULL THEN 'sent' ELSE 'pending' END,
  CASE WHEN r."report_ts" IS NOT NULL THEN r."report_claimed_at" END,
  r."report_claims", r."report_first_claimed_at", r."report_claims", r."created_at"
FROM "standup_runs" AS r
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Likewise every late answer posted (or whose first post was claimed) in its report's thread (kind late_answer).
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "thread_ts", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "created_at")
SELECT 'late_answer', a."id"::text, CASE WHEN a."late_ts" IS NOT NULL THEN r."report_channel" END, CASE WHEN a."late_ts" IS NOT NULL THEN coalesce(r."report_thread_ts", r."report_ts") END,
  a."late_ts", CASE WHEN a."late_ts" IS NOT NULL THEN 'sent' ELSE 'pending' END,
  CASE WHEN a."late_ts" IS NOT NULL THEN a."late_claimed_at" END,
  a."late_claims", a."late_first_claimed_at", a."late_claims", a."updated_at"
FROM "standup_answers" AS a JOIN "standup_runs" AS r ON r."id" = a."run_id"
WHERE a."late_ts" IS NOT NULL OR a."late_claims" > 0
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every check-in prompt's DM moves to its delivery row (kind prompt, owned by the prompt's id), in the state it is
-- in: pending, sending (claimed, maybe mid-post), sent (its IM channel and ts), failed, or cancelled: expired
-- (the check-in closed first), or the member skipped or was out of office before it went out. A prompt skipped
-- after its DM went out keeps it as sent.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "last_error", "sent_at", "created_at")
SELECT 'prompt', p."id"::text, p."dm_channel", p."prompt_ts",
  CASE WHEN p."status" IN ('pending', 'sending', 'sent', 'failed') THEN p."status" WHEN p."prompt_ts" IS NOT NULL THEN 'sent' ELSE 'cancelled' END,
  p."claimed_at", p."attempts", p."first_claimed_at", p."attempts",
  CASE WHEN p."status" IN ('expired', 'skipped', 'ooo') AND p."prompt_ts" IS NULL THEN p."status" END,
  p."sent_at", p."prompt_at"
FROM "standup_prompts" AS p
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- Every reminder claimed at least once moves to its delivery row (kind reminder): none (claims kept after a
-- release) → pending, sending, sent (in the prompt's DM), not_needed → cancelled.
INSERT INTO "deliveries" ("kind", "owner_key", "conversation", "ts", "status", "claimed_at", "claims", "first_claimed_at", "attempts", "last_error", "created_at")
SELECT 'reminder', p."id"::text, CASE WHEN p."reminder_ts" IS NOT NULL THEN p."dm_channel" END, p."reminder_ts",
  CASE p."reminder_status" WHEN 'none' THEN 'pending' WHEN 'not_needed' THEN 'cancelled' ELSE p."reminder_status" END,
  p."reminder_claimed_at", p."reminder_claims", p."reminder_first_claimed_at", p."reminder_claims",
  CASE WHEN p."reminder_status" = 'not_needed' THEN 'not_needed' END, p."remind_at"
FROM "standup_prompts" AS p
WHERE p."reminder_status" <> 'none' OR p."reminder_claims" > 0
ON CONFLICT ("kind", "owner_key") DO NOTHING;--> statement-breakpoint
-- A prompt's status is now the member's part in the run: expected to answer, skipped or out of office.
UPDATE "standup_prompts" SET "status" = CASE WHEN "status" IN ('skipped', 'ooo') THEN "status" ELSE 'expected' END;--> statement-breakpoint
-- once_keys has been unused since the go/no-go reminders moved to outbound messages.
DROP TABLE "once_keys" CASCADE;--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_status";--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_claimed_at";--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_claims";--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_first_claimed_at";--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_file_id";--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "chart_sent_at";--> statement-breakpoint
DROP INDEX "outbound_messages_pending_idx";--> statement-breakpoint
CREATE INDEX "outbound_messages_parent_idx" ON "outbound_messages" USING btree ("parent_id");--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "claimed_at";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "claims";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "first_claimed_at";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "ts";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "posted_channel";--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP COLUMN "sent_at";--> statement-breakpoint
DROP INDEX "blocker_notices_pending_idx";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "claimed_at";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "claims";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "first_claimed_at";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "dm_channel";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "ts";--> statement-breakpoint
ALTER TABLE "blocker_notices" DROP COLUMN "sent_at";--> statement-breakpoint
DROP INDEX "blocker_events_thread_idx";--> statement-breakpoint
ALTER TABLE "blocker_events" DROP COLUMN "thread_status";--> statement-breakpoint
ALTER TABLE "blocker_events" DROP COLUMN "thread_claimed_at";--> statement-breakpoint
ALTER TABLE "blocker_events" DROP COLUMN "thread_claims";--> statement-breakpoint
ALTER TABLE "blocker_events" DROP COLUMN "thread_first_claimed_at";--> statement-breakpoint
ALTER TABLE "blocker_events" DROP COLUMN "thread_ts";--> statement-breakpoint
ALTER TABLE "blockers" DROP COLUMN "message_ts";--> statement-breakpoint
ALTER TABLE "blockers" DROP COLUMN "permalink";--> statement-breakpoint
ALTER TABLE "blockers" DROP COLUMN "message_claimed_at";--> statement-breakpoint
ALTER TABLE "blockers" DROP COLUMN "message_claims";--> statement-breakpoint
ALTER TABLE "blockers" DROP COLUMN "message_first_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_answers" DROP COLUMN "late_ts";--> statement-breakpoint
ALTER TABLE "standup_answers" DROP COLUMN "late_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_answers" DROP COLUMN "late_claims";--> statement-breakpoint
ALTER TABLE "standup_answers" DROP COLUMN "late_first_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_runs" DROP COLUMN "report_ts";--> statement-breakpoint
ALTER TABLE "standup_runs" DROP COLUMN "report_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_runs" DROP COLUMN "report_claims";--> statement-breakpoint
ALTER TABLE "standup_runs" DROP COLUMN "report_first_claimed_at";--> statement-breakpoint
DROP INDEX "standup_prompts_user_idx";--> statement-breakpoint
ALTER TABLE "standup_prompts" ALTER COLUMN "status" SET DEFAULT 'expected';--> statement-breakpoint
CREATE INDEX "standup_prompts_user_idx" ON "standup_prompts" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "attempts";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "claimed_at";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "first_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "dm_channel";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "prompt_ts";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "sent_at";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "reminder_status";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "reminder_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "reminder_claims";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "reminder_first_claimed_at";--> statement-breakpoint
ALTER TABLE "standup_prompts" DROP COLUMN "reminder_ts";
