import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { dropDatabase } from '../../src/db/migrate.js';

/**
 * A fresh database for one test file, cloned from the run's migrated template.
 * @returns its URL and a drop function. The drop is not forced: a pool this file just ended may still be closing
 * its sockets, and a forced drop would reach it as an uncaught 57P01 error in whatever file runs next in this
 * worker. A database still in use when the file ends is dropped (forced) by the global teardown, after every file.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = new URL(inject('templateDatabaseUrl'));
  const runId = inject('testRunId');
  const name = `preflight_t${randomBytes(4).toString('hex')}_${runId}`;
  const admin = new URL(template.toString());
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const templateName = template.pathname.slice(1);
  // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; retry briefly if another file is cloning
  for (let i = 0; ; i++) {
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(templateName)}`);
      break;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await client.end();
  const url = new URL(template.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabase(url.toString(), { force: false }).catch(() => {}),
  };
}

/** A BullMQ key prefix unique to one test file. */
export function uniquePrefix(label: string): string {
  return `pft-${label}-${inject('testRunId')}-${randomBytes(3).toString('hex')}`;
}
