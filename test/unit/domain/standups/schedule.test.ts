import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import {
  decideRun,
  immediateOccurrence,
  isOutOfOffice,
  isStandupDay,
  latestOpenedOccurrence,
  localTimeOn,
  nextOccurrence,
  occurrenceOn,
  type StandupPlan,
} from '../../../../src/domain/standups/schedule.js';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function plan(zone: string, at: string, extra: Partial<StandupPlan> = {}): StandupPlan {
  return {
    workstreamId: 'ws1',
    zone,
    at,
    remindAfterMs: 30 * 60_000,
    closeAfterMs: 2 * 3_600_000,
    workdays: EVERY_DAY,
    holidays: [],
    members: [{ userId: 'U1', zone }],
    ...extra,
  };
}

/**
 * Drives the scheduler's decision with an injected clock, five minutes at a time (every configured time here is a multiple of 5 minutes),
 * and records every run it would open. Returns local date → the local time it fired.
 */
function simulate(p: StandupPlan, fromUtc: string, days: number): Map<string, string[]> {
  const clock = fixedClock(fromUtc);
  const end = clock.now().plus({ days });
  const recorded = new Set<string>();
  const fired = new Map<string, string[]>();
  const since = clock.now();
  while (clock.now() < end) {
    const occ = latestOpenedOccurrence(p, clock.now());
    if (occ && decideRun(occ, clock.now(), recorded.has(occ.localDate), since) === 'open') {
      recorded.add(occ.localDate);
      const local = clock.now().setZone(p.zone).toFormat('yyyy-MM-dd HH:mm');
      fired.set(occ.localDate, [...(fired.get(occ.localDate) ?? []), local]);
    }
    clock.advance({ minutes: 5 });
  }
  return fired;
}

