import { DateTime } from 'luxon';

/** A change of a zone's UTC offset on one local date (a DST change, or a zone's rule change). */
export interface OffsetChange {
  /** The instant of the change, UTC. */
  at: DateTime;
  /** Offsets before and after, in minutes east of UTC (luxon's `offset`). */
  fromOffset: number;
  toOffset: number;
  /** Local wall-clock time the clocks are turned from and to, "HH:MM" ("02:00" → "03:00" in New York in March). */
  fromClock: string;
  toClock: string;
}

/**
 * The offset change that happens on `localDate` (YYYY-MM-DD) in `zone`, or null when the zone keeps one offset
 * all that day. Found with luxon alone: the offsets at the day's start and end differ, and a binary search to the
 * minute finds the instant (zones change at most once a day).
 */
export function offsetChangeOn(localDate: string, zone: string): OffsetChange | null {
  const start = DateTime.fromISO(localDate, { zone }).startOf('day');
  const end = start.plus({ days: 1 });
  if (!start.isValid || start.offset === end.offset) return null;
  let lo = start.toMillis();
  let hi = end.toMillis();
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (DateTime.fromMillis(mid, { zone }).offset === start.offset) lo = mid;
    else hi = mid;
  }
  const at = DateTime.fromMillis(hi, { zone: 'utc' });
  const fromOffset = start.offset;
  const toOffset = end.offset;
  return {
    at,
    fromOffset,
    toOffset,
    // wall clocks read the instant in the old and in the new offset
    fromClock: at.plus({ minutes: fromOffset }).toFormat('HH:mm'),
    toClock: at.plus({ minutes: toOffset }).toFormat('HH:mm'),
  };
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
