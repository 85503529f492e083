CREATE TABLE "status_boards" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"kind" text,
	"fallback_reason" text,
	"pinned" boolean DEFAULT false NOT NULL,
	"content_hash" text,
	"edited_at" timestamp with time zone,
	"edits" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_boards_channel_unique" UNIQUE("channel")
);
