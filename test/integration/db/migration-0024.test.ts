import { rmSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, ensureDatabase, runMigrations } from '../../../src/db/migrate.js';
import { migrationsUpTo } from '../../support/migrations.js';

describe('migration 0024 (DM channels per person) on a database holding prompts already sent', () => {
  const url = new URL(inject('templateDatabaseUrl'));
  url.pathname = `/preflight_m0024_${inject('testRunId')}`;
  const dir = migrationsUpTo('0020_retrospectives');
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(url.toString());
  });

  it('records the IM channel of each person’s latest sent prompt, none for a prompt not sent', async () => {
    await ensureDatabase(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: dir });
    await client.query(`INSERT INTO standup_runs (id, workstream_id, local_date, status, open_at, close_at, questions, workstream_name, zone, report_channel)
      VALUES (1, 'ws1', '2026-03-02', 'closed', '2026-03-02T15:00:00Z', '2026-03-02T17:00:00Z', '[]', 'Payments', 'UTC', 'C1')`);
    await client.query(`INSERT INTO standup_prompts (id, run_id, user_id, zone, prompt_at, remind_at, close_at)
      VALUES (1, 1, 'U01', 'UTC', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z', '2026-03-02T17:00:00Z'),
             (2, 1, 'U02', 'UTC', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z', '2026-03-02T17:00:00Z'),
             (3, 1, 'U03', 'UTC', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z', '2026-03-02T17:00:00Z')`);
    await client.query(`INSERT INTO deliveries (kind, owner_key, status, ts, conversation, sent_at)
      VALUES ('prompt', '1', 'sent', '1772463600.000100', 'D01', '2026-03-02T15:00:01Z'),
             ('prompt', '2', 'sending', NULL, NULL, NULL),
             ('prompt', '3', 'sent', '1772463600.000300', NULL, '2026-03-02T15:00:01Z')`);
    await client.end();

    await runMigrations(url.toString());
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    try {
      expect((await check.query('SELECT user_id, channel FROM dm_channels ORDER BY user_id')).rows).toEqual([{ user_id: 'U01', channel: 'D01' }]);
    } finally {
      await check.end();
    }
  });
});
