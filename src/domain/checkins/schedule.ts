import { DateTime } from 'luxon';
import { isCheckinDay, type Weekday } from './days.js';

/**
 * Everything needed to schedule one check-in of a workstream (the `standup` check-in, a declared one, or a program
 * check-in under the reserved workstream key), resolved from config by domain/checkins/plans.ts.
 */
export interface StandupPlan {
  workstreamId: string;
  /** The check-in's id (`standup` for the standup); a run is identified by (workstream, check-in, local date). */
  checkinId: string;
  /** IANA zone of the workstream; its calendar decides which local dates have a standup. */
  zone: string;
  /** Local wall-clock time "HH:MM". */
  at: string;
  /** Milliseconds after a member's prompt before their single reminder. */
  remindAfterMs: number;
  /** Milliseconds after a member's prompt before their answer window closes. */
  closeAfterMs: number;
  workdays: readonly Weekday[];
  /** ISO dates (YYYY-MM-DD, workstream-local) without standups (they do not cancel `dates` or `ranges`). */
  holidays: readonly string[];
  /** Extra ISO dates the check-in runs on, whatever their weekday (from `days:`). */
  dates?: readonly string[];
  /** Extra inclusive [from, until] ISO date ranges the check-in runs on (from `days:`). */
  ranges?: readonly (readonly [string, string])[];
  /** Participants in config order; `zone` is the member's own zone when they override it, else the workstream's. */
  members: readonly PlanMember[];
}

/** A participant of a check-in. `section` is the workstream a program check-in's report shows them under. */
export interface PlanMember {
  userId: string;
  zone: string;
  section?: { id: string; name: string };
}

/** When one member is prompted, reminded and closed for a run. All instants are UTC DateTimes. */
export interface MemberSlot {
  userId: string;
  zone: string;
  section?: { id: string; name: string };
  promptAt: DateTime;
  remindAt: DateTime;
  closeAt: DateTime;
}

/** One standup run of a workstream on one workstream-local date. */
export interface Occurrence {
  workstreamId: string;
  checkinId: string;
  /** Workstream-local date, YYYY-MM-DD: the run's identity with the workstream id. */
  localDate: string;
  /** The earliest member prompt (or the workstream's own time if it has no members). UTC. */
  openAt: DateTime;
  /** The latest member close. UTC. */
  closeAt: DateTime;
  members: MemberSlot[];
}

/**
 * The instant at which local wall-clock `at` ("HH:MM") happens on `localDate` in `zone`.
 * DST rules (luxon): a time that does not exist (spring-forward gap, e.g. 02:30 in New York on the
 * March change) moves forward by the gap (03:30); a time that happens twice (fall-back) resolves to the
 * first occurrence. Either way a local date yields exactly one instant: never twice, never skipped.
 * @returns a UTC DateTime.
 */
export function localTimeOn(localDate: string, at: string, zone: string): DateTime {
  const dt = DateTime.fromISO(`${localDate}T${at}`, { zone });
  if (!dt.isValid) throw new Error(`localTimeOn: invalid ${localDate}T${at} in ${zone}: ${dt.invalidExplanation}`);
  // luxon picks the later offset for a repeated wall time; take the earliest, as cron does
  const earliest = dt.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), dt);
  return earliest.toUTC();
}

/**
 * True when `localDate` (YYYY-MM-DD) is a day of the plan: one of its `dates` or `ranges`, or one of its workdays
 * that is not a holiday (domain/checkins/days.ts).
 */
export function isStandupDay(plan: Pick<StandupPlan, 'workdays' | 'holidays' | 'dates' | 'ranges'>, localDate: string): boolean {
  return isCheckinDay({ weekdays: plan.workdays, holidays: plan.holidays, dates: plan.dates ?? [], ranges: plan.ranges ?? [] }, localDate);
}

/**
 * The run of `plan` on workstream-local `localDate`, or null when that date has no standup.
 * Each member is prompted at `at` on that date in their own zone (member override) or the workstream's.
 */
export function occurrenceOn(plan: StandupPlan, localDate: string): Occurrence | null {
  if (!isStandupDay(plan, localDate)) return null;
  const members = plan.members.map(({ userId, zone, section }) => {
    const promptAt = localTimeOn(localDate, plan.at, zone);
    return {
      userId,
      zone,
      ...(section ? { section } : {}),
      promptAt,
      remindAt: promptAt.plus({ milliseconds: plan.remindAfterMs }),
      closeAt: promptAt.plus({ milliseconds: plan.closeAfterMs }),
    };
  });
  const own = localTimeOn(localDate, plan.at, plan.zone);
  const openAt = DateTime.min(own, ...members.map((m) => m.promptAt));
  const closeAt = DateTime.max(own.plus({ milliseconds: plan.closeAfterMs }), ...members.map((m) => m.closeAt));
  return { workstreamId: plan.workstreamId, checkinId: plan.checkinId, localDate, openAt, closeAt, members };
}

/**
 * Every occurrence of a check-in on the workstream-local dates `from` … `until` (YYYY-MM-DD, inclusive), in date
 * order: for each, every participant's prompt, reminder and close instants (UTC). This is the one listing of a
 * check-in's occurrences (the scheduler asks {@link latestOpenedOccurrence}, which uses the same {@link occurrenceOn}).
 * @throws Error when `from` or `until` is not an ISO date.
 */
