import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { moveOntoToday } from '../../../../sandbox/workspace/onto-today.js';
import { sandboxConfig } from '../../../../sandbox/workspace/sandbox-config.js';
import { compressTime } from '../../../../sandbox/workspace/speed.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { checkinOf, PROGRAM_WORKSTREAM, scheduledCheckins } from '../../../../src/domain/checkins/plans.js';
import { localTimeOn, nextOccurrence, occurrencesBetween } from '../../../../src/domain/checkins/schedule.js';

/*
 * Issue 18: the sandbox moves a config's dates onto today (the example's first day is the sandbox's date at start)
 * and, under --speed N, its times of day (the earliest check-in a minute after start, the rest ÷ N). Every "now"
 * here is fixed by the test (or generated), never the machine's.
 */

const NY = 'America/New_York';
const LA = 'America/Los_Angeles'; // final-deployment-five-teams' program zone
const EXAMPLE = 'examples/final-deployment-five-teams.preflight.yml';

// a small plan of three days (Fri 1 - Sun 3 May 2026): every kind of date the sandbox moves
const PLAN = `
program:
  name: P
  timezone: America/New_York
  pm: U0PM
  channel: C0P
  go_live: "2026-05-03T18:00"
  digest: { at: "17:30" }
  checkins: [{ id: leads, at: "09:00", days: ["2026-05-01..2026-05-03"], participants: [all_leads] }]
calendar: { workdays: [mon, tue, wed, thu, fri], holidays: ["2026-05-04"] }
checkins: { days: ["2026-05-02"], remind_after: 10m, close_after: 45m }
workstreams:
  a:
    name: A
    channel: C0A
    leads: [U0L]
    members: [U01]
    active: { from: "2026-05-02", until: "2026-05-03" }
    tasks:
      - { id: A-1, title: Early, owner: U01, due: "2026-05-01T08:00" }
      - { id: A-2, title: Later, owner: U01, due: "2026-05-02T12:00" }
    checkins: [{ id: late, at: "15:00", days: [fri] }, { id: inherits, at: "11:00" }]
  b: { name: B, channel: C0B, timezone: Asia/Tokyo, members: [U02], standup: { at: "10:00" } }
gates: [{ id: g1, name: G1, due: "2026-05-02T17:00", sign_off: [U0PM] }]
gonogo: { at: "2026-05-03T12:00" }
`;

/** The instant Preflight reads a local `YYYY-MM-DDTHH:mm` as (schedule.ts: a skipped time an hour later, a repeated one's first pass). */
const instant = (localDateTime: string, zone = LA) => localTimeOn(localDateTime.slice(0, 10), localDateTime.slice(11), zone);

/** The plan as the sandbox gives it to Preflight at `speed`, started at `local` (New York wall time); validated. */
function movePlan(local: string, speed: number) {
  const raw = parseDocument(PLAN).toJS();
  if (speed > 1) compressTime(raw, speed);
  const moved = moveOntoToday(raw, speed, DateTime.fromISO(local, { zone: NY }).toMillis());
  parseWorkspaceConfig(JSON.stringify(raw), 'moved plan'); // Preflight must accept it
  const a = raw.workstreams.a;
  return {
    moved,
    raw,
    checkins: { leads: [raw.program.checkins[0].at, raw.program.checkins[0].days], late: [a.checkins[0].at, a.checkins[0].days], inherits: [a.checkins[1].at, a.checkins[1].days] },
    dueAt: { tasks: a.tasks.map((t: { due: string }) => t.due), gate: raw.gates[0].due, gonogo: raw.gonogo.at, goLive: raw.program.go_live },
  };
}

