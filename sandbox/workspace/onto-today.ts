import { DateTime } from 'luxon';

/*
 * The sandbox plays a config from today (issue 18): a transform over the parsed (already validated) preflight.yml
 * object that moves every date in it onto the sandbox's clock and, under `--speed N`, every time of day too.
 *
 * Dates. The example's first day (the earliest date it names: check-in `days:`, workstreams' `active`, tasks' and
 * gates' `due`, `gonogo.at`, `program.go_live`, `program.end`; holidays do not count) becomes today, the sandbox's date at start in
 * the program's zone, and every other date keeps its distance in days from it: a launch of Thu 13 - Sat 15 Nov
 * started on a Monday runs Monday to Wednesday. Weekday names (`days: [mon, wed]`) are not dates and stay.
 *
 * Times of day, `--speed N` > 1 (sandbox/workspace/speed.ts divides the durations). The earliest check-in time
 * (the `standup` times and every `checkins[].at`) starts the sandbox's day: it is the minute after start (so the
 * first check-in comes within a minute), and every other time of day of the config keeps its distance from it
 * divided by N (check-ins, `program.digest.at`, and the times of the date-times above). Day k of the example is
 * day k after start, at the same compressed times: at × 10, a 09:00 check-in of the first day comes within a
 * minute of start and its 17:00 gate is due 48 minutes later; the 09:00 check-in of the second day comes 24 hours
 * after the first. A compressed time past midnight moves its check-in's days (dates and weekday names) to the
 * next day with it. A due time or go/no-go of the first day earlier than its first check-in is due 2 minutes
 * after it (not overdue at start); a date without a time (`active: { from: 2025-11-14 }`) becomes the compressed start of that
 * day (its 00:00, `until` the next day's). `escalation.quiet_hours` is left as written.
 * With N = 1 the times of day stay as written: only the dates move.
 *
 * The arithmetic is done on wall-clock readings (local date and time, each in its own zone), so a DST change
 * moves nothing by an hour: Preflight reads a wall time that does not exist (spring forward) as the one an hour
 * later, which is the same instant as its distance from the start. A wall time that happens twice (fall back)
 * names its first pass (src/domain/checkins/schedule.ts localTimeOn): started in the second pass of that hour, the
 * sandbox's day starts when the hour ends (`MovedSchedule.start.repeatedHour` says so).
 */

type AnyObj = Record<string, any>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A wall-clock reading (local date and time in some zone) held as a UTC DateTime, so adding days or minutes ignores DST. */
type Wall = DateTime;

const wall = (date: string, hhmm = '00:00'): Wall => DateTime.fromISO(`${date}T${hhmm}`, { zone: 'utc' });
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const obj = (v: unknown): AnyObj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as AnyObj) : undefined);
const list = (v: unknown): AnyObj[] => (Array.isArray(v) ? (v as unknown[]).map(obj).filter((x): x is AnyObj => !!x) : []);
const daysBetween = (from: Wall, to: Wall) => Math.round(to.startOf('day').diff(from.startOf('day'), 'days').days);

/** The instant Preflight reads a wall time as: its first pass when it happens twice, one an hour later when it does not exist. */
function instantOf(w: Wall, zone: string): number {
  const dt = DateTime.fromObject({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute }, { zone });
  return Math.min(...dt.getPossibleOffsets().map((o) => o.toMillis()), dt.toMillis());
}

/** A check-in of the config: where its time and its days are, and the zone they are read in. */
interface CheckinSlot {
  /** The check-in's object (`checkins[i]`), or the standup's (`standup:`, created on a workstream that inherits the program's). */
  holder: () => AnyObj;
  zone: string;
  /** Its time of day as written ("HH:MM"; a workstream standup without its own: the program's). */
  at: string;
  /** The check-in may have `days:` (declared check-ins; not the `standup` check-ins, which follow the calendar). */
  dated: boolean;
  /** The program-level `standup.at`: a default, counted as a check-in time only when nothing else is. */
  programDefault?: boolean;
}

