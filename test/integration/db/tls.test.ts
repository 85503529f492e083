import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { ensureDatabase, runMigrations } from '../../../src/db/migrate.js';
import { privatePostgres } from '../../support/private-services.js';

/*
 * Managed Postgres, as Preflight meets it: a server that only accepts TLS, with a certificate from a CA of its
 * own (like RDS's or Cloud SQL's). TLS is set in DATABASE_URL (sslmode, sslrootcert), read by node-postgres.
 */
describe('DATABASE_URL with sslmode against a TLS-only Postgres', () => {
  let pg: Awaited<ReturnType<typeof privatePostgres>>;
  beforeAll(async () => {
    pg = await privatePostgres({ tls: true });
  }, 60_000);
  afterAll(async () => pg?.destroy());

  it('sslmode=verify-full with the provider CA: the database is created, migrated and used over TLS', async () => {
    const url = `${pg.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(pg.caFile!)}`;
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false); // it exists now: found by connecting to it, no admin db needed
    await runMigrations(url);
    const database = openDatabase(url);
    try {
      const { rows } = await database.pool.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows[0]).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
      const { rows: tables } = await database.pool.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'blockers'");
      expect(tables[0].n).toBe(1);
    } finally {
      await database.pool.end();
    }
  });

  it('without TLS the server refuses; without the CA the certificate is not trusted', async () => {
    await expect(ensureDatabase(pg.url)).rejects.toThrow(/no encryption/);
    await expect(ensureDatabase(`${pg.url}?sslmode=verify-full`)).rejects.toThrow(/unable to verify the first certificate|self[- ]signed certificate/);
  });
});
