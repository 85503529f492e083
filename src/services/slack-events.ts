import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { slackEvents } from '../db/schema/index.js';

/**
 * Records an Events API `event_id` as handled. Slack retries a delivery it thinks was lost (`X-Slack-Retry-Num`
 * 1–3) with the same `event_id` (docs.slack.dev/apis/events-api/#retries); the key lives in Postgres, so a retry
 * landing on another bot process is recognised too.
 * @returns true for the first delivery of `eventId`, false for a repeat.
 */
export async function firstDeliveryOf(db: Db, eventId: string): Promise<boolean> {
  const inserted = await db.insert(slackEvents).values({ eventId }).onConflictDoNothing().returning({ id: slackEvents.eventId });
  return inserted.length > 0;
}

/** Forgets event ids received more than `olderThanMs` (ms) before `now` (Slack's last retry comes ~5 minutes after the first try). */
export async function pruneSlackEvents(db: Db, now: Date, olderThanMs = 24 * 3_600_000): Promise<void> {
  await db.delete(slackEvents).where(lt(slackEvents.receivedAt, new Date(now.getTime() - olderThanMs)));
}
