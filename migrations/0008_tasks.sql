CREATE TABLE "task_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"workstream_id" text NOT NULL,
	"kind" text NOT NULL,
	"progress" integer,
	"actor" text NOT NULL,
	"via" text NOT NULL,
	"blocker_id" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_states" (
	"task_id" text PRIMARY KEY NOT NULL,
	"workstream_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blockers" ADD COLUMN "task_id" text;--> statement-breakpoint
CREATE INDEX "task_events_at_idx" ON "task_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "task_events_task_idx" ON "task_events" USING btree ("task_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "blockers_task_due_key" ON "blockers" USING btree ("task_id") WHERE source = 'task';