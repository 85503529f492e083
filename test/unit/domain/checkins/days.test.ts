import { describe, expect, it } from 'vitest';
import { dayEntryProblem, daysMayMeet, isCheckinDay, parseDays } from '../../../../src/domain/checkins/days.js';

describe('check-in days', () => {
  const days = parseDays(['mon', 'wed', '2026-02-07', '2026-02-10..2026-02-11'], ['2026-02-04', '2026-02-10']);

  it('runs on its weekdays except holidays, and always on listed dates and ranges', () => {
    const on = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06', '2026-02-07', '2026-02-08', '2026-02-09', '2026-02-10', '2026-02-11', '2026-02-12'].filter((d) =>
      isCheckinDay(days, d),
    );
    // Mon 2, (Wed 4 is a holiday), Sat 7 (listed), Mon 9, Tue 10 (range wins over the holiday), Wed 11
    expect(on).toEqual(['2026-02-02', '2026-02-07', '2026-02-09', '2026-02-10', '2026-02-11']);
  });

  it('says which entries are wrong and why', () => {
    expect(dayEntryProblem('fri')).toBeNull();
    expect(dayEntryProblem('2026-02-29')).toBe('2026-02-29 is not a real calendar date');
    expect(dayEntryProblem('2026-01-01..2027-06-01')).toMatch(/at most 366 days/);
    expect(dayEntryProblem('Friday')).toMatch(/expected a weekday/);
  });

  it('knows when two check-ins can meet on a day', () => {
    const weekdays = parseDays(['mon', 'tue'], []);
    expect(daysMayMeet(weekdays, parseDays(['tue'], []))).toBe(true);
    expect(daysMayMeet(weekdays, parseDays(['2026-02-07'], []))).toBe(false); // a Saturday
    expect(daysMayMeet(weekdays, parseDays(['2026-02-03'], []))).toBe(true); // a Tuesday
    expect(daysMayMeet(parseDays(['2026-02-05..2026-02-07'], []), parseDays(['2026-02-07'], []))).toBe(true);
    expect(daysMayMeet(parseDays(['sat'], []), parseDays(['2026-02-02..2026-02-06'], []))).toBe(false);
  });
});
