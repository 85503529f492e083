import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';

export interface Health {
  ok: boolean;
  postgres: 'ok' | 'down';
  redis: 'ok' | 'down';
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** Pings Postgres (`SELECT 1`) and Redis (`PING`), each within `timeoutMs`. */
export async function checkHealth(pool: pg.Pool, redis: Redis | Cluster, timeoutMs = 1_500): Promise<Health> {
  const [pgOk, redisOk] = await Promise.all([
    within(pool.query('SELECT 1'), timeoutMs).then(
      () => true,
      () => false,
    ),
    within(redis.ping(), timeoutMs).then(
      (r) => r === 'PONG',
      () => false,
    ),
  ]);
  return { ok: pgOk && redisOk, postgres: pgOk ? 'ok' : 'down', redis: redisOk ? 'ok' : 'down' };
}