describe('moveOntoToday: a plan of three days, started at fixed moments', () => {
  it('at speed 1 only dates move: the first day is today, each date keeps its distance, times stay (New Year’s Eve, 23:50)', () => {
    const out = movePlan('2026-12-31T23:50', 1);
    expect(out.moved).toEqual({ dates: { firstDay: '2026-05-01', today: '2026-12-31' }, start: null });
    expect(out.checkins).toEqual({
      leads: ['09:00', ['2026-12-31..2027-01-02']], // three days across the year boundary
      late: ['15:00', ['fri']], // weekday names are not dates
      inherits: ['11:00', ['2027-01-01']], // the `checkins.days` default, copied in and moved
    });
    expect(out.raw.checkins.days).toEqual(['2027-01-01']);
    expect(out.dueAt).toEqual({ tasks: ['2026-12-31T08:00', '2027-01-01T12:00'], gate: '2027-01-01T17:00', gonogo: '2027-01-02T12:00', goLive: '2027-01-02T18:00' });
    expect(out.raw.workstreams.a.active).toEqual({ from: '2027-01-01', until: '2027-01-02' });
    expect(out.raw.calendar).toEqual({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2027-01-03'] });
    expect(out.raw.program.digest.at).toBe('17:30');
  });

  it('at speed 10, 23:50 on New Year’s Eve: the day starts at 23:51; times past midnight carry their check-in’s days into the new year', () => {
    const out = movePlan('2026-12-31T23:50', 10);
    expect(out.moved).toEqual({ dates: { firstDay: '2026-05-01', today: '2026-12-31' }, start: { at: '23:51', standsFor: '09:00', repeatedHour: false } });
    expect(out.checkins).toEqual({
      leads: ['23:51', ['2026-12-31..2027-01-02']],
      late: ['00:27', ['sat']], // 15:00 is 36 min after 09:00 at × 10: past midnight, so Friday's check-in runs on Saturdays
      inherits: ['00:03', ['2027-01-02']], // the plan's second day, 11:00 → 12 min after the day's start, past midnight
    });
    expect(out.dueAt).toEqual({
      tasks: ['2026-12-31T23:53', '2027-01-02T00:09'], // 08:00 of the first day (before its start) → 2 min after the start; 12:00 of the second → +18 min
      gate: '2027-01-02T00:39', // 17:00 of the second day → +48 min
      gonogo: '2027-01-03T00:09', // 12:00 of the third day
      goLive: '2027-01-03T00:45',
    });
    // a date without a time becomes the compressed start of its day (00:00 is 54 min before 09:00, ÷ 10: 5.4 min)
    expect(out.raw.workstreams.a.active).toEqual({ from: '2027-01-01T22:57', until: '2027-01-03T22:57' });
    expect(out.raw.workstreams.b.standup.at).toBe('13:57'); // Tokyo: 13:50 there at start; 10:00 is 6 min after 09:00 ÷ 10
    expect(out.raw.program.digest.at).toBe('00:42');
    expect(out.raw.calendar.holidays).toEqual([]);
  });

  it('at speed 10, ten past midnight on a Sunday: the whole plan plays from 00:11', () => {
    const out = movePlan('2026-06-14T00:10', 10);
    expect(out.moved.dates).toEqual({ firstDay: '2026-05-01', today: '2026-06-14' });
    expect(out.checkins).toEqual({ leads: ['00:11', ['2026-06-14..2026-06-16']], late: ['00:47', ['fri']], inherits: ['00:23', ['2026-06-15']] });
    expect(out.dueAt).toEqual({ tasks: ['2026-06-14T00:13', '2026-06-15T00:29'], gate: '2026-06-15T00:59', gonogo: '2026-06-16T00:29', goLive: '2026-06-16T01:05' });
    expect(out.raw.checkins.days).toEqual(['2026-06-15']);
  });

  it('leaves a config without dates alone at speed 1, and refuses a speed below 1', () => {
    const raw = parseDocument('program: { name: P, timezone: UTC, pm: U0PM, channel: C0P }\nworkstreams: { a: { name: A, channel: C0A, members: [U01] } }').toJS();
    const before = JSON.stringify(raw);
    expect(moveOntoToday(raw, 1, Date.UTC(2026, 0, 1))).toEqual({ dates: null, start: null });
    expect(JSON.stringify(raw)).toBe(before);
    expect(() => moveOntoToday(raw, 0.5, 0)).toThrow(/--speed must be a number ≥ 1/);
  });
});

describe('the default example (final-deployment-five-teams, Thu 13 - Sat 15 Nov 2025) at --speed 10', () => {
  const at = (iso: string, speed = 10) => {
    const now = DateTime.fromISO(iso, { setZone: true });
    const { yaml, config, moved } = sandboxConfig(EXAMPLE, speed, now.toMillis());
    return { now, raw: parse(yaml), config, moved };
  };
  const omegaTask = (raw: { workstreams: { omega: { tasks: { id: string; due: string }[] } } }, id: string) => raw.workstreams.omega.tasks.find((t) => t.id === id)!.due;

  it('on a spring-forward day (Sun 8 Mar 2026, 01:50 in Los Angeles): wall times in the skipped hour are the same instants after the start', () => {
    const { now, raw, moved } = at('2026-03-08T01:50:00-08:00');
    expect(moved).toEqual({ dates: { firstDay: '2025-11-13', today: '2026-03-08' }, start: { at: '01:51', standsFor: '09:00', repeatedHour: false } });
    const first = raw.program.checkins.find((c: { id: string }) => c.id === 'morning-standup');
    expect([first.at, first.days]).toEqual(['01:51', ['2026-03-08..2026-03-10']]);
    const checkpoint = raw.workstreams.omega.checkins.find((c: { id: string }) => c.id === 'first-checkpoint');
    expect([checkpoint.at, checkpoint.days]).toEqual(['02:03', ['2026-03-08']]); // 02:03 does not exist that day...
    const start = instant('2026-03-08T01:51');
    expect(instant('2026-03-08T02:03').diff(start, 'minutes').minutes).toBe(12); // ...Preflight reads it as 03:03 PDT: 12 min after 01:51 PST
    expect(omegaTask(raw, 'O-4')).toBe('2026-03-08T02:09');
    expect(instant(omegaTask(raw, 'O-4')).diff(start, 'minutes').minutes).toBe(18); // due 12:00, 3 h after 09:00, ÷ 10
    expect(start.diff(now, 'seconds').seconds).toBe(60);
  });

  it('on a fall-back day (Sun 1 Nov 2026): in the first pass of the repeated hour the day starts a minute later; in the second, when the hour ends', () => {
    const firstPass = at('2026-11-01T01:30:00-07:00'); // PDT
    expect(firstPass.moved.start).toEqual({ at: '01:31', standsFor: '09:00', repeatedHour: false });
    expect(instant('2026-11-01T01:31').diff(firstPass.now, 'seconds').seconds).toBe(60);
    const secondPass = at('2026-11-01T01:30:00-08:00'); // PST: 01:31 would name the first pass, an hour ago
    expect(secondPass.moved.start).toEqual({ at: '02:00', standsFor: '09:00', repeatedHour: true });
    expect(instant('2026-11-01T02:00').diff(secondPass.now, 'minutes').minutes).toBe(30);
    expect(omegaTask(secondPass.raw, 'O-4')).toBe('2026-11-01T02:18');
  });

  it('started on a Saturday night, 23:50: check-ins, tasks and gates all lie ahead, none overdue (issue 18: six P1 blockers at start)', () => {
    const { now, raw, config } = at('2026-12-05T23:50:00-08:00');
    for (const t of raw.workstreams.omega.tasks) expect(instant(t.due) > now).toBe(true);
    for (const g of raw.gates) expect(instant(g.due) > now).toBe(true);
    expect(instant(raw.gonogo.at) > now).toBe(true);
    const morning = checkinOf(config, PROGRAM_WORKSTREAM, 'morning-standup')!;
    expect(occurrencesBetween(morning.plan, '2026-12-01', '2026-12-31').map((o) => o.localDate)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
  });
});

describe('the default example at any moment (generated) and speed', () => {
  it('validates; at speed 1 its days are today and the next two; at speed > 1 the first check-in comes within a minute and the plan keeps its shape ÷ N', () => {
    const moment = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) });
    fc.assert(
      fc.property(moment, fc.constantFrom(1, 10, 60), (nowMs, speed) => {
        const now = DateTime.fromMillis(nowMs, { zone: LA });
        const { yaml, config, moved } = sandboxConfig(EXAMPLE, speed, nowMs);
        const raw = parse(yaml);
        const morning = checkinOf(config, PROGRAM_WORKSTREAM, 'morning-standup')!;
        const governance = checkinOf(config, PROGRAM_WORKSTREAM, 'governance')!;
        const around = (d: number) => now.plus({ days: d }).toISODate()!;
        const runs = occurrencesBetween(morning.plan, around(-2), around(5));
        const last = occurrencesBetween(governance.plan, around(-2), around(5));
        expect(runs).toHaveLength(3); // a 3-day launch stays 3 days
        expect(last).toHaveLength(1);
        if (speed === 1) {
          const today = now.toISODate()!;
          expect(moved.dates).toEqual({ firstDay: '2025-11-13', today });
          expect(runs.map((r) => r.localDate)).toEqual([today, around(1), around(2)]);
          expect(raw.gonogo.at).toBe(`${around(2)}T12:00`);
          return;
        }
        // the first check-in the scheduler will open: within a minute (or when a repeated hour ends)
        const next = scheduledCheckins(config)
          .map((c) => nextOccurrence(c.plan, now)?.openAt.toMillis() ?? Number.POSITIVE_INFINITY)
          .reduce((a, b) => Math.min(a, b));
        expect(next - nowMs).toBeGreaterThan(0);
        expect(next - nowMs).toBeLessThanOrEqual(moved.start!.repeatedHour ? 61 * 60_000 : 60_000);
        expect(runs[0]!.openAt.toMillis()).toBe(next);
        // governance (16:00 of the third day) comes 2 days and 7 h ÷ N after the first standup (± 1 h for a DST change)
        const gap = last[0]!.openAt.diff(runs[0]!.openAt, 'minutes').minutes - 2 * 24 * 60;
        expect(Math.abs(gap - Math.round((7 * 60) / speed))).toSatisfy((d: number) => d <= 1 || Math.abs(d - 60) <= 1);
        // nothing is due before the first check-in
        for (const t of raw.workstreams.omega.tasks) expect(instant(t.due).toMillis()).toBeGreaterThan(nowMs);
      }),
      { numRuns: 40 },
    );
  });
});
