import pTimeout from 'p-timeout';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from './adapter.js';
import type { TrackerSync } from './sync.js';

/** How long start-up waits for the trackers to answer the token check before it goes on without them, ms. */
export const TRACKER_CHECK_TIMEOUT_MS = 10_000;

/** What start-up does after the token check: go on, go on with a warning (a tracker did not answer), or stop with one line. */
export type TokenCheck = { kind: 'ok' } | { kind: 'warn'; reason: string } | { kind: 'stop'; message: string };

/**
 * Start-up's check of every tracker source's token (issue 21), like Slack's token: a refused token (or a variable
 * that is not set, or a source the adapter cannot use) stops start-up with one line naming it; a tracker that is
 * down, rate limiting or silent for `timeoutMs` does not (its tasks come from the last sync; the polls retry).
 * @param config the config file's name, for the message.
 */
export async function checkTrackerTokens(sync: Pick<TrackerSync, 'checkTokens'>, config: string, timeoutMs = TRACKER_CHECK_TIMEOUT_MS): Promise<TokenCheck> {
  const checked = sync.checkTokens().then(
    (): TokenCheck => ({ kind: 'ok' }),
    (err: unknown): TokenCheck => {
      if (err instanceof TrackerAuthError) return { kind: 'stop', message: `Preflight cannot start: ${err.message}. Set a valid token in ${err.envVar} (${config} names it in tasks_from).` };
      if (err instanceof TrackerUnavailableError || err instanceof TrackerRateLimitError) return { kind: 'warn', reason: err.message };
      return { kind: 'stop', message: `Preflight cannot start: a tracker source in ${config} cannot be used: ${(err as Error).message}` };
    },
  );
  return pTimeout(checked, { milliseconds: timeoutMs, fallback: (): TokenCheck => ({ kind: 'warn', reason: `no answer within ${timeoutMs / 1000} s` }) });
}
