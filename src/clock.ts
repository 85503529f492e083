import { DateTime } from 'luxon';

/**
 * The only source of "now" in Preflight. Production code receives a Clock; tests inject a fixed or
 * manually advanced one instead of patching luxon or Date globally.
 */
export interface Clock {
  /** The current instant, as a UTC luxon DateTime. */
  now(): DateTime;
}

/** The real wall clock. */
export const systemClock: Clock = {
  now: () => DateTime.utc(),
};

/**
 * A clock for tests: starts at `start` (ISO string or DateTime) and only moves when told to.
 * @example const clock = fixedClock('2026-03-08T06:00:00Z'); clock.advance({ minutes: 5 });
 */
export function fixedClock(start: string | DateTime): Clock & {
  set(to: string | DateTime): void;
  advance(by: Parameters<DateTime['plus']>[0]): void;
} {
  let current = typeof start === 'string' ? DateTime.fromISO(start, { zone: 'utc' }) : start.toUTC();
  if (!current.isValid) throw new Error(`fixedClock: invalid start ${String(start)}`);
  return {
    now: () => current,
    set(to) {
      current = typeof to === 'string' ? DateTime.fromISO(to, { zone: 'utc' }) : to.toUTC();
    },
    advance(by) {
      current = current.plus(by);
    },
  };
}
