CREATE TABLE "oncall_rotations" (
	"rotation_id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"shifts" jsonb NOT NULL,
	"fetched_at" timestamp with time zone,
	"checked_at" timestamp with time zone NOT NULL,
	"error" text,
	"usergroup_users" jsonb
);
--> statement-breakpoint
ALTER TABLE "blocker_notices" ADD COLUMN "oncall" jsonb;