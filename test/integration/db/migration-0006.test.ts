import { rmSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { openDatabase } from '../../../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../../../src/db/migrate.js';
import type { Deps } from '../../../src/services/deps.js';
import { gateFacts } from '../../../src/services/gonogo/facts.js';
import { migrationsUpTo } from '../../support/migrations.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: [aWorkstream({ leads: undefined })],
  gates: [
    { id: 'qa', name: 'QA', sign_off: ['U0QA', 'U0QA2'] },
    { id: 'sec', name: 'Security', sign_off: ['U0SEC'] },
    { id: 'perf', name: 'Perf', sign_off: ['U0PERF'] },
  ],
});

describe('migration 0006 (gate_signatures) on a database holding 0004-era gate states', () => {
  const url = new URL(inject('templateDatabaseUrl'));
  url.pathname = `/preflight_m0006_${inject('testRunId')}`;
  const dir = migrationsUpTo('0004_blocker_last_level');
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(url.toString());
  });

  it('keeps every gate state and gives each gate passed before it its signer’s signature; sign-offs read as before', async () => {
    await ensureDatabase(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: dir });
    await client.query(`INSERT INTO gate_states (gate_id, status, signed_by, signed_at, note, updated_at) VALUES
      ('qa', 'passed', 'U0QA2', '2026-02-03T10:00:00Z', 'looks good', '2026-02-03T10:00:00Z'),
      ('sec', 'failed', 'U0SEC', '2026-02-03T11:00:00Z', NULL, '2026-02-03T11:00:00Z'),
      ('perf', 'pending', 'U0PERF', '2026-02-03T09:00:00Z', NULL, '2026-02-03T12:00:00Z')`);
    await client.end();

    await runMigrations(url.toString());
    const database = openDatabase(url.toString());
    try {
      const sigs = await database.pool.query('SELECT gate_id, user_id, signed_at, note FROM gate_signatures ORDER BY gate_id');
      expect(sigs.rows).toEqual([{ gate_id: 'qa', user_id: 'U0QA2', signed_at: new Date('2026-02-03T10:00:00Z'), note: 'looks good' }]);
      const states = await database.pool.query('SELECT gate_id, status, signed_by FROM gate_states ORDER BY gate_id');
      expect(states.rows).toEqual([
        { gate_id: 'perf', status: 'pending', signed_by: 'U0PERF' },
        { gate_id: 'qa', status: 'passed', signed_by: 'U0QA2' },
        { gate_id: 'sec', status: 'failed', signed_by: 'U0SEC' },
      ]);
      const deps = { db: database.db, config: parseWorkspaceConfig(YAML, 'test.yml'), clock: fixedClock('2026-02-04T00:00:00Z') } as unknown as Deps;
      expect((await gateFacts(deps)).map((g) => ({ id: g.id, status: g.status, signOffRule: g.signOffRule, signed: g.signed, signedBy: g.signedBy }))).toEqual([
        { id: 'qa', status: 'passed', signOffRule: 'any_of', signed: ['U0QA2'], signedBy: 'U0QA2' },
        { id: 'sec', status: 'failed', signOffRule: 'any_of', signed: [], signedBy: 'U0SEC' },
        { id: 'perf', status: 'pending', signOffRule: 'any_of', signed: [], signedBy: 'U0PERF' },
      ]);
      // migrating again (another process starting) changes nothing
      await runMigrations(url.toString());
      expect((await database.pool.query('SELECT count(*)::int AS n FROM gate_signatures')).rows).toEqual([{ n: 1 }]);
    } finally {
      await database.pool.end();
    }
  });
});
