import { describe, expect, it } from 'vitest';
import { retryingTransaction, sqlState } from '../../../src/db/retry-transaction.js';

/** An error shaped as drizzle throws a failed query: DrizzleQueryError-like, with pg's error as `cause`. */
const failedQuery = (code: string) => Object.assign(new Error('Failed query: update "blocker_notices" …'), { cause: Object.assign(new Error('deadlock detected'), { code }) });

describe('retryingTransaction', () => {
  it('runs a transaction Postgres aborted for a deadlock again, and returns what the run that commits returns', async () => {
    let runs = 0;
    const out = await retryingTransaction(async () => {
      runs++;
      if (runs < 3) throw failedQuery('40P01');
      return 'committed';
    });
    expect(out).toBe('committed');
    expect(runs).toBe(3);
  });

  it('retries a serialization failure (40001) too', async () => {
    let runs = 0;
    await retryingTransaction(async () => {
      if (++runs === 1) throw failedQuery('40001');
    });
    expect(runs).toBe(2);
  });

  it('does not run again after any other error (a unique violation), and rejects with it', async () => {
    let runs = 0;
    const err = failedQuery('23505');
    await expect(
      retryingTransaction(async () => {
        runs++;
        throw err;
      }),
    ).rejects.toBe(err);
    expect(runs).toBe(1);
  });

  it('gives up after its retries with the last deadlock', async () => {
    let runs = 0;
    await expect(
      retryingTransaction(async () => {
        runs++;
        throw failedQuery('40P01');
      }, 2),
    ).rejects.toThrow(/Failed query/);
    expect(runs).toBe(3);
  });

  it('reads the SQLSTATE of a pg error, wrapped or not; null for other errors', () => {
    expect(sqlState(failedQuery('40P01'))).toBe('40P01');
    expect(sqlState(Object.assign(new Error('x'), { code: '40001' }))).toBe('40001');
    expect(sqlState(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(sqlState('nope')).toBeNull();
  });
});
