import { Cluster, Redis, type RedisOptions } from 'ioredis';
import pTimeout from 'p-timeout';
import type { RedisTarget } from '../config/redis.js';

type Role = 'worker' | 'producer' | 'health';

/**
 * A Redis connection for BullMQ, to one Redis, a Sentinel-managed master or a Redis Cluster (see
 * parseRedisUrl). Workers need `maxRetriesPerRequest: null` (BullMQ's rule: a blocking command must not fail
 * while Redis restarts or fails over); producers fail fast instead so a request can answer "try again" rather
 * than hang. `target`: REDIS_URL parsed (`env.REDIS`); one Redis or Sentinel give a `Redis`, Cluster a `Cluster`.
 */
export function redisConnection(target: Exclude<RedisTarget, { kind: 'cluster' }>, role: Role, onError: (err: Error) => void): Redis;
export function redisConnection(target: Extract<RedisTarget, { kind: 'cluster' }>, role: Role, onError: (err: Error) => void): Cluster;
export function redisConnection(target: RedisTarget, role: Role, onError: (err: Error) => void): Redis | Cluster;
export function redisConnection(target: RedisTarget, role: Role, onError: (err: Error) => void): Redis | Cluster {
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableOfflineQueue: role !== 'health',
    connectTimeout: 5_000,
    // back off up to 2 s between reconnects, forever: the bot recovers on its own when Redis returns
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  };
  let redis: Redis | Cluster;
  if (target.kind === 'standalone') {
    redis = new Redis(target.url, options);
  } else {
    const auth = { username: target.username, password: target.password, ...(target.tls ? { tls: {} } : {}) };
    if (target.kind === 'sentinel') {
      // ioredis asks the Sentinels for the current master and follows failovers (reconnects to the new master)
      redis = new Redis({
        ...options,
        ...auth,
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        sentinelPassword: target.sentinelPassword,
        ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        sentinelRetryStrategy: (times) => Math.min(times * 200, 2_000),
      });
    } else {
      const { retryStrategy, ...nodeOptions } = options;
      redis = new Cluster(target.nodes, {
        redisOptions: { ...nodeOptions, ...auth },
        enableOfflineQueue: options.enableOfflineQueue,
        clusterRetryStrategy: retryStrategy,
        lazyConnect: false,
      });
    }
  }
  redis.on('error', onError);
  return redis;
}

/**
 * `redis://user:secret@host:6379/0` → `redis://host:6379/0`: a Redis URL fit for a message (no credentials, nor
 * the query, which may hold `sentinel_password`); also for the `redis+sentinel://` and `redis+cluster://` forms.
 */
export function redisUrlForDisplay(url: string): string {
  const m = /^([a-z+]+:\/\/)(?:[^@/]*@)?([^?#]*)/.exec(url);
  return m ? `${m[1]}${m[2]}` : '(unparseable URL)';
}

/** How long after the process started Redis must have answered at boot, ms: with `npm start`'s own second, a
 * wrong REDIS_URL ends start-up within 10 s however long loading the bot took. */
export const REDIS_BOOT_DEADLINE_MS = 6_000;
/** The shortest boot wait for Redis, ms, even when loading took the whole deadline (a busy box). */
const REDIS_BOOT_MIN_WAIT_MS = 2_000;

/**
 * How long to wait for Redis at boot, ms: what is left of REDIS_BOOT_DEADLINE_MS after `uptimeMs` (the process's
 * age, ms), and never less than 2 s.
 */
export function redisBootWaitMs(uptimeMs: number): number {
  return Math.max(REDIS_BOOT_MIN_WAIT_MS, REDIS_BOOT_DEADLINE_MS - uptimeMs);
}

/**
 * Waits until `redis` is ready (connected, and authenticated when the URL has a password).
 * @param timeoutMs how long to wait, ms.
 * @throws Error whose message is the last connection error seen (e.g. `connect ECONNREFUSED 127.0.0.1:6390`,
 *   `WRONGPASS …`), or `no answer within <n> s` when there was none.
 */
export async function redisReady(redis: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError: Error | undefined;
  const onError = (err: Error) => {
    lastError = err;
  };
  redis.on('error', onError);
  try {
    const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    await pTimeout(ready, {
      milliseconds: timeoutMs,
      fallback: () => {
        throw new Error(lastError?.message || `no answer within ${Math.round(timeoutMs / 1000)} s`);
      },
    });
  } finally {
    redis.off('error', onError);
  }
}
