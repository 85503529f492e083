import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** Runs a CLI the way its npm script does (`tsx <file> ...args`) in a scratch directory, without the developer's .env or services. */
function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const { DATABASE_URL: _db, SLACK_BOT_TOKEN: _token, PREFLIGHT_CONFIG: _cfg, ...rest } = process.env;
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, file), ...args], { cwd: tmp, env: { ...rest, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

// every day a workday, so whatever today is, the next days have check-ins
const YAML = `
program: { name: Launch, timezone: America/New_York, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: [mon, tue, wed, thu, fri, sat, sun] }
workstreams:
  ops: { name: Ops, channel: C0OPS, members: [U0ANN, { id: U0SYD, timezone: Australia/Sydney }], standup: { at: "02:30" } }
`;
const tmp = mkdtempSync(join(tmpdir(), 'preflight-preview-cli-'));
writeFileSync(join(tmp, 'preflight.yml'), YAML);
writeFileSync(join(tmp, 'typo.yml'), YAML.replace('"02:30"', '"2:30"'));
// issue 18 (1): a program check-in whose participants include the PM, as the README writes it; the PM is in no
// workstream, so their section in its report is the program itself
const PROGRAM_PULSE = YAML.replace('channel: C0LAUNCH }', 'channel: C0LAUNCH, checkins: [{ id: pulse, at: "06:40", participants: [all_leads, U0PM] }] }').replace(
  'members: [U0ANN,',
  'leads: [U0LEAD], members: [U0ANN,',
);
writeFileSync(join(tmp, 'pulse.yml'), PROGRAM_PULSE);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// each test starts the CLI in a tsx process of its own: tens of seconds on a loaded 2-core box
describe('npm run preview', { timeout: 120_000 }, () => {
  it('prints the table for a span, from the config alone when DATABASE_URL is not set', async () => {
    const r = await run('src/cli/preview-cli.ts', ['--from', '2026-03-07', '--days', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Preflight preview: Launch, Sat 7 Mar 2026 to Sun 8 Mar 2026 (2 days');
    expect(r.stdout).toContain('Previewing from the config alone (DATABASE_URL is not set)');
    expect(r.stdout).toMatch(/03:30 +Sun 03:30 America\/New_York +prompt +ops · standup \(2026-03-08\) +U0ANN +clocks go forward: 02:30 moves to 03:30/);
  });

  it('says so when the database does not answer, and still previews', async () => {
    const r = await run('src/cli/preview-cli.ts', ['--from', '2026-03-07', '--days', '1', '--format', 'json'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/preflight' });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.source).toMatch(/^Previewing from the config alone: the database at DATABASE_URL could not be read \(.+\)\.$/);
    expect(json.events.length).toBeGreaterThan(0);
  });

  it('--format ics --person writes a calendar of that person’s check-ins that ical.js reads', async () => {
    const r = await run('src/cli/preview-cli.ts', ['--from', '2026-03-07', '--days', '3', '--format', 'ics', '--person', 'U0SYD']);
    expect(r.code).toBe(0);
    const cal = new ICAL.Component(ICAL.parse(r.stdout));
    const uids = cal.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid'));
    // 02:30 in Sydney is 10:30 the day before in New York: the span (7–9 Mar in New York) holds Sydney's 8th to 10th
    expect(uids).toEqual(['ops.standup.2026-03-08.U0SYD@preflight', 'ops.standup.2026-03-09.U0SYD@preflight', 'ops.standup.2026-03-10.U0SYD@preflight']);
  });

  it('--person with an email the config names: their lines, without asking Slack', async () => {
    writeFileSync(join(tmp, 'emails.yml'), YAML.replace('members: [U0ANN,', 'members: [ann@example.com,'));
    const r = await run('src/cli/preview-cli.ts', ['--config', 'emails.yml', '--from', '2026-03-09', '--days', '1', '--person', 'Ann@Example.com']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('People given by email are shown as written (1).');
    expect(r.stdout).toMatch(/02:30 +Mon 02:30 America\/New_York +prompt +ops · standup \(2026-03-09\) +ann@example\.com/);
    expect(r.stdout).not.toContain('U0SYD');
  });

  // six processes at once: each pays tsx's start-up (2–5 s on a quiet box, tens of seconds at load 15 on 2 cores)
  it('bad arguments: a clear line, the usage, exit 2, no stack trace', { timeout: 240_000 }, async () => {
    const cases = [
      [['--format', 'pdf'], '--format pdf: expected one of table, json, ics'],
      [['--days', '0'], '--days 0: expected a whole number of days from 1 to 366'],
      [['--from', '2026-02-30'], '--from 2026-02-30: expected a date such as 2026-12-01'],
      [['--ws', 'nope'], '--ws nope: no such workstream in ./preflight.yml (workstreams: ops)'],
      [['--person', 'ann@example.com'], '--person ann@example.com: looking up an email needs SLACK_BOT_TOKEN (scope users:read.email); or give the user ID'],
      [['--frm', 'x'], "Unknown option '--frm'"],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => run('src/cli/preview-cli.ts', [...args])));
    results.forEach((r, i) => {
      const [args, line] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toContain(line);
      expect(r.stderr).toContain('Usage: npm run preview --');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('a program check-in with the PM among its participants: the PM’s and the leads’ prompts, exit 0 (issue 18)', async () => {
    const r = await run('src/cli/preview-cli.ts', ['--config', 'pulse.yml', '--from', '2026-03-09', '--days', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/06:40 +Mon 06:40 America\/New_York +prompt +_program · pulse \(2026-03-09\) +U0PM/);
    expect(r.stdout).toMatch(/06:40 +Mon 06:40 America\/New_York +prompt +_program · pulse \(2026-03-09\) +U0LEAD/);
  });

  it('an invalid config: the problems with file, line and key path, exit 1', async () => {
    const r = await run('src/cli/preview-cli.ts', ['--config', 'typo.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^typo\.yml: 1 problem\ntypo\.yml:5:\d+ workstreams\.ops\.standup\.at: expected a 24-hour local time such as "10:00"/);
  });
});

describe('npm run config:check -- --preview', { timeout: 120_000 }, () => {
  it('prints the next 3 days after a valid file', async () => {
    const r = await run('src/cli/config-check.ts', ['--preview', 'preflight.yml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^preflight\.yml: OK \(1 workstream, 2 members, 0 gates\)\n\nPreflight preview: Launch, .+ \(3 days, times in America\/New_York/);
    expect(r.stdout.match(/ prompt +ops · standup/g)!.length).toBeGreaterThanOrEqual(5);
  });

  it('a program check-in with the PM among its participants previews too (issue 18)', async () => {
    const r = await run('src/cli/config-check.ts', ['--preview', 'pulse.yml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/ prompt +_program · pulse \(\S+\) +U0PM/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('a typo in an `at` fails the validation before any preview', async () => {
    const r = await run('src/cli/config-check.ts', ['--preview', 'typo.yml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('workstreams.ops.standup.at');
  });
});
