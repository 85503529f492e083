CREATE TABLE "plan_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"applied_by" text NOT NULL,
	"config_path" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "plan_versions_version_idx" ON "plan_versions" USING btree ("version");