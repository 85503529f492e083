import { describe, expect, it } from 'vitest';
import { chaosSchedule, slackChaos } from '../../../../bench/launch-day/chaos.js';

describe('the chaos drill schedule', () => {
  const plan = { seed: 25, slots: 2, slotMs: 180_000, killEveryMs: 60_000, replicas: 2 };

  it('is the same for the same seed, and another for another seed', () => {
    expect(chaosSchedule(plan)).toEqual(chaosSchedule(plan));
    expect(chaosSchedule({ ...plan, seed: 26 })).not.toEqual(chaosSchedule(plan));
  });

  it('has a kill every interval inside the day, one Redis restart, one Postgres outage and a storm over the second fan-out', () => {
    const events = chaosSchedule(plan);
    const kills = events.filter((e) => e.kind === 'kill');
    expect(kills.map((e) => e.atMs)).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
    for (const k of kills) {
      expect(k.kind === 'kill' && k.replica >= 0 && k.replica < 2 && k.restartAfterMs >= 0 && k.restartAfterMs <= 30_000).toBe(true);
    }
    expect(events.filter((e) => e.kind === 'redis-restart')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'postgres-outage')).toEqual([expect.objectContaining({ forMs: 10_000 })]);
    // 5 s before the second slot's time, for 60 s
    expect(events.filter((e) => e.kind === 'post-storm')).toEqual([{ atMs: 175_000, kind: 'post-storm', forMs: 60_000 }]);
    expect(events.every((e) => e.atMs >= 0 && e.atMs < 2 * 180_000)).toBe(true);
    expect(events.map((e) => e.atMs)).toEqual([...events.map((e) => e.atMs)].sort((a, b) => a - b));
  });
});

describe('the drill faults at the Slack front', () => {
  it('fails about the asked share of calls, half 503s and half lost replies, the same for the same seed', () => {
    const run = () => {
      const faults = slackChaos(25, 2, () => null);
      const outcomes = Array.from({ length: 10_000 }, () => faults.fail?.('chat.postMessage') ?? null);
      return { outcomes, injected: faults.injected };
    };
    const a = run();
    expect(a.outcomes).toEqual(run().outcomes);
    const failed = a.injected['5xx'] + a.injected['lost-reply'];
    expect(failed).toBeGreaterThan(120);
    expect(failed).toBeLessThan(300);
    expect(a.injected['5xx']).toBeGreaterThan(0);
    expect(a.injected['lost-reply']).toBeGreaterThan(0);
    expect(a.outcomes.filter((o) => o !== null)).toHaveLength(failed);
  });

  it('answers the storm while one runs', () => {
    let until: number | null = 5_000;
    const faults = slackChaos(1, 0, () => until);
    expect(faults.stormUntil?.(1_000)).toBe(5_000);
    until = null;
    expect(faults.stormUntil?.(6_000)).toBeNull();
    expect(faults.fail?.('chat.update')).toBeNull();
  });
});
