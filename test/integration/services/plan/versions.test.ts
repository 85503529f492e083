import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { openDatabase, type Database } from '../../../../src/db/client.js';
import { planVersion } from '../../../../src/services/plan/version.js';
import { latestRecordedPlan, recordPlanVersion } from '../../../../src/services/plan/versions.js';
import { createTestDatabase } from '../../../support/db.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const program = (at: string) =>
  resolveProgram(
    parseWorkspaceConfig(aConfig({ program: { timezone: 'Europe/Berlin' }, workstreams: [aWorkstream({ members: ['U01', 'ana@example.com'], standup: { at } })] }), 'preflight.yml'),
    new Map([['ana@example.com', 'ana@example.com']]),
  );

describe('plan_versions keeps the resolved Program (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  const appliedAt = DateTime.utc().toJSDate();
  beforeAll(async () => {
    db = await createTestDatabase();
    database = openDatabase(db.url, () => {}, 2);
  });
  afterAll(async () => {
    await database?.pool.end();
    await db?.drop();
  });

  it('no plan recorded: null', async () => {
    expect(await latestRecordedPlan(database.db)).toBeNull();
  });

  it('a row recorded before migration 0013 (no Program): null, until the same version is recorded again with it', async () => {
    const p = program('10:00');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("INSERT INTO plan_versions (version, applied_at, applied_by, config_path) VALUES ($1, now(), 'startup', 'preflight.yml')", [planVersion(p)]);
    await client.end();
    expect(await latestRecordedPlan(database.db)).toBeNull();
    const row = await recordPlanVersion(database.db, { program: p, version: planVersion(p), appliedAt, appliedBy: 'file', configPath: 'preflight.yml' });
    expect(row.appliedBy).toBe('startup'); // the same version: the row as it was, now with its Program
    expect((await latestRecordedPlan(database.db))?.program).toEqual(p);
  });

  it('the latest plan, read back whole: the same Program and version, who and when', async () => {
    const p = program('11:00');
    await recordPlanVersion(database.db, { program: p, version: planVersion(p), appliedAt, appliedBy: 'U0PM', configPath: 'other.yml' });
    const latest = await latestRecordedPlan(database.db);
    expect(latest).toMatchObject({ version: planVersion(p), appliedBy: 'U0PM', configPath: 'other.yml', appliedAt });
    expect(latest?.program).toEqual(p);
    expect(planVersion(latest!.program)).toBe(planVersion(p));
    expect(Object.isFrozen(latest?.program.workstreams)).toBe(true);
  });
});
