import { DateTime } from 'luxon';

/*
 * Which local dates a check-in runs on. Pure, like all of src/domain: no config import (src/config imports this
 * module to validate `days:` and overlapping windows).
 */

/** Weekday names as `preflight.yml` spells them, Monday first (luxon's weekday 1…7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An ISO date range as written in `days:`, inclusive: `2026-02-04..2026-02-06`. */
export const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The days of one check-in. A local date is a check-in day when it is listed in `dates` or falls in one of
 * `ranges`, or when its weekday is in `weekdays` and it is not one of `holidays`. Explicit dates and ranges
 * win over holidays: writing a date means that date.
 */
export interface CheckinDays {
  weekdays: readonly Weekday[];
  /** ISO dates (YYYY-MM-DD, local to the check-in's workstream). */
  dates: readonly string[];
  /** Inclusive [from, until] ISO date pairs. */
  ranges: readonly (readonly [string, string])[];
  holidays: readonly string[];
}

/** luxon weekday (1 = Monday … 7 = Sunday) of an ISO date, read as a calendar date (no zone involved). */
export function weekdayOf(localDate: string): Weekday {
  return WEEKDAYS[DateTime.fromISO(localDate, { zone: 'utc' }).weekday - 1]!;
}

/** True when `localDate` (YYYY-MM-DD) is a day of `days` (see {@link CheckinDays}). */
export function isCheckinDay(days: CheckinDays, localDate: string): boolean {
  if (days.dates.includes(localDate)) return true;
  if (days.ranges.some(([from, until]) => from <= localDate && localDate <= until)) return true;
  return days.weekdays.includes(weekdayOf(localDate)) && !days.holidays.includes(localDate);
}

/**
 * Reads a `days:` list (weekday names, ISO dates, `from..until` ranges) into {@link CheckinDays}.
 * @param entries already validated by {@link dayEntryProblem}; @param holidays the calendar's holidays.
 */
export function parseDays(entries: readonly string[], holidays: readonly string[]): CheckinDays {
  const weekdays: Weekday[] = [];
  const dates: string[] = [];
  const ranges: [string, string][] = [];
  for (const e of entries) {
    const range = DATE_RANGE.exec(e);
    if (range) ranges.push([range[1]!, range[2]!]);
    else if (ISO_DATE.test(e)) dates.push(e);
    else weekdays.push(e as Weekday);
  }
  return { weekdays, dates, ranges, holidays };
}

/** Longest `from..until` range accepted (a year): longer spans are better written as weekdays. */
export const MAX_RANGE_DAYS = 366;

/** Why a `days:` entry is invalid, or null when it is a weekday name, an ISO date or a `from..until` range. */
export function dayEntryProblem(entry: string): string | null {
  const valid = (d: string) => DateTime.fromISO(d, { zone: 'utc' }).isValid;
  if ((WEEKDAYS as readonly string[]).includes(entry)) return null;
  if (ISO_DATE.test(entry)) return valid(entry) ? null : `${entry} is not a real calendar date`;
  const range = DATE_RANGE.exec(entry);
  if (!range) return `expected a weekday (${WEEKDAYS.join(', ')}), a date such as 2026-02-04 or a range such as 2026-02-04..2026-02-06`;
  const [, from, until] = range as unknown as [string, string, string];
  if (!valid(from) || !valid(until)) return 'not a real calendar date';
  if (from > until) return `the range starts (${from}) after it ends (${until})`;
  const span = DateTime.fromISO(until, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days + 1;
  if (span > MAX_RANGE_DAYS) return `a range may cover at most ${MAX_RANGE_DAYS} days (list weekdays instead)`;
  return null;
}

/**
 * True when two check-ins' day sets can share a date (holidays ignored: a conservative answer for config
 * validation). Weekdays meet weekdays; a date or range meets the other's weekdays, dates and ranges.
 */
export function daysMayMeet(a: CheckinDays, b: CheckinDays): boolean {
  if (a.weekdays.some((w) => b.weekdays.includes(w))) return true;
  const concrete = (d: CheckinDays): string[] => [...d.dates, ...d.ranges.flatMap(([from, until]) => datesIn(from, until))];
  const aDates = concrete(a);
  const bDates = concrete(b);
  const bSet = new Set(bDates);
  if (aDates.some((d) => bSet.has(d) || b.weekdays.includes(weekdayOf(d)))) return true;
  return bDates.some((d) => a.weekdays.includes(weekdayOf(d)));
}

/**
 * The first instant of the local date `localDate` (YYYY-MM-DD) in `zone`, as a UTC DateTime: its midnight; where
 * the clocks go forward at midnight (America/Havana in March: 00:00 → 01:00) the instant they jump to, 01:00; where
 * a midnight happens twice (Havana in November: 01:00 → 00:00) the first of them. A day is [localDayStart(D),
 * localDayStart(D + 1)): 23, 24 or 25 hours, and every instant belongs to exactly one day. luxon's `startOf('day')`
 * and `plus({ days: 1 })` pick the later of two midnights, so they are not used for this.
 * @throws Error on a malformed date or an unknown zone.
 */
export function localDayStart(localDate: string, zone: string): DateTime {
  // a midnight that does not exist moves forward by the gap (luxon); one that happens twice has two offsets
  const dt = DateTime.fromISO(localDate, { zone });
  if (!ISO_DATE.test(localDate) || !dt.isValid) throw new Error(`localDayStart: invalid ${localDate} in ${zone}: ${dt.invalidExplanation ?? 'expected YYYY-MM-DD'}`);
  return dt
    .getPossibleOffsets()
    .reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), dt)
    .toUTC();
}

/** The ISO date `days` calendar days after `localDate` (YYYY-MM-DD; negative: before), read as a calendar date. */
export function addDays(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** Every ISO date from `from` to `until`, inclusive. */
export function datesIn(from: string, until: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from, { zone: 'utc' });
  const end = DateTime.fromISO(until, { zone: 'utc' });
  while (d <= end) {
    out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}
