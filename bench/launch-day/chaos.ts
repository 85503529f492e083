import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { SlackFaults } from './tiered-slack.js';

/**
 * The chaos drill's faults (issue 25, `bench/launch-day.ts --chaos`): a schedule drawn from a seed, so the same seed
 * replays the same faults at the same offsets from the first slot.
 */
export type ChaosEvent =
  /** kill -9 of one bot process (its whole process group), started again `restartAfterMs` later */
  | { atMs: number; kind: 'kill'; replica: number; restartAfterMs: number }
  /** the drill's own Redis (test/support/private-services.ts) killed and started again empty: every queue, job scheduler and hold lost */
  | { atMs: number; kind: 'redis-restart' }
  /**
   * what the bot sees of a Postgres restart: every connection to its database terminated, and new ones refused for
   * `forMs` (the shared server itself keeps running: the drill's own connection and other databases are spared)
   */
  | { atMs: number; kind: 'postgres-outage'; forMs: number }
  /** every chat.postMessage answered 429 for `forMs` */
  | { atMs: number; kind: 'post-storm'; forMs: number };

/** What {@link chaosSchedule} draws from. Times are ms from the first slot. */
export interface ChaosPlan {
  seed: number;
  /** How many slots the day plays, and the ms between two (the faults fall inside the day). */
  slots: number;
  slotMs: number;
  /** A kill every this many ms (the first one after one interval). */
  killEveryMs: number;
  replicas: number;
}

/**
 * The faults of one drill, in time order: a kill of a random replica every `killEveryMs` (restarted after 0–30 s);
 * a 60 s storm of 429s on chat.postMessage from 5 s before the second slot's time (its fan-out; the first slot's
 * with one slot); one Redis restart while the first slot's answers come in (60 % of a slot); one Postgres outage of 10 s in
 * the middle of the second slot (80 % of the first with one slot). Each but the storm moves by up to ±5 % of a slot.
 */
export function chaosSchedule(plan: ChaosPlan): ChaosEvent[] {
  const rng = xoroshiro128plus(plan.seed);
  const jitter = () => uniformInt(rng, -Math.round(plan.slotMs * 0.05), Math.round(plan.slotMs * 0.05));
  const durationMs = plan.slots * plan.slotMs;
  const events: ChaosEvent[] = [];
  for (let at = plan.killEveryMs; at < durationMs; at += plan.killEveryMs) {
    events.push({ atMs: at, kind: 'kill', replica: uniformInt(rng, 0, plan.replicas - 1), restartAfterMs: uniformInt(rng, 0, 30_000) });
  }
  const second = Math.min(1, plan.slots - 1) * plan.slotMs;
  // 5 s before the slot's time, so its whole fan-out meets the storm
  events.push({ atMs: Math.max(0, second - 5_000), kind: 'post-storm', forMs: 60_000 });
  events.push({ atMs: Math.round(plan.slotMs * 0.6) + jitter(), kind: 'redis-restart' });
  events.push({ atMs: (plan.slots > 1 ? Math.round(plan.slotMs * 1.5) : Math.round(plan.slotMs * 0.8)) + jitter(), kind: 'postgres-outage', forMs: 10_000 });
  return events.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The Web API faults of the drill: `errorPct` per cent of the calls within their tier fail, half with a 503 and half
 * with a lost reply (Slack acted, the bot never hears), drawn from the seed; plus the storm of 429s while one runs.
 * @param storm returns the end of the storm running at `now` (ms since the epoch), or null.
 */
export function slackChaos(seed: number, errorPct: number, storm: (now: number) => number | null): SlackFaults & { injected: { '5xx': number; 'lost-reply': number } } {
  const rng = xoroshiro128plus(seed + 7);
  const injected = { '5xx': 0, 'lost-reply': 0 };
  return {
    injected,
    stormUntil: storm,
    fail() {
      const roll = uniformInt(rng, 1, 10_000);
      if (roll > errorPct * 100) return null;
      const kind = roll % 2 === 0 ? '5xx' : 'lost-reply';
      injected[kind] += 1;
      return kind;
    },
  };
}
