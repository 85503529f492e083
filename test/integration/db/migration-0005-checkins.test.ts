import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { dropDatabase, ensureDatabase, MIGRATIONS_FOLDER, runMigrations } from '../../../src/db/migrate.js';
import { standupAnswers, standupRuns, standupSkips } from '../../../src/db/schema/index.js';

/**
 * Migration 0005 (check-ins) on a database holding today's schema and data: migrate to 0004 only, write rows the way
 * the bot before check-ins did (a closed run with prompts and answers, an open run, a pending skip), then apply 0005
 * and check that every row is the `standup` check-in and that the new key (workstream, check-in, local date) holds.
 */
describe('migration 0005: runs and skips become the `standup` check-in', () => {
  let url: string;
  let folder: string;
  let db: Db;
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    base.pathname = `/preflight_mig5_${randomBytes(4).toString('hex')}`;
    url = base.toString();
    await ensureDatabase(url);
    // the migrations folder as it was before 0005: the SQL files and the journal's first five entries
    folder = mkdtempSync(join(tmpdir(), 'preflight-mig-'));
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
    expect(journal.entries.find((e) => e.idx === 5)?.tag).toBe('0005_checkins');
    journal.entries = journal.entries.filter((e) => e.idx <= 4);
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: folder });
    // rows as the bot before check-ins wrote them (no checkin_id column exists yet)
    await client.query(`
      INSERT INTO standup_runs (id, workstream_id, local_date, status, open_at, close_at, questions, workstream_name, zone, report_channel, report_ts, report_version, report_rendered_version)
      VALUES (1, 'ws1', '2026-03-02', 'closed', '2026-03-02T15:00:00Z', '2026-03-02T17:00:00Z', '[{"id":"today","prompt":"Today?","kind":"text","required":true}]', 'Payments', 'America/New_York', 'C1', '1700000000.000100', 3, 3),
             (2, 'ws1', '2026-03-03', 'open', '2026-03-03T15:00:00Z', '2026-03-03T17:00:00Z', '[{"id":"today","prompt":"Today?","kind":"text","required":true}]', 'Payments', 'America/New_York', 'C1', NULL, 1, 0);
      SELECT setval('standup_runs_id_seq', 2);
      INSERT INTO standup_prompts (run_id, user_id, zone, prompt_at, remind_at, close_at, status, prompt_ts)
      VALUES (1, 'U1', 'America/New_York', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z', '2026-03-02T17:00:00Z', 'sent', '1700000000.000200');
      INSERT INTO standup_answers (run_id, user_id, answers, complete, source, completed_at, updated_at)
      VALUES (1, 'U1', '{"today":"ship it"}', true, 'modal', '2026-03-02T15:10:00Z', '2026-03-02T15:10:00Z');
      INSERT INTO standup_skips (user_id, workstream_id, local_date) VALUES ('U1', 'ws1', '2026-03-04');
    `);
    await client.end();
    await runMigrations(url);
    ({ db, pool } = openDatabase(url, () => {}, 2));
  });

  afterAll(async () => {
    await pool?.end().catch(() => {});
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (url) await dropDatabase(url);
  });

  it('keeps every run, answer and skip, now as the `standup` check-in', async () => {
    const runs = await db.select().from(standupRuns).orderBy(standupRuns.id);
    // the report's ts lives in its delivery since 0011
    const reportTs = new Map((await pool!.query<{ owner_key: string; ts: string | null }>("SELECT owner_key, ts FROM deliveries WHERE kind = 'report'")).rows.map((d) => [Number(d.owner_key), d.ts]));
    expect(runs.map((r) => [r.id, r.workstreamId, r.checkinId, r.checkinName, r.localDate, r.status, reportTs.get(r.id) ?? null, r.reportThreadTs])).toEqual([
      [1, 'ws1', 'standup', 'Standup', '2026-03-02', 'closed', '1700000000.000100', null],
      [2, 'ws1', 'standup', 'Standup', '2026-03-03', 'open', null, null],
    ]);
    const answers = await db.select().from(standupAnswers);
    expect(answers.map((a) => [a.runId, a.userId, a.answers, a.complete])).toEqual([[1, 'U1', { today: 'ship it' }, true]]);
    const skips = await db.select().from(standupSkips);
    expect(skips.map((s) => [s.userId, s.workstreamId, s.checkinId, s.localDate])).toEqual([['U1', 'ws1', 'standup', '2026-03-04']]);
  });

  it('allows another check-in on the same date, never a second run of one check-in', async () => {
    const row = {
      workstreamId: 'ws1',
      localDate: '2026-03-03',
      status: 'open' as const,
      openAt: new Date('2026-03-03T18:00:00Z'),
      closeAt: new Date('2026-03-03T19:00:00Z'),
      questions: [],
      workstreamName: 'Payments',
      zone: 'America/New_York',
      reportChannel: 'C1',
    };
    const other = await db
      .insert(standupRuns)
      .values({ ...row, checkinId: 'checkpoint', checkinName: 'Checkpoint' })
      .onConflictDoNothing()
      .returning({ id: standupRuns.id });
    expect(other).toHaveLength(1);
    const again = await db.insert(standupRuns).values(row).onConflictDoNothing().returning({ id: standupRuns.id });
    expect(again).toHaveLength(0); // the migrated run 2 is the standup of 2026-03-03
    const skip = await db.insert(standupSkips).values({ userId: 'U1', workstreamId: 'ws1', checkinId: 'checkpoint', localDate: '2026-03-04' }).onConflictDoNothing().returning();
    expect(skip).toHaveLength(1);
    const dup = await db.insert(standupSkips).values({ userId: 'U1', workstreamId: 'ws1', localDate: '2026-03-04' }).onConflictDoNothing().returning();
    expect(dup).toHaveLength(0);
    const onDay = await db
      .select({ checkin: standupRuns.checkinId })
      .from(standupRuns)
      .where(and(eq(standupRuns.workstreamId, 'ws1'), eq(standupRuns.localDate, '2026-03-03')))
      .orderBy(standupRuns.id);
    expect(onDay.map((r) => r.checkin)).toEqual(['standup', 'checkpoint']);
  });
});
