import { DateTime } from 'luxon';

/** A span of instants, start inclusive, end exclusive; either side may be open. */
export interface InstantRange {
  start: Date | null;
  end: Date | null;
}

/** Thrown by {@link dateRange} for a malformed or reversed date; the message says how to write it. */
export class DateRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateRangeError';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns inclusive calendar dates (`YYYY-MM-DD`) into instants in `zone` (an IANA zone; the program's for export
 * and the API): `from` → its local midnight, `to` → the local midnight of the day after, so `--from 2026-11-01
 * --to 2026-11-30` covers all of November in that zone, DST changes included (a 23- or 25-hour day is one day).
 * @param from first day, or undefined for no lower bound
 * @param to last day (inclusive), or undefined for no upper bound
 * @throws DateRangeError when a date is not `YYYY-MM-DD`, does not exist (2026-02-30), or `to` is before `from`
 */
export function dateRange(from: string | undefined, to: string | undefined, zone: string): InstantRange {
  const day = (name: string, value: string | undefined) => {
    if (value === undefined) return null;
    const d = ISO_DATE.test(value) ? DateTime.fromISO(value, { zone }) : null;
    if (!d?.isValid) throw new DateRangeError(`${name} must be a date written YYYY-MM-DD, such as 2026-11-01 (got "${value}")`);
    return d.startOf('day');
  };
  const start = day('from', from);
  const last = day('to', to);
  if (start && last && last < start) throw new DateRangeError(`to (${to}) is before from (${from})`);
  return { start: start?.toJSDate() ?? null, end: last?.plus({ days: 1 }).startOf('day').toJSDate() ?? null };
}
