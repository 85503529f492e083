CREATE TABLE "checklist_ticks" (
	"workstream_id" text NOT NULL,
	"item" text NOT NULL,
	"checked" boolean NOT NULL,
	"by" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "checklist_ticks_workstream_id_item_pk" PRIMARY KEY("workstream_id","item")
);
--> statement-breakpoint
CREATE TABLE "gate_states" (
	"gate_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"signed_by" text,
	"signed_at" timestamp with time zone,
	"note" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gonogo_audit" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"gate_id" text,
	"actor" text,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "once_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gonogo_audit_at_idx" ON "gonogo_audit" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "blockers_gate_due_key" ON "blockers" USING btree ("gate_id") WHERE source = 'gate';