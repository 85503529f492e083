import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers need `maxRetriesPerRequest: null` (BullMQ's rule: a blocking
 * command must not fail while Redis restarts); producers fail fast instead so a request can answer
 * "try again" rather than hang.
 */
export function redisConnection(url: string, role: 'worker' | 'producer' | 'health', onError: (err: Error) => void): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableOfflineQueue: role !== 'health',
    connectTimeout: 5_000,
    // back off up to 2 s between reconnects, forever: the bot recovers on its own when Redis returns
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  redis.on('error', onError);
  return redis;
}

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0`: a Redis URL fit for a message (no credentials). */
export function redisUrlForDisplay(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Waits until `redis` is ready (connected, and authenticated when the URL has a password).
 * @param timeoutMs how long to wait, ms.
 * @throws Error whose message is the last connection error seen (e.g. `connect ECONNREFUSED 127.0.0.1:6390`,
 *   `WRONGPASS …`), or `no answer within <n> s` when there was none.
 */
export async function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError: Error | undefined;
  const onError = (err: Error) => {
    lastError = err;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(lastError?.message || `no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    redis.off('error', onError);
  }
}
