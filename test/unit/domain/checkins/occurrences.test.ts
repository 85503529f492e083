import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { decideRun, latestOpenedOccurrence, occurrencesBetween, type StandupPlan } from '../../../../src/domain/checkins/schedule.js';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Five check-ins a day, windows 30 min: two fall in (or next to) the night's DST change in every zone here. */
const TIMES = ['01:30', '02:15', '09:00', '13:00', '23:30'];

function plans(zone: string): StandupPlan[] {
  return TIMES.map((at, i) => ({
    workstreamId: 'ws1',
    checkinId: `c${i}`,
    zone,
    at,
    remindAfterMs: 10 * 60_000,
    closeAfterMs: 30 * 60_000,
    workdays: EVERY_DAY,
    holidays: [],
    members: [{ userId: 'U1', zone }],
  }));
}

/**
 * Drives the scheduler's decision for every check-in with an injected clock, 15 minutes at a time (every time
 * and every offset here is a multiple of 15 minutes, Lord Howe's 30-minute shift and Kolkata's +05:30 included, so
 * a run fires exactly at its instant),
 * and records each run it would open: "check-in date" → the instants it fired.
 */
function simulate(ps: StandupPlan[], fromUtc: string, hours: number): Map<string, DateTime[]> {
  const clock = fixedClock(fromUtc);
  const end = clock.now().plus({ hours });
  const recorded = new Set<string>();
  const fired = new Map<string, DateTime[]>();
  const since = clock.now();
  while (clock.now() < end) {
    for (const p of ps) {
      const occ = latestOpenedOccurrence(p, clock.now());
      const key = occ && `${occ.checkinId} ${occ.localDate}`;
      if (occ && key && decideRun(occ, clock.now(), recorded.has(key), since) === 'open') {
        recorded.add(key);
        fired.set(key, [...(fired.get(key) ?? []), clock.now()]);
      }
    }
    clock.advance({ minutes: 15 });
  }
  return fired;
}

/**
 * The DST changes of 2026 in each zone (Kolkata has none: two ordinary dates). `gap`: a check-in time that does not
 * exist that night and the local time it moves to; `repeat`: one that happens twice and the UTC instant of its first.
 */
const CASES: { zone: string; date: string; gap?: [string, string]; repeat?: [string, string] }[] = [
  { zone: 'America/New_York', date: '2026-03-08', gap: ['02:15', '03:15'] },
  { zone: 'America/New_York', date: '2026-11-01', repeat: ['01:30', '2026-11-01T05:30:00.000Z'] },
  { zone: 'Europe/London', date: '2026-03-29', gap: ['01:30', '02:30'] },
  { zone: 'Europe/London', date: '2026-10-25', repeat: ['01:30', '2026-10-25T00:30:00.000Z'] },
  { zone: 'Australia/Sydney', date: '2026-04-05', repeat: ['02:15', '2026-04-04T15:15:00.000Z'] },
  { zone: 'Australia/Sydney', date: '2026-10-04', gap: ['02:15', '03:15'] },
  { zone: 'Australia/Lord_Howe', date: '2026-04-05', repeat: ['01:30', '2026-04-04T14:30:00.000Z'] },
  { zone: 'Australia/Lord_Howe', date: '2026-10-04', gap: ['02:15', '02:45'] },
  { zone: 'Asia/Kolkata', date: '2026-03-08' },
  { zone: 'Asia/Kolkata', date: '2026-11-01' },
];

describe('several check-ins a day across DST', () => {
  for (const c of CASES) {
    it(`${c.zone} around ${c.date}: each of five check-ins runs once a day, at its local time`, () => {
      // from the day before's midnight to past the day after's last check-in (the fall-back day has 25 hours)
      const start = DateTime.fromISO(`${c.date}T00:00`, { zone: c.zone }).minus({ days: 1 });
      const fired = simulate(plans(c.zone), start.toUTC().toISO()!, 3 * 24 + 2);
      const dates = [-1, 0, 1].map((d) => DateTime.fromISO(c.date).plus({ days: d }).toISODate()!);
      for (const date of dates) {
        TIMES.forEach((at, i) => {
          const runs = fired.get(`c${i} ${date}`) ?? [];
          expect(runs, `c${i} (${at}) on ${date}`).toHaveLength(1);
          const local = runs[0]!.setZone(c.zone);
          expect(local.toISODate(), `c${i} on ${date}`).toBe(date);
          const expected = date === c.date && c.gap?.[0] === at ? c.gap[1] : at;
          expect(local.toFormat('HH:mm'), `c${i} on ${date}`).toBe(expected);
          if (date === c.date && c.repeat?.[0] === at) expect(runs[0]!.toUTC().toISO()).toBe(c.repeat[1]);
        });
      }
      // and nothing else: 5 check-ins on each day the simulation covers, one instant each
      expect([...fired.keys()].filter((k) => dates.includes(k.split(' ')[1]!))).toHaveLength(dates.length * TIMES.length);
      expect([...fired.values()].every((v) => v.length === 1)).toBe(true);
    });
  }
});

describe('occurrencesBetween', () => {
  const plan: StandupPlan = {
    workstreamId: 'omega',
    checkinId: 'checkpoint',
    zone: 'America/New_York',
    at: '13:00',
    remindAfterMs: 15 * 60_000,
    closeAfterMs: 60 * 60_000,
    workdays: ['mon', 'wed'],
    holidays: ['2026-03-09'],
    dates: ['2026-03-07'],
    ranges: [['2026-03-12', '2026-03-13']],
    members: [
      { userId: 'U1', zone: 'America/New_York' },
      { userId: 'U2', zone: 'Europe/London' },
    ],
  };

  it('lists each day of the check-in with every participant’s prompt, reminder and close, across the DST change', () => {
    const occs = occurrencesBetween(plan, '2026-03-06', '2026-03-13');
    // Sat 7 (a listed date), Mon 9 is a holiday, Wed 11 (weekday), Thu 12 and Fri 13 (a range)
    expect(occs.map((o) => o.localDate)).toEqual(['2026-03-07', '2026-03-11', '2026-03-12', '2026-03-13']);
    const [sat, wed] = occs;
    expect(sat!.checkinId).toBe('checkpoint');
    expect(sat!.members.map((m) => [m.userId, m.promptAt.toISO(), m.remindAt.toISO(), m.closeAt.toISO()])).toEqual([
      ['U1', '2026-03-07T18:00:00.000Z', '2026-03-07T18:15:00.000Z', '2026-03-07T19:00:00.000Z'],
      ['U2', '2026-03-07T13:00:00.000Z', '2026-03-07T13:15:00.000Z', '2026-03-07T14:00:00.000Z'],
    ]);
    // after New York springs forward (Mar 8) 13:00 is 17:00 UTC; London has not changed yet
    expect(wed!.members.map((m) => m.promptAt.toISO())).toEqual(['2026-03-11T17:00:00.000Z', '2026-03-11T13:00:00.000Z']);
    expect(wed!.openAt.toISO()).toBe('2026-03-11T13:00:00.000Z');
    expect(wed!.closeAt.toISO()).toBe('2026-03-11T18:00:00.000Z');
  });

  it('refuses dates that are not ISO dates', () => {
    expect(() => occurrencesBetween(plan, 'monday', '2026-03-13')).toThrow(/expected ISO dates/);
  });
});
