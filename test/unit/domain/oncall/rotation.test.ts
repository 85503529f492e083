import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { configOnCallAt, configShifts, onCallAt, type Shift } from '../../../../src/domain/oncall/rotation.js';

const NY = 'America/New_York';
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });
const local = (iso: string, zone = NY) => DateTime.fromISO(iso, { zone }).toUTC();
const shift = (start: string, end: string | null, person: string): Shift => ({ start: utc(start), end: end ? utc(end) : null, person });

describe('configShifts (a rotation written in preflight.yml)', () => {
  const omega = { members: ['UANA', 'UBEN', 'UCY'], handoff: 'Mon 09:00', shiftMs: 12 * 3_600_000, zone: NY, start: '2026-10-26' };

  it('hands off at the local wall time, members in turn from the first hand-off', () => {
    const shifts = configShifts(omega, local('2026-10-26T09:00'), local('2026-10-27T21:01'));
    expect(shifts.map((s) => [s.start.setZone(NY).toFormat('ccc HH:mm'), s.person])).toEqual([
      ['Mon 09:00', 'UANA'],
      ['Mon 21:00', 'UBEN'],
      ['Tue 09:00', 'UCY'],
      ['Tue 21:00', 'UANA'],
    ]);
  });

  it('keeps hand-offs at 09:00 and 21:00 local across the DST change: the shift spanning it lasts 13 real hours', () => {
    // US DST ends Sun 1 Nov 2026 at 02:00 local: the night shift Sat 21:00 → Sun 09:00 spans it
    const night = configShifts(omega, local('2026-10-31T22:00'), local('2026-10-31T23:00'))[0]!;
    expect(night.start.setZone(NY).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-10-31 21:00');
    expect(night.end!.setZone(NY).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-11-01 09:00');
    expect(night.end!.diff(night.start, 'hours').hours).toBe(13);
    const who = configOnCallAt(omega, local('2026-11-01T01:30'));
    expect(who.now?.person).toBe(night.person);
    expect(who.now?.end?.toISO()).toBe(night.end?.toISO());
  });

  it('a spring-forward night is 11 real hours, and the next shift starts at 09:00 local', () => {
    // US DST starts Sun 8 Mar 2026 at 02:00 local
    const [night, day] = configShifts({ ...omega, start: '2026-03-02' }, local('2026-03-07T22:00'), local('2026-03-08T10:00'));
    expect(night!.end!.diff(night!.start, 'hours').hours).toBe(11);
    expect(day!.start.setZone(NY).toFormat('HH:mm')).toBe('09:00');
  });

  it('is the same before the first hand-off (the turn counts backwards) and with a daily hand-off', () => {
    const before = configOnCallAt(omega, local('2026-10-26T08:00'));
    expect(before.now?.person).toBe('UCY');
    expect(before.next?.person).toBe('UANA');
    const daily = configOnCallAt({ members: ['UA', 'UB'], handoff: '18:00', shiftMs: 24 * 3_600_000, zone: 'Europe/Berlin', start: '2026-12-01' }, local('2026-12-02T12:00', 'Europe/Berlin'));
    expect(daily.now?.person).toBe('UA');
    expect(daily.now?.end?.setZone('Europe/Berlin').toFormat('dd HH:mm')).toBe('02 18:00');
    expect(daily.next?.person).toBe('UB');
  });
});

describe('onCallAt (shifts from a feed)', () => {
  const shifts = [shift('2026-12-01T00:00Z', '2026-12-01T12:00Z', 'ana'), shift('2026-12-01T12:00Z', '2026-12-02T00:00Z', 'ben'), shift('2026-12-02T00:00Z', '2026-12-02T12:00Z', 'ana')];

  it('gives the current shift and the next person', () => {
    const r = onCallAt(shifts, utc('2026-12-01T05:00Z'));
    expect(r.now?.person).toBe('ana');
    expect(r.next).toMatchObject({ person: 'ben' });
    expect(r.next?.start.toISO()).toBe(utc('2026-12-01T12:00Z').toISO());
  });

  it('a hand-off instant belongs to the incoming person (start inclusive, end exclusive)', () => {
    expect(onCallAt(shifts, utc('2026-12-01T12:00Z')).now?.person).toBe('ben');
  });

  it('an override on top wins and cuts the regular shift short', () => {
    const withOverride = [...shifts, shift('2026-12-01T03:00Z', '2026-12-01T06:00Z', 'cy')];
    expect(onCallAt(withOverride, utc('2026-12-01T04:00Z')).now?.person).toBe('cy');
    const before = onCallAt(withOverride, utc('2026-12-01T02:00Z'));
    expect(before.now?.person).toBe('ana');
    expect(before.now?.end?.toISO()).toBe(utc('2026-12-01T03:00Z').toISO());
    expect(before.next?.person).toBe('cy');
  });

  it('merges back-to-back shifts of one person, and knows nobody outside every shift', () => {
    const merged = onCallAt([shift('2026-12-01T00:00Z', '2026-12-01T12:00Z', 'ana'), shift('2026-12-01T12:00Z', '2026-12-02T00:00Z', 'ana')], utc('2026-12-01T01:00Z'));
    expect(merged.now?.end?.toISO()).toBe(utc('2026-12-02T00:00Z').toISO());
    expect(onCallAt(shifts, utc('2026-12-05T00:00Z'))).toEqual({ now: null, next: null });
  });

  it('an open-ended shift (Opsgenie gives no end) has no end and no next', () => {
    expect(onCallAt([shift('2026-12-01T00:00Z', null, 'cy')], utc('2026-12-03T00:00Z'))).toMatchObject({ now: { person: 'cy', end: null }, next: null });
  });
});
