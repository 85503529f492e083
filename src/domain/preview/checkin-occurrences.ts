import type { DateTime } from 'luxon';
import { datesIn, type Weekday, weekdayOf } from '../checkins/days.js';
import { occurrencesBetween, type Occurrence, type StandupPlan } from '../checkins/schedule.js';

/**
 * One check-in (of a workstream, or of the program under its reserved workstream key) as the preview enumerates it.
 * `plan` is the plan the scheduler runs (domain/checkins/plans.ts), so both compute every instant with the same
 * function ({@link checkinDays}).
 */
export interface PreviewCheckin {
  workstreamId: string;
  /** The workstream's name (the program's for a program check-in). */
  workstreamName: string;
  checkinId: string;
  checkinName: string;
  /** True for a program check-in: participants carry the workstream (`section`) they answer for. */
  program: boolean;
  plan: StandupPlan;
  /** `calendar.workdays`: tells a weekend from a day the check-in's own `days:` leave out. */
  calendarWorkdays: readonly Weekday[];
}

/** A check-in on one workstream-local date: its occurrence (participants' slots, UTC instants), or why there is none. */
export type CheckinDay = { localDate: string; occurrence: Occurrence } | { localDate: string; occurrence: null; reason: 'weekend' | 'holiday' | 'not_a_checkin_day'; detail: string };

const WEEKDAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** Why `localDate` has no occurrence of the check-in: a holiday, not a workday, or not one of its own `days`. */
function whyNot(checkin: PreviewCheckin, localDate: string): Extract<CheckinDay, { occurrence: null }> {
  const weekday = weekdayOf(localDate);
  if (checkin.plan.holidays.includes(localDate) && checkin.plan.workdays.includes(weekday)) return { localDate, occurrence: null, reason: 'holiday', detail: 'holiday (calendar.holidays)' };
  if (!checkin.calendarWorkdays.includes(weekday)) return { localDate, occurrence: null, reason: 'weekend', detail: `${WEEKDAY_NAMES[weekday]} is not a workday (calendar.workdays)` };
  return { localDate, occurrence: null, reason: 'not_a_checkin_day', detail: `not one of the check-in's days (${WEEKDAY_NAMES[weekday]})` };
}

/**
 * The check-in on every workstream-local date `from` … `until` (YYYY-MM-DD, inclusive): its occurrence from
 * the scheduler's own listing of occurrences (domain/checkins/schedule.ts `occurrencesBetween`: participant zones,
 * `days:`, DST gaps and repeats), or why that date has none. This is the one place the preview enumerates
 * check-in instants.
 */
export function checkinDays(checkin: PreviewCheckin, from: string, until: string): CheckinDay[] {
  const byDate = new Map(occurrencesBetween(checkin.plan, from, until).map((o) => [o.localDate, o]));
  return datesIn(from, until).map((localDate) => {
    const occurrence = byDate.get(localDate);
    return occurrence ? { localDate, occurrence } : whyNot(checkin, localDate);
  });
}

/** The workstream-local dates (YYYY-MM-DD) whose check-ins can prompt someone in [from, until): two days either way. */
export function candidateDates(zone: string, from: DateTime, until: DateTime): { first: string; last: string } {
  return { first: from.setZone(zone).minus({ days: 2 }).toISODate()!, last: until.setZone(zone).plus({ days: 2 }).toISODate()! };
}
