import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, runMigrations } from '../../src/db/migrate.js';

/**
 * Creates one migrated template database for this test run (name unique per run); each integration or e2e
 * file clones it (CREATE DATABASE … TEMPLATE), so files never share rows. Dropped at the end.
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and TEST_REDIS_URL.
 */
export default async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = new URL(base);
  template.pathname = `/preflight_tpl_${runId}`;
  await ensureDatabase(template.toString());
  await runMigrations(template.toString());
  project.provide('templateDatabaseUrl', template.toString());
  project.provide('redisUrl', redisUrl);
  project.provide('testRunId', runId);
  return async () => {
    const admin = new URL(base);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    const dbs = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`preflight_%${runId}%`]);
    for (const { datname } of dbs.rows) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`).catch(() => {});
    }
    await client.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    redisUrl: string;
    testRunId: string;
  }
}
