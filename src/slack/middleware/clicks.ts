import type { SlackContext } from '../context.js';

/**
 * True the first time a user clicks a given button value within `windowMs` (ms); false for the second click of
 * a double-click (each click has its own `trigger_id` and `action_ts`, so Slack cannot tell them apart). The
 * key lives under the install's `QUEUE_PREFIX`, so two installs (or test runs) sharing one Redis never swallow
 * each other's clicks. When Redis is unreachable the click is let through: a second modal is better than none.
 */
export async function firstClick(ctx: Pick<SlackContext, 'redis' | 'keyPrefix'>, userId: string, actionId: string, value: string, windowMs = 3_000): Promise<boolean> {
  try {
    const ok = await ctx.redis.set(`${ctx.keyPrefix}:click:${userId}:${actionId}:${value}`, '1', 'PX', windowMs, 'NX');
    return ok === 'OK';
  } catch {
    return true;
  }
}
