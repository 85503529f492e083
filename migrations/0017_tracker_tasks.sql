CREATE TABLE "tracker_issues" (
	"key" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"workstream_id" text NOT NULL,
	"issue" jsonb NOT NULL,
	"tracker_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracker_sources" (
	"source_id" text PRIMARY KEY NOT NULL,
	"workstream_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"last_synced_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"auth_refused_at" timestamp with time zone,
	"pm_notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracker_writebacks" (
	"issue_key" text NOT NULL,
	"purpose" text NOT NULL,
	"source_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "tracker_writebacks_issue_key_purpose_pk" PRIMARY KEY("issue_key","purpose")
);
--> statement-breakpoint
CREATE INDEX "tracker_issues_source_idx" ON "tracker_issues" USING btree ("source_id") WHERE "tracker_issues"."deleted_at" is null;