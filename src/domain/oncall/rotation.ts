import { DateTime } from 'luxon';
import { type RotationDeclaration, sourceOf } from './declaration.js';

/*
 * Who is on call (issue 22): pure rules over shifts. A feed (ICS, PagerDuty, Opsgenie) gives its shifts; a
 * rotation written in preflight.yml derives them from its members, hand-off and shift length.
 */

/** One shift: `person` (a user ID or email, as the source names them) is on call from `start` (inclusive) to `end` (exclusive); UTC instants, ISO strings in storage. `end` null: until further notice (Opsgenie's on-calls give no end). */
export interface Shift {
  start: DateTime;
  end: DateTime | null;
  person: string;
}

/** Who is on call at an instant and who comes next (each null when unknown). */
export interface OnCallNow {
  now: Shift | null;
  next: Shift | null;
}

/**
 * Who is on call at `at` and who is next, from a list of shifts in any order. Overlapping shifts (an override over
 * the regular layer) resolve to the one that started last, as schedule tools layer overrides on top.
 * `next` is the first shift starting after `at` (and after the current one's end when that is known) whose person
 * differs from the current one; adjacent shifts of the same person are merged into one (its end is the later end).
 */
export function onCallAt(shifts: readonly Shift[], at: DateTime): OnCallNow {
  const t = at.toMillis();
  const covering = shifts.filter((s) => s.start.toMillis() <= t && (s.end === null || s.end.toMillis() > t));
  const current = covering.sort((a, b) => b.start.toMillis() - a.start.toMillis())[0] ?? null;
  const later = shifts.filter((s) => s.start.toMillis() > t).sort((a, b) => a.start.toMillis() - b.start.toMillis());
  let now = current;
  if (now) {
    // extend across back-to-back shifts of the same person (a weekly layer written as daily events)
    let end = now.end;
    for (const s of later) {
      if (end === null || s.start.toMillis() > end.toMillis()) break;
      if (s.person !== now.person) {
        if (s.start.toMillis() < end.toMillis()) end = s.start; // an override cuts the shift short
        break;
      }
      if (s.end === null || s.end.toMillis() > end.toMillis()) end = s.end;
    }
    now = { ...now, end };
  }
  const from = now?.end?.toMillis() ?? t;
  const next = later.find((s) => s.start.toMillis() >= from && s.person !== now?.person) ?? null;
  return { now, next };
}

/** A rotation written in preflight.yml. */
export interface ConfigRotation {
  members: readonly string[];
  /** "Mon 09:00" or "09:00", local to `zone`. */
  handoff: string;
  /** One shift, ms (wall-clock: a 12h shift starting 21:00 ends at 09:00 local, 11 or 13 real hours across a DST change). */
  shiftMs: number;
  zone: string;
  /** Local date ("2026-11-30") on or after which the first hand-off to `members[0]` falls; default 2024-01-01. */
  start?: string | undefined;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The first hand-off to `members[0]`, as a wall-clock DateTime in UTC (keepLocalTime): on/after `start`, at the weekday and time of `handoff`. */
function anchorWall(r: ConfigRotation): DateTime {
  const m = /^(?:(\w{3}) )?(\d{2}):(\d{2})$/.exec(r.handoff);
  if (!m) throw new Error(`bad hand-off "${r.handoff}" (expected "Mon 09:00")`);
  let day = DateTime.fromISO(r.start ?? '2024-01-01', { zone: 'UTC' });
  if (m[1]) while (day.weekday !== WEEKDAY[m[1]]) day = day.plus({ days: 1 });
  return day.set({ hour: Number(m[2]), minute: Number(m[3]) });
}

/** Wall-clock (a UTC DateTime standing for local time) → the real instant in `zone` (a gap's wall time moves forward as luxon does). */
const toInstant = (wall: DateTime, zone: string) => wall.setZone(zone, { keepLocalTime: true }).toUTC();
const toWall = (at: DateTime, zone: string) => at.setZone(zone).setZone('UTC', { keepLocalTime: true });

/**
 * The shifts of an in-config rotation overlapping [from, to): members in turn, each `shiftMs` of wall-clock time,
 * hand-offs at the local wall time of `handoff` + k·shift in `zone`, so a DST change never moves a hand-off (the shift
 * spanning it is an hour shorter or longer). Instants are UTC; `person` is the member as written.
 * @throws Error on a malformed `handoff` (the config schema rejects those first).
 */
export function configShifts(r: ConfigRotation, from: DateTime, to: DateTime): Shift[] {
  if (r.members.length === 0 || r.shiftMs <= 0) return [];
  const anchor = anchorWall(r);
  const k0 = Math.floor((toWall(from, r.zone).toMillis() - anchor.toMillis()) / r.shiftMs);
  const out: Shift[] = [];
  for (let k = k0; ; k++) {
    const start = toInstant(anchor.plus({ milliseconds: k * r.shiftMs }), r.zone);
    if (start >= to) break;
    const end = toInstant(anchor.plus({ milliseconds: (k + 1) * r.shiftMs }), r.zone);
    const n = r.members.length;
    if (end > from) out.push({ start, end, person: r.members[((k % n) + n) % n]! });
    if (out.length > 10_000) break;
  }
  return out;
}

/** Who is on call at `at` in an in-config rotation, and who is next ({@link configShifts} over the next 8 weeks, at least two shifts). */
export function configOnCallAt(r: ConfigRotation, at: DateTime): OnCallNow {
  const horizon = Math.max(8 * 7 * 86_400_000, 3 * r.shiftMs * r.members.length);
  return onCallAt(configShifts(r, at, at.plus({ milliseconds: horizon })), at);
}

/**
 * Who is on call at `at` in each rotation written in preflight.yml (feeds are left out: their shifts are read at
 * run time), by rotation id, for the preview (issue 22). `programZone` is the zone of a rotation that gives none.
 */
export function configRotationsAt(rotations: Readonly<Record<string, RotationDeclaration>>, programZone: string, at: DateTime): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, r] of Object.entries(rotations)) {
    if (sourceOf(r) !== 'config') continue;
    const who = configOnCallAt({ members: r.members!, handoff: r.handoff!, shiftMs: r.shift!, zone: r.zone ?? programZone, start: r.start }, at).now;
    out[id] = who ? [who.person] : [];
  }
  return out;
}

/**
 * Who is on call at `at` in each feed rotation (ICS, PagerDuty, Opsgenie) from its last known shifts, by rotation id,
 * for the preview (issue 22): the person {@link onCallAt} names (a user ID, or the feed's email when none was
 * found), or nobody.
 * @param shifts rotation id → its stored shifts (services/preview/live-state.ts reads them from `oncall_rotations`).
 */
export function feedRotationsAt(shifts: ReadonlyMap<string, readonly Shift[]>, at: DateTime): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, list] of shifts) {
    const who = onCallAt(list, at).now;
    out[id] = who ? [who.person] : [];
  }
  return out;
}