describe('localTimeOn', () => {
  it('gives the UTC instant of a local wall-clock time, following the offset change', () => {
    expect(localTimeOn('2026-03-06', '10:00', 'America/New_York').toISO()).toBe('2026-03-06T15:00:00.000Z');
    expect(localTimeOn('2026-03-09', '10:00', 'America/New_York').toISO()).toBe('2026-03-09T14:00:00.000Z');
    expect(localTimeOn('2026-06-01', '10:00', 'Asia/Kolkata').toISO()).toBe('2026-06-01T04:30:00.000Z');
  });

  it('moves a time inside the spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    const t = localTimeOn('2026-03-08', '02:30', 'America/New_York');
    expect(t.setZone('America/New_York').toFormat('HH:mm ZZZZ')).toBe('03:30 EDT');
  });

  it('resolves a time repeated by the fall-back to its first occurrence (01:30 EDT, not EST)', () => {
    const t = localTimeOn('2026-11-01', '01:30', 'America/New_York');
    expect(t.toISO()).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('prompts at the configured local time around DST changes (injected clock, 5-minute ticks)', () => {
  const cases: { zone: string; change: string; label: string }[] = [
    { zone: 'America/New_York', change: '2026-03-08', label: 'New York spring forward' },
    { zone: 'America/New_York', change: '2026-11-01', label: 'New York fall back' },
    { zone: 'Europe/London', change: '2026-03-29', label: 'London spring forward' },
    { zone: 'Europe/London', change: '2026-10-25', label: 'London fall back' },
    { zone: 'Australia/Sydney', change: '2026-04-05', label: 'Sydney DST end' },
    { zone: 'Australia/Sydney', change: '2026-10-04', label: 'Sydney DST start' },
    { zone: 'Asia/Kolkata', change: '2026-03-08', label: 'Kolkata (no DST)' },
  ];
  for (const { zone, change, label } of cases) {
    it(`${label}: exactly one prompt at 10:00 local on each of the 5 days around ${change}`, () => {
      const from = DateTime.fromISO(change, { zone }).minus({ days: 2 }).startOf('day').toUTC().toISO()!;
      const fired = simulate(plan(zone, '10:00'), from, 5);
      const expected = [-2, -1, 0, 1, 2].map((d) => DateTime.fromISO(change).plus({ days: d }).toISODate()!);
      expect([...fired.keys()]).toEqual(expected);
      for (const date of expected) expect(fired.get(date)).toEqual([`${date} 10:00`]);
    });
  }

  it('a standup inside the spring-forward gap fires once, at 03:30, on the change day', () => {
    const fired = simulate(plan('America/New_York', '02:30'), '2026-03-07T00:00:00Z', 3);
    expect(fired.get('2026-03-07')).toEqual(['2026-03-07 02:30']);
    expect(fired.get('2026-03-08')).toEqual(['2026-03-08 03:30']);
    expect(fired.get('2026-03-09')).toEqual(['2026-03-09 02:30']);
  });

  it('a standup in the repeated fall-back hour fires once, not twice', () => {
    const fired = simulate(plan('America/New_York', '01:30'), '2026-10-31T00:00:00Z', 3);
    expect(fired.get('2026-11-01')).toEqual(['2026-11-01 01:30']);
    expect([...fired.values()].flat()).toHaveLength(3);
  });

  it('Sydney at 02:30 on the DST-start day (gap) fires once at 03:30', () => {
    const fired = simulate(plan('Australia/Sydney', '02:30'), '2026-10-02T12:00:00Z', 3);
    expect(fired.get('2026-10-04')).toEqual(['2026-10-04 03:30']);
  });
});

describe('workdays, holidays, member zones', () => {
  const weekdays = plan('America/New_York', '10:00', { workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2026-01-19'] });

  it('skips weekends and holidays', () => {
    expect(isStandupDay(weekdays, '2026-01-16')).toBe(true); // Friday
    expect(isStandupDay(weekdays, '2026-01-17')).toBe(false); // Saturday
    expect(isStandupDay(weekdays, '2026-01-19')).toBe(false); // holiday (Monday)
    expect(occurrenceOn(weekdays, '2026-01-18')).toBeNull();
  });

  it('after a Friday run, the next is Tuesday when Monday is a holiday', () => {
    const next = nextOccurrence(weekdays, DateTime.fromISO('2026-01-16T20:00:00Z'));
    expect(next?.localDate).toBe('2026-01-20');
  });

  it('prompts a member with their own zone at their local time; the run spans all members', () => {
    const p = plan('America/New_York', '10:00', { members: [{ userId: 'UNY', zone: 'America/New_York' }, { userId: 'ULON', zone: 'Europe/London' }] });
    const occ = occurrenceOn(p, '2026-02-03')!;
    const ny = occ.members.find((m) => m.userId === 'UNY')!;
    const lon = occ.members.find((m) => m.userId === 'ULON')!;
    expect(ny.promptAt.setZone('America/New_York').toFormat('HH:mm')).toBe('10:00');
    expect(lon.promptAt.setZone('Europe/London').toFormat('HH:mm')).toBe('10:00');
    expect(occ.openAt.toISO()).toBe(lon.promptAt.toISO());
    expect(occ.closeAt.toISO()).toBe(ny.closeAt.toISO());
    expect(ny.remindAt.diff(ny.promptAt).as('minutes')).toBe(30);
  });

  it('a member zone east of the workstream opens the run before the workstream midnight is over', () => {
    const p = plan('America/Los_Angeles', '01:00', { members: [{ userId: 'UTYO', zone: 'Asia/Tokyo' }] });
    // Tokyo 01:00 on Feb 3 is LA Feb 2 08:00: the Feb 3 run opens then
    const occ = latestOpenedOccurrence(p, DateTime.fromISO('2026-02-02T16:30:00Z'));
    expect(occ?.localDate).toBe('2026-02-03');
  });
});

describe('decideRun', () => {
  const p = plan('Europe/London', '10:00');
  const occ = occurrenceOn(p, '2026-02-03')!;
  const since = DateTime.fromISO('2026-01-01T00:00:00Z');

  it('opens a run not yet recorded while before its close (including after downtime)', () => {
    expect(decideRun(occ, occ.openAt.plus({ minutes: 90 }), false, since)).toBe('open');
  });
  it('never opens twice', () => {
    expect(decideRun(occ, occ.openAt, true, since)).toBe('nothing');
  });
  it('records a run as missed when Preflight comes back after its close', () => {
    expect(decideRun(occ, occ.closeAt.plus({ minutes: 1 }), false, since)).toBe('missed');
  });
  it('does not report runs from before Preflight scheduled the workstream', () => {
    expect(decideRun(occ, occ.closeAt.plus({ hours: 1 }), false, occ.closeAt)).toBe('nothing');
  });
});

describe('immediateOccurrence and out of office', () => {
  it('prompts everyone now and closes after close_after', () => {
    const now = DateTime.fromISO('2026-02-03T13:07:00Z');
    const occ = immediateOccurrence(plan('America/New_York', '10:00', { members: [{ userId: 'A', zone: 'Asia/Kolkata' }] }), now);
    expect(occ.localDate).toBe('2026-02-03');
    expect(occ.members[0]!.promptAt.toISO()).toBe(now.toISO());
    expect(occ.closeAt.diff(now).as('hours')).toBe(2);
  });

  it('out-of-office spans are inclusive', () => {
    const spans = [{ userId: 'U1', from: '2026-02-02', until: '2026-02-04' }];
    expect(isOutOfOffice('U1', '2026-02-02', spans)).toBe(true);
    expect(isOutOfOffice('U1', '2026-02-04', spans)).toBe(true);
    expect(isOutOfOffice('U1', '2026-02-05', spans)).toBe(false);
    expect(isOutOfOffice('U2', '2026-02-03', spans)).toBe(false);
  });
});
