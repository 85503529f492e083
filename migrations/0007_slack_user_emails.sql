-- People named by email in preflight.yml, resolved with users.lookupByEmail (src/services/people/resolve-emails.ts).
CREATE TABLE "slack_user_emails" (
	"email" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"resolved_at" timestamp with time zone NOT NULL
);
