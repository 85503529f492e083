import { rmSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { openDatabase } from '../../../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../../../src/db/migrate.js';
import { updateNotices } from '../../../src/services/blockers/delivery.js';
import type { Deps } from '../../../src/services/deps.js';
import { blockKitRenderer } from '../../../src/slack/blocks/renderer.js';
import { migrationsUpTo } from '../../support/migrations.js';
import { aConfig } from '../../support/config-factories.js';

const YAML = aConfig({ program: { name: 'Launch' } });

describe('migration 0010 (escalation DMs edited in place) on a database holding 0009-era blockers', () => {
  const url = new URL(inject('templateDatabaseUrl'));
  url.pathname = `/preflight_m0010_${inject('testRunId')}`;
  const dir = migrationsUpTo('0009_digests');
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(url.toString());
  });

  it('counts every DM sent before it as showing its blocker’s current state: the upgrade edits none of them', async () => {
    await ensureDatabase(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: dir });
    await client.query(`INSERT INTO blockers (id, workstream_id, severity, text, reporter, status, policy, raised_at, resolved_at, resolved_by, source, channel, message_version, message_rendered_version)
      VALUES (7, 'ws1', 'P1', 'old one', 'U01', 'resolved', '{"ladder":[{"afterMs":0,"notify":"lead"}],"stopWhen":"resolved"}', '2026-02-03T10:00:00Z', '2026-02-03T11:00:00Z', 'U01', 'command', 'C0WS1', 4, 4)`);
    await client.query(`INSERT INTO blocker_notices (blocker_id, level, attempt, recipient, due_at, not_before, status, dm_channel, ts, sent_at)
      VALUES (7, 0, 0, 'U0LEAD', '2026-02-03T10:00:00Z', '2026-02-03T10:00:00Z', 'sent', 'D0LEAD', '1770112800.000100', '2026-02-03T10:00:01Z')`);
    await client.end();

    await runMigrations(url.toString());
    const database = openDatabase(url.toString());
    try {
      expect((await database.pool.query('SELECT episode, rendered_version, closed_view FROM blocker_notices')).rows).toEqual([{ episode: 1, rendered_version: 4, closed_view: null }]);
      expect((await database.pool.query('SELECT episode, dms_rendered_version, due_at FROM blockers')).rows).toEqual([{ episode: 1, dms_rendered_version: 4, due_at: null }]);
      // the edit job finds nothing behind: no Web API call (this client would throw)
      const slack = new Proxy({}, { get: () => new Proxy({}, { get: () => () => Promise.reject(new Error('no Slack call expected')) }) });
      const deps = {
        db: database.db,
        config: parseWorkspaceConfig(YAML, 'test.yml'),
        clock: fixedClock('2026-02-04T00:00:00Z'),
        slack,
        renderer: blockKitRenderer,
        log: pino({ level: 'silent' }),
      } as unknown as Deps;
      expect(await updateNotices(deps, 7)).toBe('current');
      // migrating again (another process starting) changes nothing
      await runMigrations(url.toString());
      expect((await database.pool.query('SELECT rendered_version FROM blocker_notices')).rows).toEqual([{ rendered_version: 4 }]);
    } finally {
      await database.pool.end();
    }
  });
});
