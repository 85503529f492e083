import { DateTime } from 'luxon';
import { addDays, localDayStart } from '../checkins/days.js';

/*
 * Workstreams that start and end (issue 9): whether a workstream holds check-ins at an instant. Pure, and free of
 * config imports (src/config/schema/workstreams.ts imports this module to validate `active:`).
 */

/** A workstream's `active` span and `starts_when` gate, as written in preflight.yml. */
export interface ActivityRule {
  /** IANA zone of the workstream: `from` and `until` are local to it. */
  zone: string;
  /** `YYYY-MM-DD` (from the start of that local date) or `YYYY-MM-DDTHH:mm` (from that local instant). */
  from?: string | undefined;
  /** `YYYY-MM-DD` (inclusive: to the end of that local date) or `YYYY-MM-DDTHH:mm` (exclusive: up to that instant). */
  until?: string | undefined;
  /** The gate the workstream waits for (`starts_when: { gate }`), with its display name. */
  startsWhen?: { gateId: string; gateName: string } | undefined;
}

/** What the rule needs to know of its `starts_when` gate: passed (and since when, Unix ms) or not. */
export interface StartGateState {
  status: 'pending' | 'passed' | 'failed';
  /** When it passed (Unix ms); null unless passed. */
  passedAt: number | null;
}

/**
 * Whether a workstream holds check-ins at an instant. `from`/`until` are UTC instants; `gate` names the gate the
 * workstream is waiting for.
 */
export type Activity = { state: 'active' } | { state: 'not_started'; from: DateTime } | { state: 'ended'; until: DateTime } | { state: 'waiting'; gate: { id: string; name: string } };

/**
 * The instant a local `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm` stands for in `zone`. A date is the first instant of that
 * local day (or, with `end`, of the next one: an inclusive end date), domain/checkins/days.ts `localDayStart`: where
 * midnight happens twice, the first one; where it does not exist, the instant the clocks jump to. A wall time that does not exist (spring-forward
 * gap) moves forward by the gap; one that happens twice is its first occurrence (as standups do,
 * domain/checkins/schedule.ts localTimeOn).
 * @returns a UTC DateTime. @throws Error on a malformed value or zone (config validation rules that out).
 */
export function boundaryInstant(value: string, zone: string, end = false): DateTime {
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) throw new Error(`boundaryInstant: invalid ${value} in ${zone}: ${dt.invalidExplanation}`);
  // a date: the first instant of that local day (of the next one for an inclusive end), midnight DST included
  if (value.length === 10) return localDayStart(end ? addDays(value, 1) : value, zone);
  return dt
    .getPossibleOffsets()
    .reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), dt)
    .toUTC();
}

/**
 * The workstream's activity at `at` (an instant). Checked in this order, the first that applies wins:
 * 1. `until` is at or before `at` → ended (an ended workstream stays ended whatever its gate does);
 * 2. a `starts_when` gate that has not passed by `at` (pending, failed, or passed later) → waiting for it;
 * 3. `from` is after `at` → not started yet;
 * 4. otherwise active.
 * A gate whose sign-off is withdrawn or that fails after passing puts the workstream back to waiting: the rule
 * reads the gate's state now, not its history.
 */
export function activityAt(rule: ActivityRule, at: DateTime, gate: StartGateState | null): Activity {
  if (rule.until !== undefined) {
    const until = boundaryInstant(rule.until, rule.zone, true);
    if (until <= at) return { state: 'ended', until };
  }
  if (rule.startsWhen) {
    const passed = gate?.status === 'passed' && gate.passedAt !== null && gate.passedAt <= at.toMillis();
    if (!passed) return { state: 'waiting', gate: { id: rule.startsWhen.gateId, name: rule.startsWhen.gateName } };
  }
  if (rule.from !== undefined) {
    const from = boundaryInstant(rule.from, rule.zone);
    if (from > at) return { state: 'not_started', from };
  }
  return { state: 'active' };
}

/**
 * The scheduler's guard: does the workstream hold the check-in whose window is [openAt, closeAt) (UTC), as seen at
 * `now`? While the window is open (now < closeAt) the workstream must be active now: a gate that passes at 09:05
 * opens the 09:00 check-in at the next tick; a check-in whose window began before `active.from` opens at `from`.
 * Once the window has closed (the scheduler decides whether it was missed), it must have been active just
 * before it closed. Whether the check-in day itself is a workday is the schedule's business, not this one's.
 */
export function isWorkstreamHoldingCheckins(rule: ActivityRule, window: { openAt: DateTime; closeAt: DateTime }, now: DateTime, gate: StartGateState | null): boolean {
  const at = now < window.closeAt ? now : window.closeAt.minus({ milliseconds: 1 });
  return activityAt(rule, at, gate).state === 'active';
}

/**
 * Why `active` is invalid, or null: `from` must come before `until` (compared as instants in `zone`; an `until`
 * date is inclusive, so `from: 2026-02-04, until: 2026-02-04` is one day and valid).
 */
export function activeSpanProblem(rule: Pick<ActivityRule, 'zone' | 'from' | 'until'>): string | null {
  if (rule.from === undefined || rule.until === undefined) return null;
  const from = boundaryInstant(rule.from, rule.zone);
  const until = boundaryInstant(rule.until, rule.zone, true);
  return from < until ? null : `active.from (${rule.from}) must come before active.until (${rule.until})`;
}
