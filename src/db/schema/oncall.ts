import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One stored shift of a rotation: ISO instants (UTC), the person as the feed named them and their Slack user ID (null when none was found). */
export interface StoredShift {
  start: string;
  end: string | null;
  person: string;
  userId: string | null;
}

/**
 * The last known shifts of each on-call rotation read from a feed (ICS, PagerDuty, Opsgenie; issue 22), shared by
 * every replica. `fetched_at` is the last successful read; `checked_at` the last attempt and `error` why it failed
 * (null when it did not): a feed that cannot be read keeps its last known shifts.
 */
export const oncallRotations = pgTable('oncall_rotations', {
  rotationId: text('rotation_id').primaryKey(),
  source: text('source').notNull(),
  shifts: jsonb('shifts').$type<StoredShift[]>().notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }),
  checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }).notNull(),
  error: text('error'),
  /** The user IDs last written to the rotation's Slack user group (usergroups.users.update), null before the first sync. */
  usergroupUsers: jsonb('usergroup_users').$type<string[]>(),
});
