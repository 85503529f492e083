import { DateTime } from 'luxon';
/** Severities are defined once, in domain/program/severities.ts. */
export { SEVERITIES, type Severity } from '../program/severities.js';

/**
 * Who a ladder level notifies: a role of the blocker's workstream/program, or a list whose items are Slack user IDs,
 * roles or rotations (`oncall:<id>`, issue 22).
 */
export type NotifyTarget = 'lead' | 'pm' | 'exec' | string[];

/** One rung: `afterMs` counts from when the blocker was raised (seed 004: "triage within 15 minutes"). */
export interface LadderLevel {
  afterMs: number;
  notify: NotifyTarget;
}

/** The escalation policy, copied onto the blocker when it is raised (a config change applies to new blockers only). */
export interface EscalationPolicy {
  ladder: LadderLevel[];
  /** `resolved` (default): the ladder runs until resolved, acknowledging only stops re-pings to the acknowledger. */
  stopWhen: 'resolved' | 'acknowledged';
  /** Optional repeat of the last level every `everyMs`, at most `max` times. */
  repeat?: { everyMs: number; max: number };
}

/** The part of a blocker the ladder looks at. Instants are UTC DateTimes. */
export interface LadderState {
  raisedAt: DateTime;
  resolved: boolean;
  /** Ladder levels already notified (or skipped for want of recipients), 0 … ladder.length. */
  levelsDone: number;
  /** Repeats of the last level already sent. */
  repeatsDone: number;
  /** When the last level (or repeat) was notified; null before the first. */
  lastNotifiedAt: DateTime | null;
  snoozedUntil: DateTime | null;
  acknowledgedBy: readonly string[];
}

/** The next notice: ladder level index, attempt (0 = the level itself, n = its n-th repeat) and due time. */
export interface Step {
  level: number;
  attempt: number;
  dueAt: DateTime;
}

/**
 * When the next notice is due, or null when the ladder is finished (resolved, acknowledged under
 * `stop_when: acknowledged`, every level and repeat sent).
 * - Level i is due `after_i` after the raise. After downtime or "Escalate now" the ladder climbs one level at a
 *   time: level i is never due sooner than the previous notice plus the ladder's own gap (after_i − after_{i−1}).
 * - A snooze moves anything due before its end to its end (notices are deferred, never dropped).
 */
export function nextStep(policy: EscalationPolicy, s: LadderState): Step | null {
  if (s.resolved) return null;
  if (policy.stopWhen === 'acknowledged' && s.acknowledgedBy.length > 0) return null;
  let step: Step;
  if (s.levelsDone < policy.ladder.length) {
    const i = s.levelsDone;
    let due = s.raisedAt.plus({ milliseconds: policy.ladder[i]!.afterMs });
    if (i > 0 && s.lastNotifiedAt) {
      const gap = policy.ladder[i]!.afterMs - policy.ladder[i - 1]!.afterMs;
      due = DateTime.max(due, s.lastNotifiedAt.plus({ milliseconds: Math.max(0, gap) }));
    }
    step = { level: i, attempt: 0, dueAt: due };
  } else if (policy.repeat && policy.ladder.length > 0 && s.repeatsDone < policy.repeat.max && s.lastNotifiedAt) {
    step = { level: policy.ladder.length - 1, attempt: s.repeatsDone + 1, dueAt: s.lastNotifiedAt.plus({ milliseconds: policy.repeat.everyMs }) };
  } else {
    return null;
  }
  if (s.snoozedUntil && step.dueAt < s.snoozedUntil) step = { ...step, dueAt: s.snoozedUntil };
  return step;
}

/** The state after `step` was notified (or skipped) at `now`. */
export function afterStep(s: LadderState, step: Step, now: DateTime): LadderState {
  return step.attempt === 0 ? { ...s, levelsDone: step.level + 1, lastNotifiedAt: now } : { ...s, repeatsDone: step.attempt, lastNotifiedAt: now };
}

/**
 * "Escalate now": the next level becomes due at `now` (the levels after it keep the ladder's spacing from
 * this notice). @returns null when every level has been notified already.
 */
