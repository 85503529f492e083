import { DateTime } from 'luxon';
import fc from 'fast-check';
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
  runToSkip,
  type StandupPlan,
} from '../../../../src/domain/checkins/schedule.js';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function plan(zone: string, at: string, extra: Partial<StandupPlan> = {}): StandupPlan {
  return {
    workstreamId: 'ws1',
    checkinId: 'standup',
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
    const p = plan('America/New_York', '10:00', {
      members: [
        { userId: 'UNY', zone: 'America/New_York' },
        { userId: 'ULON', zone: 'Europe/London' },
      ],
    });
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

/**
 * Real zones spanning every UTC offset in use, −12:00 … +14:00, with the :30 and :45 ones and DST in both
 * hemispheres (Lord Howe's DST is 30 minutes; Chatham is +12:45 in winter and +13:45 in summer).
 */
const ZONES = [
  'Etc/GMT+12',
  'Pacific/Pago_Pago',
  'Pacific/Honolulu',
  'Pacific/Marquesas',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tehran',
  'Asia/Kabul',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Yangon',
  'Australia/Eucla',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Norfolk',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Tongatapu',
  'Pacific/Kiritimati',
] as const;

/**
 * What a member sees: the scheduler ticks every 15 minutes on an injected clock (every offset and every time
 * here is a multiple of 15 minutes); the first tick at which it sees the run of `date` opens it, and a member is
 * prompted then if their prompt time has passed, else at their prompt time. Returns user id → when prompted (UTC),
 * or null when the run never opened.
 */
function promptedOn(p: StandupPlan, date: string): Map<string, DateTime> | null {
  const occ = occurrenceOn(p, date)!;
  const clock = fixedClock(occ.openAt.minus({ hours: 1 }).toISO()!);
  const since = clock.now().minus({ days: 30 });
  while (clock.now() < occ.closeAt) {
    const seen = latestOpenedOccurrence(p, clock.now());
    if (seen?.localDate === date && decideRun(seen, clock.now(), false, since) === 'open') {
      const openedAt = clock.now();
      return new Map(seen.members.map((m) => [m.userId, DateTime.max(openedAt, m.promptAt)]));
    }
    clock.advance({ minutes: 15 });
  }
  return null;
}

/** The member's local wall clock at which `at` on `date` happens in `zone` (a time in a DST gap moves forward). */
const wallClock = (date: string, at: string, zone: string) => DateTime.fromISO(`${date}T${at}`, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('members far ahead of or behind the workstream are prompted at their own local time (issue 8, defect 3)', () => {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

  it('the zones under test span every real offset, −12:00 … +14:00, including :30 and :45 ones', () => {
    const offsets = ZONES.flatMap((z) => ['2026-01-15', '2026-07-15'].map((d) => DateTime.fromISO(`${d}T12:00`, { zone: z }).offset));
    expect(Math.min(...offsets)).toBe(-12 * 60);
    expect(Math.max(...offsets)).toBe(14 * 60);
    expect(offsets.some((o) => Math.abs(o % 60) === 30)).toBe(true);
    expect(offsets.some((o) => Math.abs(o % 60) === 45)).toBe(true);
  });

  it('a Pacific/Kiritimati member of a Pacific/Pago_Pago workstream at 00:30 is prompted at 00:30 +14:00 every workday', () => {
    const p = plan('Pacific/Pago_Pago', '00:30', {
      workdays: weekdays,
      members: [
        { userId: 'UKIR', zone: 'Pacific/Kiritimati' },
        { userId: 'UPPG', zone: 'Pacific/Pago_Pago' },
      ],
    });
    const start = DateTime.fromISO('2026-02-02'); // a Monday, two weeks of workstream dates
    for (let d = 0; d < 14; d++) {
      const date = start.plus({ days: d }).toISODate()!;
      if (!isStandupDay(p, date)) continue;
      const prompted = promptedOn(p, date)!;
      expect(prompted.get('UKIR')!.setZone('Pacific/Kiritimati').toFormat('yyyy-MM-dd HH:mm ZZ'), date).toBe(`${date} 00:30 +14:00`);
      expect(prompted.get('UPPG')!.setZone('Pacific/Pago_Pago').toFormat('yyyy-MM-dd HH:mm ZZ'), date).toBe(`${date} 00:30 -11:00`);
    }
  });

  it('a Pacific/Chatham member is prompted on time in Chatham’s summer (+13:45) and winter (+12:45)', () => {
    const p = plan('Pacific/Pago_Pago', '00:30', { members: [{ userId: 'UCHA', zone: 'Pacific/Chatham' }] });
    expect(promptedOn(p, '2026-01-14')!.get('UCHA')!.setZone('Pacific/Chatham').toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-01-14 00:30 +13:45');
    expect(promptedOn(p, '2026-07-14')!.get('UCHA')!.setZone('Pacific/Chatham').toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-07-14 00:30 +12:45');
  });

  it('property: any workstream zone, any member zones, any time of day, any date (DST changes included): nobody is prompted late', () => {
    const day0 = DateTime.fromISO('2026-01-01');
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 0, max: 729 }),
        (wsZone, memberZones, quarter, dayIndex) => {
          const at = `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
          const date = day0.plus({ days: dayIndex }).toISODate()!;
          const p = plan(wsZone, at, { members: memberZones.map((zone, i) => ({ userId: `U${i}`, zone })) });
          const prompted = promptedOn(p, date);
          expect(prompted, `${wsZone} ${at} ${date}: the run never opened`).not.toBeNull();
          memberZones.forEach((zone, i) => {
            const when = prompted!.get(`U${i}`)!;
            expect(when.setZone(zone).toFormat('yyyy-MM-dd HH:mm'), `${zone} member of a ${wsZone} workstream at ${at} on ${date}`).toBe(wallClock(date, at, zone));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('runToSkip: the run /standup skip means for one member', () => {
  const ny = plan('America/New_York', '10:00', {
    members: [
      { userId: 'U0NY', zone: 'America/New_York' },
      { userId: 'U0TYO', zone: 'Asia/Tokyo' },
    ],
  });
  const skip = (p: StandupPlan, user: string, iso: string) => {
    const r = runToSkip(p, user, DateTime.fromISO(iso));
    return r && { localDate: r.localDate, prompt: r.slot.promptAt.setZone(r.slot.zone).toFormat('yyyy-MM-dd HH:mm') };
  };
  it('for a member in the workstream zone: today before the close, the next workday after', () => {
    expect(skip(ny, 'U0NY', '2026-02-03T13:00:00Z')).toEqual({ localDate: '2026-02-03', prompt: '2026-02-03 10:00' }); // 08:00 NY Tue
    expect(skip(ny, 'U0NY', '2026-02-03T18:00:00Z')).toEqual({ localDate: '2026-02-04', prompt: '2026-02-04 10:00' }); // 13:00 NY Tue, closed
  });
  it('for a member east of it (Tokyo in a New York workstream): the workstream’s "tomorrow"', () => {
    // Tue 08:00 in Tokyo is Mon 18:00 in New York: Tokyo's next prompt is at its 10:00 on the NY-dated Tuesday run
    expect(skip(ny, 'U0TYO', '2026-02-02T23:00:00Z')).toEqual({ localDate: '2026-02-03', prompt: '2026-02-03 10:00' });
  });
  it('for a member far west of it (Pago Pago in a Kiritimati workstream at 23:00): a run dated two days back, still open for them', () => {
    const kir = plan('Pacific/Kiritimati', '23:00', { members: [{ userId: 'U0PPG', zone: 'Pacific/Pago_Pago' }] });
    // Thu 5 Feb 00:30 in Kiritimati is Tue 3 Feb 23:30 in Pago Pago: the member's Tuesday run is open until their 01:00 Wed
    expect(skip(kir, 'U0PPG', '2026-02-04T10:30:00Z')).toEqual({ localDate: '2026-02-03', prompt: '2026-02-03 23:00' });
  });
  it('nobody in the plan: null', () => {
    expect(runToSkip(ny, 'U0STRANGER', DateTime.fromISO('2026-02-03T13:00:00Z'))).toBeNull();
  });
});
