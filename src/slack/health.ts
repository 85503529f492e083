import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import pTimeout from 'p-timeout';

export interface Health {
  ok: boolean;
  postgres: 'ok' | 'down';
  redis: 'ok' | 'down';
  /** Socket Mode only: whether the WebSocket to Slack is connected (HTTP mode has no connection to report). */
  slack?: 'connected' | 'disconnected';
}

/** A health ping's deadline never keeps the process alive on its own (a shutdown does not wait for it). */
const unrefTimers = { setTimeout: ((fn: () => void, ms: number) => setTimeout(fn, ms).unref()) as typeof setTimeout, clearTimeout };

/** Pings Postgres (`SELECT 1`) and Redis (`PING`), each within `timeoutMs` (ms). */
export async function checkHealth(pool: pg.Pool, redis: Redis | Cluster, timeoutMs = 1_500): Promise<Health> {
  const [pgOk, redisOk] = await Promise.all([
    pTimeout(pool.query('SELECT 1'), { milliseconds: timeoutMs, customTimers: unrefTimers }).then(
      () => true,
      () => false,
    ),
    pTimeout(redis.ping(), { milliseconds: timeoutMs, customTimers: unrefTimers }).then(
      (r) => r === 'PONG',
      () => false,
    ),
  ]);
  return { ok: pgOk && redisOk, postgres: pgOk ? 'ok' : 'down', redis: redisOk ? 'ok' : 'down' };
}

/**
 * Adds Slack's Socket Mode connection to a health report: `ok` also requires it.
 * @param slackConnected undefined in HTTP mode (the report is returned unchanged).
 */
export function withSlackConnection(health: Health, slackConnected: boolean | undefined): Health {
  if (slackConnected === undefined) return health;
  return { ...health, ok: health.ok && slackConnected, slack: slackConnected ? 'connected' : 'disconnected' };
}
