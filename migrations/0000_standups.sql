CREATE TABLE "member_out_of_office" (
	"user_id" text PRIMARY KEY NOT NULL,
	"from_date" date NOT NULL,
	"until_date" date NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "standup_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"answers" jsonb NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"edits" integer DEFAULT 0 NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"late_version" integer DEFAULT 0 NOT NULL,
	"late_posted_version" integer DEFAULT 0 NOT NULL,
	"late_ts" text,
	"late_claimed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "standup_prompts" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"zone" text NOT NULL,
	"prompt_at" timestamp with time zone NOT NULL,
	"remind_at" timestamp with time zone NOT NULL,
	"close_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"dm_channel" text,
	"prompt_ts" text,
	"sent_at" timestamp with time zone,
	"reminder_status" text DEFAULT 'none' NOT NULL,
	"reminder_claimed_at" timestamp with time zone,
	"reminder_ts" text,
	"dm_step" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "standup_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"workstream_id" text NOT NULL,
	"local_date" date NOT NULL,
	"status" text NOT NULL,
	"open_at" timestamp with time zone NOT NULL,
	"close_at" timestamp with time zone NOT NULL,
	"started_by" text,
	"questions" jsonb NOT NULL,
	"workstream_name" text NOT NULL,
	"zone" text NOT NULL,
	"report_channel" text NOT NULL,
	"report_ts" text,
	"report_claimed_at" timestamp with time zone,
	"report_version" integer DEFAULT 1 NOT NULL,
	"report_rendered_version" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "standup_skips" (
	"user_id" text NOT NULL,
	"workstream_id" text NOT NULL,
	"local_date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "standup_skips_user_id_workstream_id_local_date_pk" PRIMARY KEY("user_id","workstream_id","local_date")
);
--> statement-breakpoint
CREATE TABLE "workstream_state" (
	"workstream_id" text PRIMARY KEY NOT NULL,
	"scheduling_since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "standup_answers" ADD CONSTRAINT "standup_answers_run_id_standup_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."standup_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standup_prompts" ADD CONSTRAINT "standup_prompts_run_id_standup_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."standup_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "standup_answers_run_user_key" ON "standup_answers" USING btree ("run_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "standup_prompts_run_user_key" ON "standup_prompts" USING btree ("run_id","user_id");--> statement-breakpoint
CREATE INDEX "standup_prompts_due_idx" ON "standup_prompts" USING btree ("status","prompt_at");--> statement-breakpoint
CREATE INDEX "standup_prompts_user_idx" ON "standup_prompts" USING btree ("user_id","dm_channel");--> statement-breakpoint
CREATE UNIQUE INDEX "standup_runs_workstream_date_key" ON "standup_runs" USING btree ("workstream_id","local_date");--> statement-breakpoint
CREATE INDEX "standup_runs_status_idx" ON "standup_runs" USING btree ("status","close_at");