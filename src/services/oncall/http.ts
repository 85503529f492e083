import pRetry, { AbortError } from 'p-retry';

/*
 * The one HTTP GET the rotation feeds make (ICS, PagerDuty, Opsgenie; issue 22): fetch with a timeout, retried by
 * p-retry on network errors and 5xx with backoff, and on 429 after the server's Retry-After.
 */

/** A feed that cannot be read: `status` the HTTP status (0: no answer), `message` one line for logs and notices. */
export class FeedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

/** Longest Retry-After waited for, ms: a longer one gives up now (the rotation keeps its last known shifts). */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After (seconds, or an HTTP date) → ms from `nowMs`; null when absent or unreadable (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export interface GetOptions {
  headers: Record<string, string>;
  /** Who answers, for messages: "PagerDuty". */
  service: string;
  /** What to tell about a 401/403, e.g. "check PAGERDUTY_TOKEN". */
  authHint: string;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Per-attempt timeout, ms (default 10 s). */
  timeoutMs?: number;
  /** Backoff's first wait, ms (default 1 s, doubling). */
  minBackoffMs?: number;
}

/**
 * GETs `url` and returns the body as text.
 * - 429: waits the response's Retry-After (at most {@link MAX_RETRY_AFTER_MS}) plus the backoff, and retries.
 * - 5xx, a timeout or a network error: retries with exponential backoff.
 * @throws FeedError at once on 401/403 (the token), 404 (the schedule or URL) and other 4xx; after the last retry otherwise.
 */
export async function getText(url: string, opts: GetOptions): Promise<string> {
  const retries = opts.retries ?? 3;
  return pRetry(
    async () => {
      let res: Response;
      try {
        res = await fetch(url, { headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      } catch (err) {
        throw new FeedError(0, `${opts.service} could not be reached (${(err as Error).message})`);
      }
      if (res.ok) return res.text();
      await res.body?.cancel();
      if (res.status === 401 || res.status === 403) throw new AbortError(new FeedError(res.status, `${opts.service} refused the credentials (HTTP ${res.status}): ${opts.authHint}`));
      if (res.status === 404) throw new AbortError(new FeedError(404, `${opts.service} has no such schedule or feed (HTTP 404): check the id or URL in program.oncall`));
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
        if (wait !== null && wait > MAX_RETRY_AFTER_MS) throw new AbortError(new FeedError(429, `${opts.service} is rate limiting (Retry-After ${Math.round(wait / 1000)} s)`));
        throw Object.assign(new FeedError(429, `${opts.service} is rate limiting (HTTP 429)`), { waitMs: wait });
      }
      if (res.status >= 500) throw new FeedError(res.status, `${opts.service} answered HTTP ${res.status}`);
      throw new AbortError(new FeedError(res.status, `${opts.service} answered HTTP ${res.status}`));
    },
    {
      retries,
      minTimeout: opts.minBackoffMs ?? 1_000,
      factor: 2,
      // a 429 with Retry-After waits that long first, then the backoff: never sooner than the server asked
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const wait = (error as { waitMs?: number | null }).waitMs;
        if (retriesLeft > 0 && typeof wait === 'number') await new Promise((r) => setTimeout(r, wait));
      },
    },
  );
}
