import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestsFirst } from '../../../src/jobs/requests-first.js';

/** Whether `p` has settled, after letting pending microtasks run. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('RequestsFirst: background jobs wait while Slack requests are served (fake timers, times in ms)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a job starts at once when no request came', async () => {
    expect(await settled(new RequestsFirst().idle())).toBe(true);
  });

  it('a job waits while a request is in flight, then until 50 ms after it arrived', async () => {
    const gate = new RequestsFirst({ quietMs: 50, maxWaitMs: 2_000 });
    const end = gate.begin();
    const job = gate.idle();
    await vi.advanceTimersByTimeAsync(30);
    expect(await settled(job)).toBe(false);
    end();
    await vi.advanceTimersByTimeAsync(19);
    expect(await settled(job)).toBe(false); // 49 ms after the request arrived
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(job)).toBe(true);
  });

  it('a request in flight longer than the quiet time holds jobs until it ends', async () => {
    const gate = new RequestsFirst({ quietMs: 50, maxWaitMs: 2_000 });
    const end = gate.begin();
    const job = gate.idle();
    await vi.advanceTimersByTimeAsync(400);
    expect(await settled(job)).toBe(false);
    end();
    end(); // a second call does nothing
    expect(await settled(job)).toBe(true);
    expect(gate.isQuiet()).toBe(true);
  });

  it('a steady stream of requests delays a job by at most maxWaitMs, never starves it', async () => {
    const gate = new RequestsFirst({ quietMs: 50, maxWaitMs: 2_000 });
    const job = (() => {
      gate.begin()();
      return gate.idle();
    })();
    for (let t = 0; t < 1_980; t += 20) {
      await vi.advanceTimersByTimeAsync(20);
      gate.begin()(); // a request every 20 ms, each handled at once
    }
    expect(await settled(job)).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(await settled(job)).toBe(true);
  });

  it('a request never ended (a listener stuck on a call) stops holding jobs after maxRequestMs', async () => {
    const gate = new RequestsFirst({ quietMs: 50, maxWaitMs: 60_000, maxRequestMs: 3_000 });
    gate.begin(); // never ended
    const job = gate.idle();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(await settled(job)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(job)).toBe(true);
    expect(gate.isQuiet()).toBe(true);
  });

  it('with the defaults, at 50 requests a second a job starts in the gap between two: 10 ms after the last arrival', async () => {
    const gate = new RequestsFirst();
    for (let i = 0; i < 20; i += 1) {
      const end = gate.begin();
      await vi.advanceTimersByTimeAsync(5); // each request handled in 5 ms
      end();
      await vi.advanceTimersByTimeAsync(15);
    }
    expect(gate.currentQuietMs()).toBe(10);
    const end = gate.begin();
    const job = gate.idle();
    await vi.advanceTimersByTimeAsync(5);
    end();
    await vi.advanceTimersByTimeAsync(4);
    expect(await settled(job)).toBe(false); // 9 ms after the request arrived
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(job)).toBe(true); // long before the next one, 20 ms after
  });

  it('with the defaults, while requests come faster than 100 a second a job needs 50 ms of quiet; 10 ms again once they slow down', async () => {
    const gate = new RequestsFirst();
    for (let i = 0; i < 40; i += 1) {
      gate.begin()(); // 200 a second, each handled at once
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(gate.currentQuietMs()).toBe(50);
    const job = gate.idle(); // 5 ms after the last arrival
    await vi.advanceTimersByTimeAsync(40);
    expect(await settled(job)).toBe(false); // 45 ms of quiet: a 10 ms gap is not enough at this rate
    await vi.advanceTimersByTimeAsync(5);
    expect(await settled(job)).toBe(true);
    // a few requests 100 ms apart bring the average gap over 10 ms: the short quiet applies again
    for (let i = 0; i < 3; i += 1) {
      gate.begin()();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(gate.currentQuietMs()).toBe(10);
  });

  it('every waiting job is released together when quiet comes', async () => {
    const gate = new RequestsFirst({ quietMs: 50 });
    gate.begin()();
    const jobs = [gate.idle(), gate.idle(), gate.idle()];
    await vi.advanceTimersByTimeAsync(50);
    expect(await Promise.all(jobs.map(settled))).toEqual([true, true, true]);
  });
});
