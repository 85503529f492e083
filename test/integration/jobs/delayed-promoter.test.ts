import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dueTimeOf, startDelayedPromoter } from '../../../src/jobs/delayed-promoter.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';

/**
 * The promoter on a real Redis, with no worker: BullMQ moves a delayed job to the wait list only when a worker
 * wakes for it, so here a job leaves the delayed set only if a promoter moved it.
 */
describe('startDelayedPromoter (real Redis)', () => {
  const prefix = `pf-promoter-${randomBytes(4).toString('hex')}`;
  let connection: Redis;
  let queue: Queue;
  beforeAll(async () => {
    connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    queue = new Queue('escalation', { connection, prefix });
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    await queue.close();
    await deleteKeysWithPrefix(connection, prefix);
    await connection.quit();
  });

  const waitForState = async (id: string, state: string, withinMs: number) => {
    const until = Date.now() + withinMs;
    let now = await queue.getJobState(id);
    while (now !== state && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
      now = await queue.getJobState(id);
    }
    return now;
  };

  it('moves a delayed job to the wait list at its due time, never before, once however many processes promote', async () => {
    const job = await queue.add('escalate', { blockerId: 1, version: 1 }, { jobId: 'esc-1-1', delay: 400 });
    const due = dueTimeOf(job)!;
    // the same job far in the future stays where it is
    await queue.add('escalate', { blockerId: 2, version: 1 }, { jobId: 'esc-2-1', delay: 3_600_000 });
    // two replicas
    const errors: Error[] = [];
    const a = startDelayedPromoter(queue, { pollMs: 100, onError: (err) => errors.push(err) });
    const b = startDelayedPromoter(queue, { pollMs: 100, onError: (err) => errors.push(err) });
    try {
      let earlyCheck: string | null = null;
      if (Date.now() < due - 50) earlyCheck = await queue.getJobState('esc-1-1');
      const state = await waitForState('esc-1-1', 'waiting', 30_000);
      const seenAt = Date.now();
      expect(state).toBe('waiting');
      expect(seenAt).toBeGreaterThanOrEqual(due);
      if (earlyCheck !== null) expect(earlyCheck).toBe('delayed');
      expect(await queue.getJobState('esc-2-1')).toBe('delayed');
      // promoted by exactly one of them: the other found it no longer delayed and reported no error
      await new Promise((r) => setTimeout(r, 300));
      expect(a.promoted + b.promoted).toBe(1);
      expect(errors).toEqual([]);
      expect(await queue.getWaitingCount()).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
