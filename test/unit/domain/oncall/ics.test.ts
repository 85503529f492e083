import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { icsShifts } from '../../../../src/domain/oncall/ics.js';
import { onCallAt } from '../../../../src/domain/oncall/rotation.js';

const NY = 'America/New_York';
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/oncall/${name}`, import.meta.url), 'utf8');
const local = (iso: string, zone = NY) => DateTime.fromISO(iso, { zone }).toUTC();
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });

describe('icsShifts: a Google Calendar export (VTIMEZONE, RRULE, EXDATE, RECURRENCE-ID override, all-day)', () => {
  const text = fixture('google.ics');
  const all = icsShifts(text, local('2026-10-26T00:00'), local('2026-11-10T00:00'), 'UTC');
  const at = (iso: string) => onCallAt(all, local(iso));

  it('expands the daily night and day series with the person from DESCRIPTION and SUMMARY', () => {
    expect(at('2026-10-26T22:00').now?.person).toBe('ana@example.com');
    expect(at('2026-10-27T10:00').now?.person).toBe('ben@example.com');
    expect(at('2026-10-27T10:00').now?.end?.setZone(NY).toFormat('HH:mm')).toBe('21:00');
  });

  it('honours the override (RECURRENCE-ID) and the EXDATE', () => {
    expect(at('2026-10-28T23:00').now?.person).toBe('cy@example.com');
    // 29 Oct's night is excluded: nobody between 21:00 and 09:00
    expect(at('2026-10-29T23:00').now).toBeNull();
    expect(at('2026-10-29T23:00').next?.person).toBe('ben@example.com');
  });

  it('a night shift spanning the DST change ends at 09:00 local, 13 hours after it began', () => {
    const night = at('2026-11-01T01:30').now!;
    expect(night.person).toBe('ana@example.com');
    expect(night.start.setZone(NY).toFormat('MM-dd HH:mm')).toBe('10-31 21:00');
    expect(night.end!.setZone(NY).toFormat('MM-dd HH:mm')).toBe('11-01 09:00');
    expect(night.end!.diff(night.start, 'hours').hours).toBe(13);
  });

  it('an all-day event covers its local day in the fallback zone; overlapping, the shift that started last wins', () => {
    const day = icsShifts(text, local('2026-11-02T00:00'), local('2026-11-05T00:00'), NY);
    const allDay = day.find((s) => s.person === 'dee@example.com')!;
    expect([allDay.start.setZone(NY).toFormat('MM-dd HH:mm'), allDay.end!.setZone(NY).toFormat('MM-dd HH:mm')]).toEqual(['11-03 00:00', '11-04 00:00']);
    // 03:00: the all-day event (from 00:00) is on top of the night shift (from 21:00), until the day shift at 09:00
    expect(onCallAt(day, local('2026-11-03T03:00')).now?.person).toBe('dee@example.com');
    expect(onCallAt(day, local('2026-11-03T03:00')).now?.end?.setZone(NY).toFormat('MM-dd HH:mm')).toBe('11-03 09:00');
    expect(onCallAt(day, local('2026-11-03T12:00')).now?.person).toBe('ben@example.com');
  });

  it('keeps only shifts overlapping the span asked for', () => {
    const some = icsShifts(text, local('2026-11-05T00:00'), local('2026-11-06T00:00'), 'UTC');
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((s) => s.end! > local('2026-11-05T00:00') && s.start < local('2026-11-06T00:00'))).toBe(true);
  });
});

describe('icsShifts: PagerDuty and Opsgenie exports', () => {
  it('PagerDuty: the person is the ATTENDEE email (lower-cased)', () => {
    const shifts = icsShifts(fixture('pagerduty.ics'), utc('2026-11-30T00:00Z'), utc('2026-12-03T00:00Z'), 'UTC');
    expect(shifts.map((s) => s.person)).toEqual(['ana@example.com', 'ben@example.com', 'ana@example.com']);
    expect(onCallAt(shifts, utc('2026-12-01T03:00Z')).now?.end?.toISO()).toBe(utc('2026-12-01T14:00Z').toISO());
  });

  it('Opsgenie: the person is the SUMMARY email, and an override sits on top of the weekly rotation', () => {
    const shifts = icsShifts(fixture('opsgenie.ics'), utc('2026-11-30T00:00Z'), utc('2026-12-14T00:00Z'), 'UTC');
    expect(onCallAt(shifts, utc('2026-12-02T10:00Z')).now).toMatchObject({ person: 'cy@example.com' });
    expect(onCallAt(shifts, utc('2026-12-02T10:00Z')).now?.end?.toISO()).toBe(utc('2026-12-02T20:00Z').toISO());
    expect(onCallAt(shifts, utc('2026-12-02T21:00Z')).now?.person).toBe('dee@example.com');
    expect(onCallAt(shifts, utc('2026-12-08T00:00Z')).now?.person).toBe('ana@example.com');
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => icsShifts('<html>Sign in</html>', utc('2026-12-01T00:00Z'), utc('2026-12-02T00:00Z'), 'UTC')).toThrow();
  });
});
