CREATE TABLE "plan_overrides" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"workstream_id" text,
	"value" jsonb,
	"file_value" jsonb,
	"reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"dropped_at" timestamp with time zone,
	"dropped_by" text,
	"drop_reason" text,
	CONSTRAINT "plan_overrides_kind_check" CHECK ("plan_overrides"."kind" in ('task_add', 'task_due', 'task_owner', 'task_drop', 'gate_due'))
);
--> statement-breakpoint
CREATE INDEX "plan_overrides_active_idx" ON "plan_overrides" USING btree ("id") WHERE "plan_overrides"."dropped_at" is null;
