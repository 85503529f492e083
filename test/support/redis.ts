import type { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix:` (a test file's or benchmark's BullMQ prefix) with SCAN, never the blocking
 * KEYS, since other test files share this Redis. @returns how many keys it deleted.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length) deleted += await redis.del(...keys);
  }
  return deleted;
}