/**
 * Every check-in time of the config: the program's `standup.at`, each workstream's standup (its own time, else the
 * program's, written into it) unless it declares `checkins:` without a `standup:` key or disables it, and every
 * `checkins[].at` (workstreams' and `program.checkins`).
 */
function checkinSlots(raw: AnyObj, programZone: string): CheckinSlot[] {
  const slots: CheckinSlot[] = [];
  const program = obj(raw.standup);
  const programAt = typeof program?.at === 'string' ? program.at : '10:00';
  if (program) slots.push({ holder: () => program, zone: programZone, at: programAt, dated: false, programDefault: true });
  const declared = (items: unknown, zone: string) => {
    for (const c of list(items)) if (typeof c.at === 'string') slots.push({ holder: () => c, zone, at: c.at, dated: true });
  };
  declared(obj(raw.program)?.checkins, programZone);
  for (const w of Object.values(obj(raw.workstreams) ?? {}).map(obj)) {
    if (!w) continue;
    const zone = typeof w.timezone === 'string' ? w.timezone : programZone;
    declared(w.checkins, zone);
    // a workstream with `checkins:` and no `standup:` holds no standup: do not give it one
    if (Array.isArray(w.checkins) && !obj(w.standup)) continue;
    const own = obj(w.standup);
    if (own?.enabled === false) continue;
    slots.push({
      holder: () => (w.standup = obj(w.standup) ?? {}),
      zone,
      at: typeof own?.at === 'string' ? own.at : programAt,
      dated: false,
    });
  }
  return slots;
}

/** Every date a config names that the sandbox moves (not holidays), as YYYY-MM-DD. */
function datesIn(raw: AnyObj): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    const range = RANGE.exec(v);
    if (range) out.push(range[1]!, range[2]!);
    else if (DATE.test(v) || DATE_TIME.test(v)) out.push(v.slice(0, 10));
  };
  const days = (c: AnyObj | undefined) => (Array.isArray(c?.days) ? (c.days as unknown[]).forEach(add) : undefined);
  days(obj(raw.checkins));
  list(obj(raw.program)?.checkins).forEach(days);
  add(obj(raw.program)?.go_live);
  add(obj(raw.program)?.end);
  add(obj(raw.gonogo)?.at);
  for (const g of list(raw.gates)) add(g.due);
  for (const w of Object.values(obj(raw.workstreams) ?? {}).map(obj)) {
    list(w?.checkins).forEach(days);
    add(obj(w?.active)?.from);
    add(obj(w?.active)?.until);
    for (const t of list(w?.tasks)) add(t.due);
  }
  return out;
}

/** What {@link moveOntoToday} did, for the sandbox's start-up lines and for tests. */
export interface MovedSchedule {
  /** The example's first day and the date it became (YYYY-MM-DD, program zone); null when the config names no date. */
  dates: { firstDay: string; today: string } | null;
  /**
   * With `--speed` > 1: when the sandbox's day starts, program-local wall time ("HH:MM"), and the config's time of
   * day it stands for (its earliest check-in time). `repeatedHour` is true when the start is in an hour the clocks
   * repeat today (fall back): the day then starts when that hour ends, not within a minute.
   */
  start: { at: string; standsFor: string; repeatedHour: boolean } | null;
}

/**
 * Moves a config's dates (and, with speed > 1, its times of day) onto the sandbox's clock, as the comment at the
 * top of this file says. Mutates `raw`.
 * @param raw the parsed preflight.yml (plain JS, already validated: dates are `YYYY-MM-DD`, `A..B` or
 *   `YYYY-MM-DDTHH:mm`, times "HH:MM").
 * @param speed N ≥ 1 (`--speed`): times of day keep their distance from the earliest check-in ÷ N; 1 keeps them.
 * @param nowMs the sandbox's clock at start, epoch ms.
 * @returns what moved (see {@link MovedSchedule}).
 * @throws Error when speed is below 1.
 */