export function occurrencesBetween(plan: StandupPlan, from: string, until: string): Occurrence[] {
  const start = DateTime.fromISO(from, { zone: 'utc' });
  const end = DateTime.fromISO(until, { zone: 'utc' });
  if (!start.isValid || !end.isValid) throw new Error(`occurrencesBetween: expected ISO dates, got ${from} … ${until}`);
  const out: Occurrence[] = [];
  for (let d = start; d <= end; d = d.plus({ days: 1 })) {
    const occ = occurrenceOn(plan, d.toISODate()!);
    if (occ) out.push(occ);
  }
  return out;
}

/**
 * How many workstream-local days ahead of "today" a run can already have opened. Real UTC offsets span
 * −12:00 … +14:00 (26 h), so a member up to 26 h ahead of the workstream (Pacific/Kiritimati, +14, in a
 * Pacific/Pago_Pago workstream, −11) is prompted for the workstream's date D while the workstream's own calendar
 * still shows D − 2 (at D 00:30 +14, it is D − 2 23:30 at −12). Two days cover any pair of zones.
 */
const DAYS_AHEAD = 2;

/** Candidate local dates around `now`, newest first: member zones can move a prompt into an adjacent day. */
function datesAround(plan: StandupPlan, now: DateTime, back: number, ahead: number): string[] {
  const today = now.setZone(plan.zone).startOf('day');
  const out: string[] = [];
  for (let i = ahead; i >= -back; i--) out.push(today.plus({ days: i }).toISODate()!);
  return out;
}

/**
 * The most recent occurrence that has opened by `now` (openAt ≤ now), looking back up to `lookbackDays`.
 * This is what the scheduler opens (if still before closeAt) or records as missed.
 */
export function latestOpenedOccurrence(plan: StandupPlan, now: DateTime, lookbackDays = 7): Occurrence | null {
  for (const date of datesAround(plan, now, lookbackDays, DAYS_AHEAD)) {
    const occ = occurrenceOn(plan, date);
    if (occ && occ.openAt <= now) return occ;
  }
  return null;
}

/** The first occurrence that opens after `now`, within `horizonDays` (for "next standup" hints). */
export function nextOccurrence(plan: StandupPlan, now: DateTime, horizonDays = 31): Occurrence | null {
  for (const date of datesAround(plan, now, 1, horizonDays).reverse()) {
    const occ = occurrenceOn(plan, date);
    if (occ && occ.openAt > now) return occ;
  }
  return null;
}

/** What the scheduler does about an occurrence that has opened. */
export type RunDecision = 'open' | 'missed' | 'nothing';

/**
 * Decides whether to start a run for `occ`:
 * - a run already recorded for that date → nothing (one run per workstream, check-in and local date);
 * - still before closeAt → open (a run missed while the bot was down starts when it comes back);
 * - already closed and it opened after Preflight began scheduling this workstream → missed;
 * - otherwise (before Preflight knew the workstream) → nothing.
 */
export function decideRun(occ: Occurrence, now: DateTime, alreadyRecorded: boolean, schedulingSince: DateTime): RunDecision {
  if (alreadyRecorded) return 'nothing';
  if (now < occ.closeAt) return 'open';
  return occ.openAt >= schedulingSince ? 'missed' : 'nothing';
}

/**
 * The run `/standup skip` means for `userId`: the earliest run (from two workstream-local days back to a week ahead)
 * whose answer window for this member has not closed by `now`. For a member east of the workstream (Tokyo in a
 * New York workstream) that is often the workstream's "tomorrow"; for one far west of it, a run dated two days back.
 * @returns the run's workstream-local date (YYYY-MM-DD) and the member's slot in it (UTC instants), or null when
 * no run in that span prompts them.
 */
export function runToSkip(plan: StandupPlan, userId: string, now: DateTime): { localDate: string; slot: MemberSlot } | null {
  const today = now.setZone(plan.zone).startOf('day');
  for (let d = -2; d <= 7; d++) {
    const localDate = today.plus({ days: d }).toISODate()!;
    const slot = occurrenceOn(plan, localDate)?.members.find((m) => m.userId === userId);
    if (slot && slot.closeAt > now) return { localDate, slot };
  }
  return null;
}

/** A member's out-of-office span, inclusive, as workstream-local ISO dates. */
export interface OutOfOffice {
  userId: string;
  from: string;
  until: string;
  /** Who covers them on every ladder meanwhile (`/standup ooo … delegate:@ben`, issue 22). */
  delegate?: string | null;
}

/** True when `localDate` falls in any of the user's out-of-office spans. */
export function isOutOfOffice(userId: string, localDate: string, spans: readonly OutOfOffice[]): boolean {
  return spans.some((s) => s.userId === userId && s.from <= localDate && localDate <= s.until);
}

/**
 * The run `/standup start` creates: today's workstream-local date, every member prompted now, reminded
 * and closed after the plan's durations. It takes today's slot, so the scheduled run for today will not
 * also happen (one run per workstream, check-in and local date).
 */
export function immediateOccurrence(plan: StandupPlan, now: DateTime): Occurrence {
  const localDate = now.setZone(plan.zone).toISODate()!;
  const members = plan.members.map(({ userId, zone, section }) => ({
    userId,
    zone,
    ...(section ? { section } : {}),
    promptAt: now,
    remindAt: now.plus({ milliseconds: plan.remindAfterMs }),
    closeAt: now.plus({ milliseconds: plan.closeAfterMs }),
  }));
  return { workstreamId: plan.workstreamId, checkinId: plan.checkinId, localDate, openAt: now, closeAt: now.plus({ milliseconds: plan.closeAfterMs }), members };
}
