import type { App } from '@slack/bolt';
import { lt } from 'drizzle-orm';
import { slackEvents } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { Logger } from 'pino';

/**
 * Global middleware: an Events API delivery whose `event_id` was already handled is dropped.
 * Slack retries a delivery it thinks was lost (`X-Slack-Retry-Num` 1–3) with the same `event_id`
 * (docs.slack.dev/apis/events-api/#retries); Bolt does not dedupe. The key is written in Postgres, so
 * retries landing on another bot process are dropped too.
 */
export function registerEventDedupe(app: App, db: Db, log: Logger): void {
  app.use(async ({ body, next, context }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      const inserted = await db.insert(slackEvents).values({ eventId }).onConflictDoNothing().returning({ id: slackEvents.eventId });
      if (inserted.length === 0) {
        log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack event delivery ignored');
        return;
      }
    }
    await next();
  });
}

/** Forgets event ids older than `olderThanMs` (Slack's last retry comes ~5 minutes after the first try). */
export async function pruneSlackEvents(db: Db, now: Date, olderThanMs = 24 * 3_600_000): Promise<void> {
  await db.delete(slackEvents).where(lt(slackEvents.receivedAt, new Date(now.getTime() - olderThanMs)));
}
