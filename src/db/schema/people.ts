import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * People named by email in preflight.yml, resolved to Slack user IDs with users.lookupByEmail
 * (src/services/people/resolve-emails.ts). Keyed by the lower-cased address; `resolved_at` says when Slack last
 * confirmed it, so a start-up re-asks Slack only for addresses not confirmed recently.
 */
export const slackUserEmails = pgTable('slack_user_emails', {
  email: text('email').primaryKey(),
  userId: text('user_id').notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }).notNull(),
});
