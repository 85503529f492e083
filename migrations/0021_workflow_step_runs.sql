CREATE TABLE "workflow_step_runs" (
	"function_execution_id" text PRIMARY KEY NOT NULL,
	"callback_id" text NOT NULL,
	"user_id" text,
	"status" text NOT NULL,
	"outputs" jsonb,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
