import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { parse } from 'csv-parse/sync';
import { answerSchema, blockerSchema, checkinSchema, taskSchema } from '../../../src/services/records/schemas.js';
import { createTestDatabase } from '../../support/db.js';
import { seedAnswers } from '../../support/seed-answers.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York' },
  workstreams: [
    aWorkstream({
      name: 'Broker',
      leads: undefined,
      tasks: [
        { id: 'O-2', title: 'Broker credentials, staging', owner: 'U01', due: '2026-11-20T17:00', requires: ['O-3'] },
        { id: 'O-3', title: 'Email the partners', owner: 'U01', url: 'https://acme.atlassian.net/browse/O-3?a=1&b=2', source: { tracker: 'jira', label: 'Jira LAUNCH' } },
      ],
    }),
  ],
});

const FORMULA = '=HYPERLINK("http://evil.example","click")';

// each case starts a Node process with tsx (~2.5 s idle, several times that on a loaded 2-core box)
describe('npm run export (the CLI as a user runs it, on real Postgres)', { timeout: 180_000 }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, PREFLIGHT_CONFIG: join(dir, 'preflight.yml'), ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'pf-export-'));
    writeFileSync(join(dir, 'preflight.yml'), YAML);
    const { pool } = openDatabase(db.url);
    // runs open at 15:00 UTC = 10:00 in New York, 50 a day from 2026-11-01; 4 answers each
    await seedAnswers(pool, 150, 4);
    // a blocker raised with `/blocker =HYPERLINK(…)`: a live formula if a spreadsheet took the cell as it is
    await pool.query(
      `INSERT INTO blockers (workstream_id, severity, text, reporter, policy, raised_at, source, channel)
       VALUES ('ws1', 'P1', $1, 'U01', '{"ladder":[],"stopWhen":"resolved"}', '2026-11-02 15:00Z', 'command', 'C0WS1')`,
      [FORMULA],
    );
    await pool.query(
      `INSERT INTO task_states (task_id, workstream_id, status, progress, done_at, done_by, updated_by, updated_at)
       VALUES ('O-3', 'ws1', 'done', 100, '2026-11-04 14:00Z', 'U01', 'U01', '2026-11-04 14:00Z')`,
    );
    await pool.end();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('CSV of the answers of a range: header, one line per answer, progress and the total on stderr', () => {
    const res = run(['--what', 'answers', '--from', '2026-11-02', '--to', '2026-11-03', '--format', 'csv']);
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(Object.keys(answerSchema.shape).join(','));
    expect(lines).toHaveLength(1 + 2 * 50 * 4);
    expect(lines[1]).toMatch(/^\d+,\d+,standup,ws\d+,2026-11-02,U1,true,false,dm,0,2026-11-02T15:01:00.000Z,2026-11-02T15:01:00.000Z,"\{/);
    expect(res.stderr).toMatch(/^answers: 400 rows in \d+\.\d s, done$/m);
  });

  it('NDJSON to a file: every line a record of the schema', () => {
    const out = join(dir, 'checkins.ndjson');
    const res = run(['--what', 'checkins', '--format', 'json', '--to', '2026-11-01', '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toBe('');
    const records = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => checkinSchema.parse(JSON.parse(l)));
    expect(records).toHaveLength(50);
    expect(records.every((r) => r.local_date === '2026-11-01' && r.answered === 4)).toBe(true);
  });

  it('CSV of the tasks: every declared task, a done one and one never updated (open at 0 %)', () => {
    const res = run(['--what', 'tasks']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.endsWith('\r\n')).toBe(true);
    expect(res.stdout.trimEnd().split('\r\n')).toEqual([
      Object.keys(taskSchema.shape).join(','),
      'O-2,ws1,"Broker credentials, staging",U01,2026-11-20T22:00:00.000Z,2026-11-20T17:00,1,P1,"[""O-3""]",open,0,,,,,,,',
      // issue 21: a tracker task's link and source (no unmatched owner)
      'O-3,ws1,Email the partners,U01,,,1,P1,[],done,100,2026-11-04T14:00:00.000Z,U01,2026-11-04T14:00:00.000Z,U01,https://acme.atlassian.net/browse/O-3?a=1&b=2,Jira LAUNCH,',
    ]);
    expect(res.stderr).toMatch(/^tasks: 2 rows in \d+\.\d s, done$/m);
  });

  it('CSV for a spreadsheet: a text cell that would run as a formula starts with a quote; --bom puts the UTF-8 byte order mark first', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', '--what', 'blockers', '--bom'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, PREFLIGHT_CONFIG: join(dir, 'preflight.yml') },
      timeout: 60_000,
    });
    expect(res.status, res.stderr.toString()).toBe(0);
    const bytes = res.stdout as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString('utf8')) as string[][];
    const header = rows[0]!;
    expect(header).toEqual(Object.keys(blockerSchema.shape));
    expect(rows).toHaveLength(2);
    expect(rows[1]![header.indexOf('text')]).toBe(`'${FORMULA}`);
    expect(rows[1]![header.indexOf('raised_at')]).toBe('2026-11-02T15:00:00.000Z');
    // the JSON export (like the API) keeps the text as it was written
    const json = run(['--what', 'blockers', '--format', 'json']);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).text).toBe(FORMULA);
    // without --bom, no byte order mark: the header comes first
    expect(run(['--what', 'blockers']).stdout.startsWith('id,short_id,')).toBe(true);
  });

  it('bad arguments or environment: exit 2 with what to change and the usage, no stack trace', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--what', 'task'], {}, /^--what must be one of checkins, answers, blockers, tasks, gates, decisions, overrides \(got "task"\)\./],
      [[], {}, /^--what is required\./],
      [['--what', 'answers', '--format', 'xml'], {}, /^--format must be csv or json \(got "xml"\)\./],
      [['--what', 'answers', '--from', '2026-02-30'], {}, /^--from must be a date written YYYY-MM-DD, such as 2026-11-01 \(got "2026-02-30"\)\./],
      [['--what', 'answers', '--since', 'x'], {}, /Unknown option '--since'/],
      [['--what', 'answers', '--format', 'json', '--bom'], {}, /^--bom is for CSV only/],
      [['--what', 'answers'], { DATABASE_URL: '' }, /^Cannot export: DATABASE_URL: is required/],
      [['--what', 'answers'], { PREFLIGHT_CONFIG: join(dir, 'missing.yml') }, /^Cannot export: .*missing\.yml/],
    ];
    for (const [args, env, message] of cases) {
      const res = run(args, env);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toContain('Usage: npm run export --');
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
