import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../../src/db/migrate.js';
import { createTestDatabase } from '../../support/db.js';

const exists = async (url: string) => {
  const admin = Object.assign(new URL(url), { pathname: '/postgres' });
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [new URL(url).pathname.slice(1)])).rowCount ?? 0) > 0;
  } finally {
    await c.end();
  }
};

/**
 * A test file's database is dropped right after its pool ends; `pg.Pool#end()` resolves before the sockets close,
 * so a forced drop there reached the pool as an uncaught 57P01 on a loaded CI box (issue 18, CI on a loaded machine).
 */
describe('dropDatabase', () => {
  it('not forced, right after a pool ended: drops the database and the pool sees no error', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    const poolErrors: Error[] = [];
    pool.on('error', (err) => poolErrors.push(err));
    await Promise.all([1, 2, 3, 4].map(() => pool.query('SELECT pg_sleep(0.01)')));
    await pool.end();
    await dropDatabase(db.url, { force: false });
    expect(await exists(db.url)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(poolErrors).toEqual([]);
  });

  it('not forced, while a session is connected: refuses ("being accessed by other users") and the session lives', async () => {
    const db = await createTestDatabase();
    const held = new pg.Client({ connectionString: db.url });
    const heldErrors: Error[] = [];
    held.on('error', (err) => heldErrors.push(err));
    await held.connect();
    try {
      await expect(dropDatabase(db.url, { force: false })).rejects.toThrow(/being accessed by other users/);
      expect((await held.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      expect(heldErrors).toEqual([]);
    } finally {
      await held.end();
    }
    await dropDatabase(db.url);
    expect(await exists(db.url)).toBe(false);
  }, 60_000);

  it('forced (the default): terminates the sessions still connected and drops it', async () => {
    const db = await createTestDatabase();
    const held = new pg.Client({ connectionString: db.url });
    const heldErrors: Array<{ code?: string }> = [];
    held.on('error', (err) => heldErrors.push(err as { code?: string }));
    await held.connect();
    await dropDatabase(db.url);
    expect(await exists(db.url)).toBe(false);
    for (let i = 0; i < 100 && heldErrors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(heldErrors[0]?.code).toBe('57P01'); // then the socket's close, without a code
    await held.end().catch(() => {});
  });
});

/**
 * Two processes starting at once on a fresh DATABASE_URL (two replicas, or `npm run db:migrate` beside `npm start`)
 * both find the database missing and both run CREATE DATABASE: the loser gets 23505 (unique violation on
 * pg_database_datname_index) or 42P04 (duplicate_database), and must go on, since the database is there.
 */
describe('ensureDatabase', () => {
  it('two at once on a fresh database: both resolve, one created it, and it exists', async () => {
    // a few rounds: the two CREATE DATABASE statements do not always overlap on one try
    for (let round = 0; round < 5; round++) {
      const url = Object.assign(new URL(inject('templateDatabaseUrl')), { pathname: `/preflight_race${randomBytes(4).toString('hex')}_${inject('testRunId')}` }).toString();
      try {
        const created = await Promise.all([ensureDatabase(url), ensureDatabase(url)]);
        expect(created.filter(Boolean)).toHaveLength(1);
        expect(await exists(url)).toBe(true);
      } finally {
        await dropDatabase(url);
      }
      expect(await exists(url)).toBe(false);
    }
  });
});