export function escalateNowStep(policy: EscalationPolicy, s: LadderState, now: DateTime): Step | null {
  if (s.resolved || s.levelsDone >= policy.ladder.length) return null;
  return { level: s.levelsDone, attempt: 0, dueAt: now };
}

/** The people in a blocker's chain of command, for resolving roles. */
export interface Roles {
  leads: readonly string[];
  pm: string;
  execs: readonly string[];
  /** Who is on call now, by rotation id (empty or absent: nobody known); for `oncall:<id>` items (issue 22). */
  oncall?: Readonly<Record<string, readonly string[]>>;
}

/** The people one target item names: a role, `oncall:<id>` (from `roles.oncall`), or a user ID. */
function itemPeople(item: string, roles: Roles): readonly string[] {
  if (item === 'lead') return roles.leads;
  if (item === 'pm') return [roles.pm];
  if (item === 'exec') return roles.execs;
  if (item.startsWith('oncall:')) return roles.oncall?.[item.slice(7)] ?? [];
  return [item];
}

/**
 * Who a notice goes to: the level's target resolved against `roles`, without anyone who has acknowledged
 * (acknowledging stops the re-pings to whoever acknowledged). Empty means the level is skipped.
 */
export function recipients(target: NotifyTarget, roles: Roles, acknowledgedBy: readonly string[]): string[] {
  const ids = (typeof target === 'string' ? [target] : target).flatMap((item) => itemPeople(item, roles));
  return [...new Set(ids)].filter((id) => !acknowledgedBy.includes(id));
}

/**
 * Why a ladder step notified nobody: everyone it targets already acknowledged, the target resolves to no one, or
 * everyone it targets is away with nobody covering (issue 22, domain/people/cover.ts: the next step is due at once).
 */
export type SkipReason = 'acknowledged' | 'nobody' | 'away';

/**
 * What one ladder step did: the people it notified (`to`), or, with `to` empty, why it was skipped.
 * `level` is 0-based like {@link Step}; `attempt` 0 is the level itself, n its n-th repeat.
 */
export interface StepOutcome {
  level: number;
  attempt: number;
  to: string[];
  skipped: SkipReason | null;
  /** Who was away and who covered them (issue 22): "<@ana> is away until 24 Dec; <@ben> is covering". */
  away?: string[];
}

/**
 * Decides who `step` notifies: the level's target resolved against `roles`, without anyone who has acknowledged.
 * Nobody left means the step is skipped, with the reason: `acknowledged` when the target has people and all of them
 * acknowledged, `nobody` when the target names no one (no lead configured, empty list).
 */
export function stepOutcome(step: Pick<Step, 'level' | 'attempt'>, target: NotifyTarget, roles: Roles, acknowledgedBy: readonly string[]): StepOutcome {
  const to = recipients(target, roles, acknowledgedBy);
  const skipped: SkipReason | null = to.length > 0 ? null : recipients(target, roles, []).length > 0 ? 'acknowledged' : 'nobody';
  return { level: step.level, attempt: step.attempt, to, skipped };
}

/** A daily quiet window in a recipient's own zone, "HH:MM" to "HH:MM" (may wrap midnight). */
export interface QuietHours {
  from: string;
  to: string;
}

/**
 * When a notice to someone in `zone` may go out: null when `now` is outside their quiet hours, else the
 * instant their quiet hours end (the notice is deferred, never dropped; the ladder's clock keeps running).
 */
export function quietUntil(now: DateTime, zone: string, quiet: QuietHours | undefined): DateTime | null {
  if (!quiet || quiet.from === quiet.to) return null;
  const local = now.setZone(zone);
  const minutes = local.hour * 60 + local.minute;
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = toMin(quiet.from);
  const to = toMin(quiet.to);
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return null;
  let end = local.set({ hour: Math.floor(to / 60), minute: to % 60, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toUTC();
}

/** Human label of a level's target, for threads and DMs: "@pm", "the leads". */
export function targetLabel(target: NotifyTarget): string {
  const label = (t: string) => (t === 'lead' ? 'the lead' : t === 'pm' ? 'the PM' : t === 'exec' ? 'the execs' : t.startsWith('oncall:') ? `on call for ${t.slice(7)}` : `<@${t}>`);
  return typeof target === 'string' ? label(target) : target.map(label).join(', ');
}
