import type { Logger } from 'pino';

/**
 * Connection-error warnings, at most one per dependency per `everyMs`. While Redis or Postgres is down their
 * clients report an error on every reconnect attempt (ioredis: every 0.2–2 s, per connection); the log gets the
 * first one at once, then one per window carrying how many were left out (`suppressed`).
 */
export interface ConnectionWarnings {
  /** The error listener for `dependency` (`redis`, `postgres`), to pass to the client's `on('error')`. */
  onError(dependency: string): (err: Error) => void;
  /** Call when `dependency` answers again: logs once that it is back (if a warning was logged), and resets its window. */
  recovered(dependency: string): void;
}

/**
 * @param everyMs the shortest time between two warnings about one dependency, ms (default 30 s).
 * @param now the clock, ms since the epoch (tests inject one).
 */
export function connectionWarnings(log: Logger, everyMs = 30_000, now: () => number = Date.now): ConnectionWarnings {
  const state = new Map<string, { lastAt: number; suppressed: number }>();
  return {
    onError: (dependency) => (err) => {
      const s = state.get(dependency);
      const t = now();
      if (s && t - s.lastAt < everyMs) {
        s.suppressed++;
        return;
      }
      log.warn({ err: err.message, ...(s?.suppressed ? { suppressed: s.suppressed } : {}) }, `${dependency} connection error`);
      state.set(dependency, { lastAt: t, suppressed: 0 });
    },
    recovered(dependency) {
      if (!state.has(dependency)) return;
      state.delete(dependency);
      log.info(`${dependency} connection is back`);
    },
  };
}
