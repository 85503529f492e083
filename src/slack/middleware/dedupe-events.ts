import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Deps } from '../../services/deps.js';
import { firstDeliveryOf } from '../../services/slack-events.js';

/**
 * Global middleware: an Events API delivery whose `event_id` was already handled is dropped.
 * Slack retries a delivery it thinks was lost (`X-Slack-Retry-Num` 1–3) with the same `event_id`
 * (docs.slack.dev/apis/events-api/#retries); Bolt does not dedupe. The record is kept by
 * services/slack-events.ts (Postgres), so retries landing on another bot process are dropped too. A dropped
 * `function_executed` delivery is acked here (Bolt leaves its ack to the function listener, which never runs for it).
 * When the record cannot be written (Postgres away), the delivery is handled anyway: Bolt has acked it already, so it
 * is the only one Slack sends, and its listener tells the person when it cannot save what they sent.
 */
export function registerEventDedupe(app: App, deps: Pick<Deps, 'db'>, log: Logger): void {
  app.use(async (args) => {
    const { body, next, context } = args;
    const eventId = (body as { event_id?: unknown }).event_id;
    let first = true;
    if (typeof eventId === 'string') {
      try {
        first = await firstDeliveryOf(deps.db, eventId);
      } catch (err) {
        // Postgres away: Bolt has already acked the event, so Slack will not send it again. Dropping it here lost a DM
        // answer without a word (the chaos drill, issue 25); the listener runs instead, and says so if it cannot save it
        log.warn({ eventId, err: (err as Error).message }, 'could not record the Slack event id; handling the event anyway');
      }
    }
    if (!first) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack event delivery ignored');
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await next();
  });
}
