import { DateTime } from 'luxon';
import { isCheckinDay, type Weekday } from '../checkins/days.js';
import { localTimeOn } from '../checkins/schedule.js';

/**
 * When the daily digest is due (pure): `program.digest.at` on each workday of the calendar that is not a
 * holiday, in the program's zone.
 */
export interface DigestSchedule {
  /** Local wall-clock time "HH:mm". */
  at: string;
  /** IANA zone (the program's). */
  zone: string;
  workdays: readonly Weekday[];
  /** ISO dates, program-local. */
  holidays: readonly string[];
}

/** True when `localDate` (YYYY-MM-DD, program-local) is a digest day: a workday that is not a holiday. */
export function isDigestDay(s: DigestSchedule, localDate: string): boolean {
  return isCheckinDay({ weekdays: s.workdays, dates: [], ranges: [], holidays: s.holidays }, localDate);
}

/** The digest instant of `localDate` (Unix ms); a time skipped by a DST change moves forward like a check-in's. */
export function digestAt(s: DigestSchedule, localDate: string): number {
  return localTimeOn(localDate, s.at, s.zone).toMillis();
}

/**
 * The digest due at `now` (Unix ms): today's (program-local) when today is a digest day and its time has
 * come, for up to `graceMs` after it (a digest missed while the bot was down goes out late, within that
 * time; after it, that day's digest is skipped). Null otherwise.
 */
export function dueDigest(s: DigestSchedule, now: number, graceMs = 6 * 3_600_000): { localDate: string; at: number } | null {
  const localDate = DateTime.fromMillis(now, { zone: s.zone }).toISODate()!;
  if (!isDigestDay(s, localDate)) return null;
  const at = digestAt(s, localDate);
  return now >= at && now < at + graceMs ? { localDate, at } : null;
}

/**
 * The digest instant of the digest day before `localDate` (looking back up to 31 days), or null when there is
 * none: where a first digest's window starts (later ones start where the previous digest's ended).
 */
export function previousDigestAt(s: DigestSchedule, localDate: string): number | null {
  let d = DateTime.fromISO(localDate, { zone: 'utc' });
  for (let i = 0; i < 31; i++) {
    d = d.minus({ days: 1 });
    const iso = d.toISODate()!;
    if (isDigestDay(s, iso)) return digestAt(s, iso);
  }
  return null;
}
