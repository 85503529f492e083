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

/**
 * The app's DM (IM) conversation with each person it has written to, keyed by Slack user ID (issue 25): recorded from
 * the `channel` of the first chat.postMessage to that user (Slack answers a post to a user ID with the IM channel it
 * landed in, docs.slack.dev/reference/methods/chat.postMessage), or from conversations.open when a search needed it
 * first. A search for an earlier attempt of a DM reads it, so conversations.open (Tier 3) is called only for a person
 * never written to. `recorded_at` is when it was last written (UTC).
 */
export const dmChannels = pgTable('dm_channels', {
  userId: text('user_id').primaryKey(),
  channel: text('channel').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
});
