import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { dueTimeOf, startDelayedPromoter } from '../../../src/jobs/delayed-promoter.js';

describe('delayed promoter', () => {
  it('leaves a job waiting out a retry backoff to BullMQ (its due time is not timestamp + delay)', () => {
    expect(dueTimeOf({ timestamp: 1_000, delay: 500, attemptsMade: 0 })).toBe(1_500);
    expect(dueTimeOf({ timestamp: 1_000, delay: 500, attemptsMade: 1 })).toBeNull();
  });

  it('goes on after an error and reports it, and stop() ends it', async () => {
    let calls = 0;
    const flaky = {
      getDelayedCount: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Connection is closed.');
        return 0;
      },
      getDelayed: async () => [],
    };
    const errors: string[] = [];
    const p = startDelayedPromoter(flaky as unknown as Queue, { pollMs: 20, onError: (err) => errors.push(err.message) });
    const until = Date.now() + 10_000;
    while (calls < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual(['Connection is closed.']);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBe(after);
  });
});
