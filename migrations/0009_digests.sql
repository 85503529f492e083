CREATE TABLE "digest_snapshots" (
	"local_date" date NOT NULL,
	"workstream_id" text NOT NULL,
	"percent" integer,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_snapshots_local_date_workstream_id_pk" PRIMARY KEY("local_date","workstream_id")
);
--> statement-breakpoint
CREATE TABLE "digests" (
	"id" serial PRIMARY KEY NOT NULL,
	"local_date" date NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"message_id" integer NOT NULL,
	"chart_status" text DEFAULT 'pending' NOT NULL,
	"chart_claimed_at" timestamp with time zone,
	"chart_claims" integer DEFAULT 0 NOT NULL,
	"chart_first_claimed_at" timestamp with time zone,
	"chart_file_id" text,
	"chart_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digests_local_date_unique" UNIQUE("local_date")
);
--> statement-breakpoint
CREATE INDEX "digest_snapshots_workstream_idx" ON "digest_snapshots" USING btree ("workstream_id","local_date");