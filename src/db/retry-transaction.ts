import pRetry from 'p-retry';

/**
 * Postgres SQLSTATEs after which the whole transaction may simply be run again: `40P01` deadlock_detected and
 * `40001` serialization_failure. Postgres rolled the transaction back; its documentation asks applications to retry
 * it (www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
 */
const RETRYABLE = new Set(['40P01', '40001']);

/** The SQLSTATE of a pg error, also when drizzle wrapped it (DrizzleQueryError's `cause`); null for anything else. */
export function sqlState(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/**
 * Runs `transaction` (a function that opens, runs and commits one database transaction) and runs it again, up to
 * `retries` more times with a short random pause (20–200 ms, p-retry), when Postgres aborted it for a deadlock or a
 * serialization failure. Only for transactions whose work is all inside them (a retry redoes it whole): no Slack
 * call and no job enqueued before the commit.
 * @throws the last error, or at once any other error.
 */
export function retryingTransaction<T>(transaction: () => Promise<T>, retries = 3): Promise<T> {
  return pRetry(transaction, {
    retries,
    minTimeout: 20,
    maxTimeout: 200,
    randomize: true,
    shouldRetry: ({ error }) => RETRYABLE.has(sqlState(error) ?? ''),
  });
}
