import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase } from '../../src/db/migrate.js';
import { postToSlackEndpoint, startBot, type BotProcess } from '../support/bot-process.js';
import { uniquePrefix } from '../support/db.js';
import { prodCommand } from '../support/prod-command.js';
import { SlackApiFake } from '../support/slack-api-fake.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { EVERY_DAY, standupTimeAwayFromNow } from '../support/standup-time.js';
import { PROMPT_STATES } from '../support/prompt-states.js';

/*
 * Production runs the compiled JavaScript (`npm run build` → dist/, `npm run start:prod`: node with its V8 flags), laid out as the Docker
 * image's runtime stage lays it out: package.json, node_modules, dist/ and migrations/, and no src/, no tsx loader.
 * The build goes to a temporary directory (the developer's own dist/ is left alone) with the options of
 * `npm run build` (tsconfig.build.json). The bot starts on a database that does not exist yet, so it must create
 * it and find and apply migrations/ from dist/db/migrate.js.
 */

const SECRET = 'dist-signing-secret-0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded' as const;
const root = process.cwd();

// The scheduled run is never due during the test (any hour, any day): the lead starts the run by hand.
const CONFIG = `
program: { name: Phase 11, timezone: America/New_York, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: ${EVERY_DAY} }
workstreams:
  ws1:
    name: Broker Integration
    channel: C0WS1
    leads: [U0LEAD]
    members: [U01, U02]
    standup: { at: "${standupTimeAwayFromNow('America/New_York')}" }
`;

describe('the compiled build (node dist/main.js), laid out like the Docker runtime stage', () => {
  let app: string;
  let fake: SlackApiFake;
  let bot: BotProcess;
  let databaseUrl: string;
  let sql: pg.Pool;

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'preflight-dist-'));
    // `npm run build` is `rm -rf dist && tsc -p tsconfig.build.json`; only the output directory differs here
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(app, 'dist')], { cwd: root, stdio: 'pipe' });
    cpSync(join(root, 'package.json'), join(app, 'package.json'));
    cpSync(join(root, 'migrations'), join(app, 'migrations'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');

    const base = new URL(inject('templateDatabaseUrl'));
    base.pathname = `/preflight_dist${randomBytes(4).toString('hex')}_${inject('testRunId')}`; // dropped by the global teardown too
    databaseUrl = base.toString();
    fake = await new SlackApiFake().start();
    bot = await startBot(
      {
        SLACK_BOT_TOKEN: 'xoxb-dist-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.url,
        DATABASE_URL: databaseUrl,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: uniquePrefix('dist'),
      },
      CONFIG,
      180_000,
      { command: prodCommand(root), cwd: app },
    );
    sql = new pg.Pool({ connectionString: databaseUrl });
    // tsc takes ~30 s of CPU: 20 s on a quiet box, 3.5 min at load 13 on 2 cores (measured); then the bot starts
  }, 600_000);

  afterAll(async () => {
    const code = await bot?.stop();
    expect(code).toBe(0); // SIGTERM reaches node directly: graceful shutdown
    await sql?.end();
    await fake?.stop();
    if (databaseUrl) await dropDatabase(databaseUrl, { force: false }).catch(() => {}); // not forced: see test/support/db.ts
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('has only JavaScript to run: no TypeScript sources, no tsx', () => {
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/db/migrate.js'))).toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(bot.child.spawnargs).not.toContain('tsx');
  });

  it('created its database and applied every migration in migrations/', async () => {
    const journal = JSON.parse(readFileSync(join(root, 'migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const applied = await sql.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0].n).toBe(journal.entries.length);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });

  it('serves a signed slash command and its workers post through the Web API', async () => {
    const started = await postToSlackEndpoint(bot.baseUrl, SECRET, slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }), FORM);
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('prompting 2 members') });
    await fake.waitFor('a prompt to each member', () => ['U01', 'U02'].every((u) => fake.ok('chat.postMessage', (a) => a.channel === u).length === 1));
    expect(await sql.query('SELECT * FROM standup_runs')).toMatchObject({ rowCount: 1 });
  });

  it('the export runs compiled too (node dist/cli/export.js), on the same database', async () => {
    writeFileSync(join(app, 'preflight.yml'), CONFIG);
    const res = spawnSync('node', ['dist/cli/export.js', '--what', 'checkins', '--format', 'json'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PREFLIGHT_CONFIG: join(app, 'preflight.yml') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status, res.stderr).toBe(0);
    const [run] = (
      await sql.query(
        `SELECT id, prompted FROM (SELECT r.id, count(p.*) FILTER (WHERE p.status = $1)::int AS prompted FROM standup_runs r LEFT JOIN ${PROMPT_STATES} p ON p.run_id = r.id GROUP BY r.id) x`,
        ['sent'],
      )
    ).rows;
    expect(
      res.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([expect.objectContaining({ id: run.id, workstream_id: 'ws1', started_by: 'U0LEAD', prompted: run.prompted })]);
    expect(res.stderr).toMatch(/^checkins: 1 row in [\d.]+ s, done$/m);
  });
});
