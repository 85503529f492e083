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
 */
export function registerEventDedupe(app: App, deps: Pick<Deps, 'db'>, log: Logger): void {
  app.use(async (args) => {
    const { body, next, context } = args;
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await firstDeliveryOf(deps.db, eventId))) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack event delivery ignored');
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await next();
  });
}
