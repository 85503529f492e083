CREATE TABLE "dm_channels" (
	"user_id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- the DM channels already known: where each person's latest check-in prompt landed
INSERT INTO "dm_channels" ("user_id", "channel", "recorded_at")
SELECT DISTINCT ON (p."user_id") p."user_id", d."conversation", coalesce(d."sent_at", now())
FROM "standup_prompts" p
JOIN "deliveries" d ON d."kind" = 'prompt' AND d."owner_key" = p."id"::text
WHERE d."status" = 'sent' AND d."conversation" LIKE 'D%'
ORDER BY p."user_id", d."sent_at" DESC NULLS LAST
ON CONFLICT ("user_id") DO NOTHING;
