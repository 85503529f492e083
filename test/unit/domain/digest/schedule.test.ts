import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { digestAt, dueDigest, isDigestDay, previousDigestAt } from '../../../../src/domain/digest/schedule.js';

const s = { at: '18:00', zone: 'America/New_York', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, holidays: ['2026-11-26'] };
const ny = (iso: string) => DateTime.fromISO(iso, { zone: s.zone }).toMillis();

describe('digest schedule', () => {
  it('runs on workdays that are not holidays', () => {
    expect(isDigestDay(s, '2026-11-25')).toBe(true); // Wednesday
    expect(isDigestDay(s, '2026-11-26')).toBe(false); // holiday
    expect(isDigestDay(s, '2026-11-28')).toBe(false); // Saturday
  });
  it('is due from its time for the grace period, in the program zone', () => {
    expect(dueDigest(s, ny('2026-11-25T17:59'))).toBeNull();
    expect(dueDigest(s, ny('2026-11-25T18:00'))).toEqual({ localDate: '2026-11-25', at: ny('2026-11-25T18:00') });
    expect(dueDigest(s, ny('2026-11-25T23:59'))?.localDate).toBe('2026-11-25');
    expect(dueDigest(s, ny('2026-11-25T18:00') + 6 * 3_600_000)).toBeNull();
    expect(dueDigest(s, ny('2026-11-26T18:30'))).toBeNull();
  });
  it('starts a first window at the previous digest day, skipping holidays and weekends', () => {
    expect(previousDigestAt(s, '2026-11-27')).toBe(ny('2026-11-25T18:00'));
    expect(previousDigestAt(s, '2026-11-30')).toBe(ny('2026-11-27T18:00'));
  });
  it('keeps its wall-clock time across a DST change', () => {
    expect(DateTime.fromMillis(digestAt(s, '2026-11-02'), { zone: s.zone }).toFormat('HH:mm')).toBe('18:00');
    expect(digestAt(s, '2026-11-02') - digestAt(s, '2026-10-30')).toBe((3 * 24 + 1) * 3_600_000);
  });
});
