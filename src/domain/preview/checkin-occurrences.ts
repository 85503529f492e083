import { DateTime } from 'luxon';
import { occurrenceOn, type MemberSlot, type StandupPlan } from '../standups/schedule.js';

/**
 * One check-in of one workstream as the preview enumerates it. Today Preflight runs one check-in a day per
 * workstream, `standup:` (id `standup`), planned by services/standups/plans.ts; `plan` is that same plan, so the
 * preview and the scheduler compute every instant with the same function ({@link checkinDay}).
 */
export interface PreviewCheckin {
  workstreamId: string;
  workstreamName: string;
  checkinId: string;
  plan: StandupPlan;
}

/** A check-in on one workstream-local date: its participants' slots (UTC instants), or why there is none. */
export type CheckinDay = { localDate: string; slots: MemberSlot[] } | { localDate: string; slots: null; reason: 'weekend' | 'holiday'; detail: string };

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The check-in's slots on workstream-local `localDate` (YYYY-MM-DD), from the scheduler's own occurrence function
 * (domain/standups/schedule.ts `occurrenceOn`: member zones, DST gaps and repeats), or the reason it does not
 * happen: `holiday` (a `calendar.holidays` date) or `weekend` (not one of `calendar.workdays`).
 * This is the one place the preview enumerates check-in instants: when check-ins get their own occurrence
 * function, only this changes.
 */
export function checkinDay(checkin: PreviewCheckin, localDate: string): CheckinDay {
  const occ = occurrenceOn(checkin.plan, localDate);
  if (occ) return { localDate, slots: occ.members };
  if (checkin.plan.holidays.includes(localDate)) return { localDate, slots: null, reason: 'holiday', detail: 'holiday (calendar.holidays)' };
  const weekday = WEEKDAY_NAMES[DateTime.fromISO(localDate, { zone: 'utc' }).weekday]!;
  return { localDate, slots: null, reason: 'weekend', detail: `${weekday} is not a workday (calendar.workdays)` };
}

/** The check-in's configured wall-clock time ("HH:MM") for a participant's slot, for DST notes. */
export function checkinClock(checkin: PreviewCheckin): string {
  return checkin.plan.at;
}
