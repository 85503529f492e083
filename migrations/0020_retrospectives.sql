CREATE TABLE "retrospectives" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"status" text NOT NULL,
	"channel" text NOT NULL,
	"canvas_id" text,
	"file_id" text,
	"requested_by" text,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "retrospectives_key_unique" UNIQUE("key")
);
