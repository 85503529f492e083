import { describe, expect, it } from 'vitest';
import { dateRange, DateRangeError } from '../../../../src/domain/records/range.js';

describe('dateRange: inclusive days in a zone → [start, end) instants', () => {
  it("covers whole local days, across New York's fall-back (a 25-hour 1 November)", () => {
    const r = dateRange('2026-11-01', '2026-11-01', 'America/New_York');
    expect(r.start?.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(r.end?.toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });
  it("and spring-forward (a 23-hour day), and Sydney's", () => {
    const ny = dateRange('2026-03-08', '2026-03-08', 'America/New_York');
    expect((ny.end!.getTime() - ny.start!.getTime()) / 3_600_000).toBe(23);
    const syd = dateRange('2026-11-01', '2026-11-30', 'Australia/Sydney');
    expect(syd.start?.toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(syd.end?.toISOString()).toBe('2026-11-30T13:00:00.000Z');
  });
  it('leaves an omitted side open', () => {
    expect(dateRange(undefined, undefined, 'UTC')).toEqual({ start: null, end: null });
    expect(dateRange('2026-11-01', undefined, 'UTC')).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: null });
  });
  it('says how to write a bad date, and refuses a reversed range', () => {
    expect(() => dateRange('2026-11-31', undefined, 'UTC')).toThrow(new DateRangeError('from must be a date written YYYY-MM-DD, such as 2026-11-01 (got "2026-11-31")'));
    expect(() => dateRange(undefined, '1/11/2026', 'UTC')).toThrow(/^to must be a date written YYYY-MM-DD/);
    expect(() => dateRange('2026-11-02', '2026-11-01', 'UTC')).toThrow('to (2026-11-01) is before from (2026-11-02)');
  });
});
