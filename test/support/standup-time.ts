import { DateTime } from 'luxon';

/**
 * Helpers for configs of tests that run on the real clock (the real process, or the in-process harness in
 * 'real-time' mode): their outcome must not depend on the hour, weekday, date or DST state of the machine.
 */

/** Every weekday, for `calendar.workdays` in a test that does not test the calendar (a Saturday run behaves as a Monday's). */
export const EVERY_DAY = '[mon, tue, wed, thu, fri, sat, sun]';

/**
 * A standup time of day ("HH:MM", wall-clock time in `zone`) whose scheduled runs are never open or due while
 * a test runs: 12 hours of elapsed time after `now`. The runs of the adjacent local dates then open about 12 h
 * before and 12 h after `now` (± 1 h across a DST change), so a window of up to 8 h (`close_after`) never covers
 * the minutes a test takes; and the earlier run, closed before the bot first saw the workstream, is not
 * recorded as missed. A test that wants a run starts it itself (`/standup start`, an immediate run).
 * @param now the test's own now (default: the real clock, shifted by faketime when the suite runs under it).
 */
export function standupTimeAwayFromNow(zone: string, now: DateTime = DateTime.utc()): string {
  const at = now.setZone(zone).plus({ hours: 12 });
  if (!at.isValid) throw new Error(`standupTimeAwayFromNow: invalid zone ${zone}`);
  return at.toFormat('HH:mm');
}

/**
 * A fixed-offset zone (`Etc/GMT±N`, no DST) in which `now` falls between 11:30 and 12:30 local time, so check-in
 * times a few minutes after `now` stay on the same local date whatever the machine's hour.
 * @param now the test's own now (default: the real clock). Note the IANA sign: `Etc/GMT-5` is UTC+5.
 */
export function middayZone(now: DateTime = DateTime.utc()): string {
  const utc = now.toUTC();
  const offset = 12 - Math.round(utc.hour + utc.minute / 60); // -11..+12, all valid Etc/GMT zones
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** "HH:mm" in `zone`, `minutes` after the start of `now`'s minute (a check-in `at` relative to the test's now). */
export function localMinute(zone: string, now: DateTime, minutes: number): string {
  return now.setZone(zone).startOf('minute').plus({ minutes }).toFormat('HH:mm');
}
