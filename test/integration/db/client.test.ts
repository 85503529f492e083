import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { createTestDatabase } from '../../support/db.js';

describe('openDatabase: a connection Postgres kills is an error logged, never a crash', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('a client killed while checked out (between two statements) reports to onError and the pool goes on', async () => {
    const errors: Error[] = [];
    const { pool } = openDatabase(database.url, (err) => errors.push(err), 2);
    const uncaught: Error[] = [];
    const onUncaught = (err: Error) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // what a Postgres restart does to a checked-out connection (the fault suite's "Postgres restarted under load")
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      // the socket closes asynchronously; 2 s is ample on a loaded 2-core box (it takes a few ms)
      for (let i = 0; i < 40 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(errors.length).toBeGreaterThan(0);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      // the pool still serves queries on a fresh connection
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  });
});
