CREATE TABLE "slack_tokens" (
	"key" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"refresh_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"seed_hash" text NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
