import type { Redis } from 'ioredis';

/**
 * True the first time a user clicks a given button value within `windowMs`; false for the second click of a
 * double-click (each click has its own `trigger_id` and `action_ts`, so Slack cannot tell them apart).
 * When Redis is unreachable the click is let through: a second modal is better than no modal.
 */
export async function firstClick(redis: Redis, userId: string, actionId: string, value: string, windowMs = 3_000): Promise<boolean> {
  try {
    const ok = await redis.set(`preflight:click:${userId}:${actionId}:${value}`, '1', 'PX', windowMs, 'NX');
    return ok === 'OK';
  } catch {
    return true;
  }
}
