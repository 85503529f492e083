import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import type { SourceLock } from '../services/trackers/sync.js';

/** How long a holder may keep a source's lock before it expires on its own (a crashed replica), ms. */
export const TRACKER_LOCK_TTL_MS = 10 * 60_000;

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The cross-replica lock of the tracker sync (issue 21): one sync per source at a time, however many replicas. A
 * Redis key `<prefix>:tracker-sync:<sourceId>` set with NX and a {@link TRACKER_LOCK_TTL_MS} expiry, holding a
 * random token; released with a compare-and-delete script, so a holder never releases another's lock. Chosen over a
 * Postgres advisory lock because a sync holds it across tracker HTTP calls (minutes for a large first sync), which
 * would pin a pooled connection.
 * @param prefix QUEUE_PREFIX (with its Redis Cluster hash tag when there is one).
 * @param waitStepMs how often a waiting caller tries again, ms; it waits at most the TTL.
 */
export function redisSourceLock(redis: Redis | Cluster, prefix: string, waitStepMs = 200): SourceLock {
  return {
    async run(sourceId, opts, fn) {
      const key = `${prefix}:tracker-sync:${sourceId}`;
      const token = randomUUID();
      const deadline = Date.now() + TRACKER_LOCK_TTL_MS;
      while ((await redis.set(key, token, 'PX', TRACKER_LOCK_TTL_MS, 'NX')) !== 'OK') {
        if (!opts.wait || Date.now() > deadline) return 'busy';
        await sleep(waitStepMs);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, key, token).catch(() => {});
      }
    },
  };
}
