import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Events API deliveries already handled, keyed by Slack's globally unique `event_id` (retries repeat it). */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
