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