export function moveOntoToday(raw: AnyObj, speed: number, nowMs: number): MovedSchedule {
  if (!(speed >= 1)) throw new Error(`--speed must be a number ≥ 1 (got ${speed})`);
  const programZone = typeof obj(raw.program)?.timezone === 'string' ? (raw.program.timezone as string) : 'UTC';
  const compress = speed > 1;
  const slots = checkinSlots(raw, programZone);
  const counted = slots.some((s) => !s.programDefault) ? slots.filter((s) => !s.programDefault) : slots;
  const earliest = counted.length ? Math.min(...counted.map((s) => minutesOf(s.at))) : 0;
  const dates = datesIn(raw).sort();
  const firstDay = dates[0];
  const todayProgram = DateTime.fromMillis(nowMs, { zone: programZone }).toISODate()!;

  // the sandbox's day 0 in each zone: with speed > 1, the minute after start (or the end of a repeated hour)
  const starts = new Map<string, { wall: Wall; repeatedHour: boolean }>();
  const startIn = (zone: string) => {
    let found = starts.get(zone);
    if (!found) {
      const real = DateTime.fromMillis(nowMs, { zone }).startOf('minute').plus({ minutes: 1 });
      let w: Wall = real.setZone('utc', { keepLocalTime: true });
      const atStart = w;
      while (instantOf(w, zone) < real.toMillis()) w = w.plus({ minutes: 1 });
      found = { wall: w, repeatedHour: !w.equals(atStart) };
      starts.set(zone, found);
    }
    return found.wall;
  };
  const offsetOf = (hhmm: string) => Math.round((minutesOf(hhmm) - earliest) / speed);

  /** Where the config's local `date` at `hhmm` in `zone` lands, as a wall reading in that zone. */
  const place = (date: string, hhmm: string, zone: string): Wall => {
    if (!compress) return wall(date, hhmm).plus({ days: firstDay ? daysBetween(wall(firstDay), wall(todayProgram)) : 0 });
    return startIn(zone)
      .plus({ days: firstDay ? daysBetween(wall(firstDay), wall(date)) : 0 })
      .plus({ minutes: offsetOf(hhmm) });
  };
  const timeOfDay = (hhmm: string, zone: string) =>
    compress
      ? startIn(zone)
          .plus({ minutes: offsetOf(hhmm) })
          .toFormat('HH:mm')
      : hhmm;
  const fmtDate = (w: Wall) => w.toISODate()!;
  const fmtDateTime = (w: Wall) => w.toFormat("yyyy-LL-dd'T'HH:mm");
  /** A deadline (`due`, `gonogo.at`, `go_live`): placed, and with speed > 1 never before 2 minutes after the day's start. */
  const deadline = (value: unknown, zone: string): unknown => {
    const m = typeof value === 'string' ? DATE_TIME.exec(value) : null;
    if (!m) return value;
    const placed = place(m[1]!, m[2]!, zone);
    const soonest = compress ? startIn(zone).plus({ minutes: 2 }) : placed;
    return fmtDateTime(placed < soonest ? soonest : placed);
  };
  /** An `active` bound: a date-time is placed; a date moves (speed 1) or becomes its day's compressed start. */
  const bound = (value: unknown, zone: string, end: boolean): unknown => {
    if (typeof value !== 'string') return value;
    const m = DATE_TIME.exec(value);
    if (m) return fmtDateTime(place(m[1]!, m[2]!, zone));
    if (!DATE.test(value)) return value;
    if (!compress) return fmtDate(place(value, '00:00', zone));
    return fmtDateTime(place(end ? fmtDate(wall(value).plus({ days: 1 })) : value, '00:00', zone));
  };

  // check-ins: their time of day, and their days with it (a date-limited check-in keeps its dates' distances)
  const defaults = obj(raw.checkins);
  const dayZero = (zone: string) => (compress ? startIn(zone) : wall(todayProgram));
  for (const slot of slots) {
    const at0 = firstDay ? place(firstDay, slot.at, slot.zone) : compress ? startIn(slot.zone).plus({ minutes: offsetOf(slot.at) }) : wall(todayProgram, slot.at);
    if (compress) slot.holder().at = at0.toFormat('HH:mm');
    if (!slot.dated) continue;
    const holder = slot.holder();
    if (!Array.isArray(holder.days) && Array.isArray(defaults?.days)) holder.days = [...(defaults.days as unknown[])];
    if (!Array.isArray(holder.days)) continue;
    const wrap = daysBetween(dayZero(slot.zone), at0); // a compressed time past midnight: 1
    holder.days = (holder.days as unknown[]).map((d) => {
      if (typeof d !== 'string') return d;
      const range = RANGE.exec(d);
      if (range) return `${fmtDate(place(range[1]!, slot.at, slot.zone))}..${fmtDate(place(range[2]!, slot.at, slot.zone))}`;
      if (DATE.test(d)) return fmtDate(place(d, slot.at, slot.zone));
      const i = (WEEKDAYS as readonly string[]).indexOf(d);
      return i < 0 || wrap === 0 ? d : WEEKDAYS[(i + wrap + 7 * 10) % 7];
    });
  }
  // the defaults themselves (every check-in above now has its own copy): the sandbox's days they stand for
  const earliestAt = `${String(Math.floor(earliest / 60)).padStart(2, '0')}:${String(earliest % 60).padStart(2, '0')}`;
  if (firstDay && Array.isArray(defaults?.days)) {
    defaults.days = (defaults.days as unknown[]).map((d) => {
      if (typeof d !== 'string') return d;
      const range = RANGE.exec(d);
      if (range) return `${fmtDate(place(range[1]!, earliestAt, programZone))}..${fmtDate(place(range[2]!, earliestAt, programZone))}`;
      return DATE.test(d) ? fmtDate(place(d, earliestAt, programZone)) : d;
    });
  }
  const program = obj(raw.program);
  const digest = obj(program?.digest);
  if (digest && typeof digest.at === 'string') digest.at = timeOfDay(digest.at, programZone);
  if (firstDay) {
    if (program?.go_live !== undefined) program.go_live = deadline(program.go_live, programZone);
    if (program?.end !== undefined) program.end = deadline(program.end, programZone);
    if (obj(raw.gonogo)?.at !== undefined) raw.gonogo.at = deadline(raw.gonogo.at, programZone);
    for (const g of list(raw.gates)) if (g.due !== undefined) g.due = deadline(g.due, programZone);
    for (const w of Object.values(obj(raw.workstreams) ?? {}).map(obj)) {
      if (!w) continue;
      const zone = typeof w.timezone === 'string' ? w.timezone : programZone;
      for (const t of list(w.tasks)) if (t.due !== undefined) t.due = deadline(t.due, zone);
      const active = obj(w.active);
      if (active?.from !== undefined) active.from = bound(active.from, zone, false);
      if (active?.until !== undefined) active.until = bound(active.until, zone, true);
    }
    const calendar = obj(raw.calendar);
    if (!compress && Array.isArray(calendar?.holidays))
      calendar.holidays = (calendar.holidays as unknown[]).map((h) => (typeof h === 'string' && DATE.test(h) ? fmtDate(place(h, '00:00', programZone)) : h));
  }
  return {
    dates: firstDay ? { firstDay, today: fmtDate(dayZero(programZone)) } : null,
    start: compress
      ? {
          at: startIn(programZone).toFormat('HH:mm'),
          standsFor: earliestAt,
          repeatedHour: starts.get(programZone)!.repeatedHour,
        }
      : null,
  };
}
