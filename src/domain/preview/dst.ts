import { DateTime } from 'luxon';
import { addDays, localDayStart } from '../checkins/days.js';

/** A change of a zone's UTC offset on one local date (a DST change, or a zone's rule change). */
export interface OffsetChange {
  /** The instant of the change, UTC. */
  at: DateTime;
  /** Offsets before and after, in minutes east of UTC (luxon's `offset`). */
  fromOffset: number;
  toOffset: number;
  /**
   * Local wall-clock time the clocks are turned from and to, "HH:MM" ("02:00" → "03:00" in New York in March);
   * "24:00" when they are turned back at the end of the day (Beirut: "24:00" → "23:00").
   */
  fromClock: string;
  toClock: string;
}

/**
 * The offset change that happens on `localDate` (YYYY-MM-DD) in `zone`, or null when the zone keeps one offset
 * all that day. The day is [its first instant, the next day's first instant) (domain/checkins/days.ts
 * `localDayStart`), so a change at midnight belongs to the day it starts or, going back to the day before
 * (Asia/Beirut in October: 24:00 → 23:00), to the day whose last hour happens twice. Found with luxon alone: the
 * offsets just before the day and at its last instant differ, and a binary search finds the instant (zones change at
 * most once a day).
 */
export function offsetChangeOn(localDate: string, zone: string): OffsetChange | null {
  let start: DateTime;
  try {
    start = localDayStart(localDate, zone);
  } catch {
    return null;
  }
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  // the last instant before the day and the day's own last instant
  let lo = start.toMillis() - 1;
  let hi = localDayStart(addDays(localDate, 1), zone).toMillis() - 1;
  const fromOffset = offsetAt(lo);
  const toOffset = offsetAt(hi);
  if (fromOffset === toOffset) return null;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetAt(mid) === fromOffset) lo = mid;
    else hi = mid;
  }
  const at = DateTime.fromMillis(hi, { zone: 'utc' });
  // wall clocks read the instant in the old and in the new offset; the old one may already read the next day's
  // 00:00 (Beirut, Cairo, Santiago go back at 24:00)
  const before = at.plus({ minutes: fromOffset });
  const fromClock = before.toISODate()! > localDate ? '24:00' : before.toFormat('HH:mm');
  return { at, fromOffset, toOffset, fromClock, toClock: at.plus({ minutes: toOffset }).toFormat('HH:mm') };
}

/**
 * What to tell a reader about a line on a DST change day in `zone`, or null on an ordinary day.
 * - `at` (the configured wall-clock time, "HH:MM") fell in the spring-forward gap: "clocks go forward: 02:30 moves
 *   to 03:30" (the time actually used, from `happensAt`, which the scheduler computed with luxon).
 * - `at` happens twice (fall-back): "clocks go back: 01:30 happens twice; the first one is used (UTC−04:00)".
 * - otherwise: "clocks go forward at 02:00 (to 03:00) today" / "clocks go back at 02:00 (to 01:00) today".
 * @param localDate the date in `zone` the line falls on; @param happensAt the instant the line happens (UTC).
 */
export function dstNote(localDate: string, zone: string, at: string | null, happensAt: DateTime): string | null {
  const change = offsetChangeOn(localDate, zone);
  if (!change) return null;
  const forward = change.toOffset > change.fromOffset;
  if (at) {
    const local = happensAt.setZone(zone).toFormat('HH:mm');
    if (forward && local !== at) return `clocks go forward: ${at} moves to ${local}`;
    if (!forward) {
      const wall = DateTime.fromISO(`${localDate}T${at}`, { zone });
      if (wall.getPossibleOffsets().length > 1) return `clocks go back: ${at} happens twice; the first one is used (UTC${happensAt.setZone(zone).toFormat('ZZ')})`;
    }
  }
  return `clocks go ${forward ? 'forward' : 'back'} at ${change.fromClock} (to ${change.toClock}) today`;
}

/**
 * For a line that follows another by a fixed duration (a reminder or close after its prompt, an escalation after a
 * due time): the note when the clocks change in `zone` after `since` and by `at` ("clocks go back at 02:00 (to
 * 01:00) since the prompt"), else null. Durations are exact, so such a line's wall-clock time shifts by the change.
 * @param since the earlier line's instant; @param what its name, for the note.
 */
export function dstNoteBetween(zone: string, since: DateTime, at: DateTime, what: string): string | null {
  const change = offsetChangeOn(at.setZone(zone).toISODate()!, zone) ?? offsetChangeOn(since.setZone(zone).toISODate()!, zone);
  if (!change || change.at <= since || change.at > at) return null;
  return `clocks go ${change.toOffset > change.fromOffset ? 'forward' : 'back'} at ${change.fromClock} (to ${change.toClock}) since the ${what}`;
}
