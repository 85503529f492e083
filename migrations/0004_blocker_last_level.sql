ALTER TABLE "blockers" ADD COLUMN "last_level" jsonb;--> statement-breakpoint
-- Backfill from the timeline: the latest level (attempt 0) each blocker escalated or skipped. Skips recorded before
-- this migration carried no reason; their thread line said "nobody to notify", so they keep that reason.
UPDATE "blockers" AS b SET "last_level" = jsonb_build_object(
	'level', (e.data->>'level')::int - 1,
	'attempt', 0,
	'to', coalesce(e.data->'to', '[]'::jsonb),
	'skipped', CASE WHEN e.kind = 'skipped' THEN 'nobody' END
)
FROM (
	SELECT DISTINCT ON (blocker_id) blocker_id, kind, data FROM "blocker_events"
	WHERE kind IN ('escalated', 'skipped') AND coalesce((data->>'attempt')::int, 0) = 0
	ORDER BY blocker_id, id DESC
) AS e
WHERE e.blocker_id = b.id;
