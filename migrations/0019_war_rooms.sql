CREATE TABLE "war_rooms" (
	"id" serial PRIMARY KEY NOT NULL,
	"program" text NOT NULL,
	"name" text NOT NULL,
	"channel_id" text,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" jsonb NOT NULL,
	"name_attempt" integer DEFAULT 1 NOT NULL,
	"pinned_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"summary" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "war_rooms_one_open_per_program" ON "war_rooms" USING btree ("program") WHERE "war_rooms"."closed_at" is null;