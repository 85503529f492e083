-- a closed report's expected tasks and carried-over blockers as they stood at the close (null: not frozen yet)
ALTER TABLE "standup_runs" ADD COLUMN "report_frozen" jsonb;
