import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePlanWithRunning, runPlanCommand } from '../../../src/cli/plan/run.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { resolveProgram } from '../../../src/config/resolve.js';
import { openDatabase } from '../../../src/db/client.js';
import { planVersion } from '../../../src/services/plan/version.js';
import { recordPlanVersion } from '../../../src/services/plan/versions.js';
import { createTestDatabase } from '../../support/db.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../support/config-factories.js';

// Every date comes from the test's own now: tomorrow in the program's zone, a day with every check-in (all days are
// workdays), whatever the hour or weekday the test runs at.
const now = DateTime.utc();
const ZONE = 'Europe/Berlin';
const ANN_ZONE = 'America/New_York';
const tomorrow = now.setZone(ZONE).plus({ days: 1 }).toISODate()!;
/** "Wed 10:00 America/New_York": a local time on tomorrow's date (`zone`'s own date) as the table prints it. */
const local = (hhmm: string, zone: string) => `${DateTime.fromISO(`${tomorrow}T${hhmm}`, { zone }).toFormat('ccc HH:mm')} ${zone}`;
/** A wall time in the program's zone tomorrow, read in another zone (a gate's due in the PM's zone). */
const seen = (hhmm: string, from: string, to: string) => DateTime.fromISO(`${tomorrow}T${hhmm}`, { zone: from }).setZone(to);

const plan = (over: { standupAt: string; members: unknown[]; checkins?: unknown[]; gateDue: string; taskDue: string; taskOwner: string }) =>
  aConfig({
    program: { name: 'Launch', timezone: ZONE },
    calendar: { workdays: EVERY_DAY_OF_WEEK },
    gates: [{ id: 'qa', name: 'QA sign-off', due: `${tomorrow}T${over.gateDue}`, sign_off: ['U0QA'] }],
    workstreams: [
      aWorkstream({
        id: 'web',
        name: 'Web',
        channel: 'C0WEB',
        leads: ['U0LEAD'],
        members: over.members,
        standup: { at: over.standupAt },
        ...(over.checkins ? { checkins: over.checkins } : {}),
        tasks: [{ id: 'W-1', title: 'Email', owner: over.taskOwner, due: `${tomorrow}T${over.taskDue}` }],
      }),
    ],
  });

const ANN = { id: 'U0ANN', timezone: ANN_ZONE };
const RUNNING = plan({ standupAt: '10:00', members: [ANN, 'U0BOB'], gateDue: '15:00', taskDue: '13:00', taskOwner: 'U0ANN' });
const NEW = plan({
  standupAt: '11:00',
  members: [ANN],
  checkins: [{ id: 'signoff', name: 'Sign-off', at: '16:00' }],
  gateDue: '16:00',
  taskDue: '14:00',
  taskOwner: 'U0LEAD',
});

describe('npm run plan (real Postgres)', { timeout: 180_000 }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
    const database = openDatabase(db.url, () => {}, 1);
    const program = resolveProgram(parseWorkspaceConfig(RUNNING, 'preflight.yml'));
    await recordPlanVersion(database.db, { program, version: planVersion(program), appliedAt: now.minus({ hours: 1 }).toJSDate(), appliedBy: 'U0PM', configPath: 'preflight.yml' });
    await database.pool.end();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('compares the plan recorded in the database with the new file: moves, an added check-in, a re-dated task and gate, a removed person', async () => {
    const newFile = file('new.yml', NEW);
    const run = await runPlanCommand(['--config', newFile, '--from', tomorrow, '--days', '1'], { DATABASE_URL: db.url, PREFLIGHT_CONFIG: join(dir, 'absent.yml') }, now);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = run.stdout;
    const version = planVersion(resolveProgram(parseWorkspaceConfig(RUNNING, 'preflight.yml')));
    expect(text).toContain(`Running: version ${version} (recorded in the database: preflight.yml)`);
    expect(text).toContain('The running plan is the latest recorded in the database');
    // the moved standup, old → new in Ann's own zone (10:00 and 11:00 are her wall times: her zone overrides)
    expect(text).toMatch(/^U0ANN {2}/m);
    expect(text).toMatch(new RegExp(`moved +prompt: Web · Standup \\(${tomorrow}\\) +${local('10:00', ANN_ZONE)} +${local('11:00', ANN_ZONE)}`));
    // the added check-in: its prompt to Ann, and the check-in under its workstream
    expect(text).toMatch(new RegExp(`added +prompt: Web · Sign-off \\(${tomorrow}\\) +— +${local('16:00', ANN_ZONE)}`));
    expect(text).toMatch(/web +.*added +check-in: Web · Sign-off +— +16:00 Europe\/Berlin/s);
    // Bob is removed: no more prompts
    expect(text).toMatch(/U0BOB +removed +U0BOB is no longer in the plan/);
    expect(text).toMatch(new RegExp(`removed +prompt: Web · Standup \\(${tomorrow}\\) +${local('10:00', ZONE)} +—`));
    // the task re-dated and re-owned, with its escalation steps
    expect(text).toMatch(
      new RegExp(
        `re-dated +task: Task W-1 “Email” +${local('13:00', ZONE)} +${local('14:00', ZONE)} +escalation: U0ANN ${seen('13:00', ZONE, ANN_ZONE).toFormat('HH:mm')} → —, U0LEAD — → 14:00, U0LEAD 13:30 → 14:30, U0PM 14:00 → 15:00`,
      ),
    );
    expect(text).toMatch(/re-owned +task: Task W-1 “Email” +U0ANN +U0LEAD/);
    // the gate re-dated, with each escalation step old → new (in the recipient's zone)
    const pm = (t: string) => seen(t, ZONE, ZONE).toFormat('HH:mm');
    expect(text).toMatch(
      new RegExp(`re-dated +gate: Gate “QA sign-off” +${local('15:00', ZONE)} +${local('16:00', ZONE)} +escalation: U0QA ${pm('15:00')} → ${pm('16:00')}, U0PM ${pm('15:30')} → ${pm('16:30')}`),
    );
  });

  it('--format json: the documented shape, every key present', async () => {
    const run = await runPlanCommand(['--config', file('new.yml', NEW), '--from', tomorrow, '--days', '1', '--format', 'json'], { DATABASE_URL: db.url }, now);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(['running', 'new', 'from', 'until', 'days', 'programZone', 'changes']);
    expect(json.running).toMatchObject({ source: 'database', file: 'preflight.yml', appliedBy: 'U0PM' });
    const moved = json.changes.find((c: { subject: string; change: string; person: string }) => c.subject === 'prompt' && c.change === 'moved' && c.person === 'U0ANN');
    expect(moved).toEqual({
      change: 'moved',
      subject: 'prompt',
      summary: 'Web · Standup',
      person: 'U0ANN',
      workstreamId: 'web',
      checkinId: 'standup',
      gateId: null,
      taskId: null,
      blockerId: null,
      localDate: tomorrow,
      zone: ANN_ZONE,
      old: { at: seen('10:00', ANN_ZONE, 'UTC').toISO(), localTime: seen('10:00', ANN_ZONE, ANN_ZONE).toISO() },
      new: { at: seen('11:00', ANN_ZONE, 'UTC').toISO(), localTime: seen('11:00', ANN_ZONE, ANN_ZONE).toISO() },
      oldValue: expect.stringMatching(/^\d\d:\d\d$/),
      newValue: expect.stringMatching(/^\d\d:\d\d$/),
      steps: [],
      note: null,
    });
    const gate = json.changes.find((c: { subject: string }) => c.subject === 'gate');
    expect(gate.steps.map((s: { to: string }) => s.to)).toEqual(['U0QA', 'U0PM']);
  });

  it('the same file: "No changes in the next N days."', async () => {
    const run = await runPlanCommand(['--config', file('same.yml', RUNNING), '--days', '2'], { DATABASE_URL: db.url }, now);
    expect(run.stdout).toContain('No changes in the next 2 days.');
  });

  it('no database: compares with the current file, and the header says so', async () => {
    const current = file('preflight.yml', RUNNING);
    const comparison = await comparePlanWithRunning({ newFile: file('new.yml', NEW), runningFile: current, databaseUrl: undefined, fromDate: tomorrow, days: 1, now });
    expect(comparison.running).toMatchObject({ source: 'file', file: current, appliedAt: null });
    expect(comparison.running.detail).toMatch(/^DATABASE_URL is not set: the running plan is the current file/);
    expect(comparison.diff.changes.filter((c) => c.subject === 'prompt' && c.change === 'moved').map((c) => c.person)).toEqual(['U0ANN']);
  });

  it('an invalid new file: the loader’s problems (file, line, key path) and exit code 1; bad arguments: usage and 2', async () => {
    const bad = file('bad.yml', NEW.replace('at: "16:00"', 'at: "25:00"').replace("at: '16:00'", "at: '25:00'").replace('at: 16:00', 'at: 25:00'));
    const run = await runPlanCommand(['--config', bad], { DATABASE_URL: db.url }, now);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 1 problem\\n.*bad\\.yml:\\d+:\\d+ .*workstreams\\.web\\.checkins\\.0\\.at`, 's'));
    const usage = await runPlanCommand(['--days', '0', '--config', bad], {}, now);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^--days 0: expected a whole number of days from 1 to 366\n\nUsage: npm run plan/);
  });

  // the commands as a user runs them: each starts a Node process with tsx (seconds on a loaded 2-core box)
  const cli = (script: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, PREFLIGHT_CONFIG: join(dir, 'absent.yml') },
      encoding: 'utf8',
      timeout: 90_000,
    });

  it('npm run plan and config:check --plan, as processes: the same comparison against the running bot', () => {
    const newFile = file('new.yml', NEW);
    const plan = cli('src/cli/plan-cli.ts', ['--config', newFile, '--days', '2']);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('recorded in the database: preflight.yml');
    expect(plan.stdout).toMatch(/re-dated +gate: Gate “QA sign-off”/);
    const check = cli('src/cli/config-check.ts', ['--plan', newFile]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('recorded in the database: preflight.yml');
    expect(check.stdout).toMatch(/re-dated +gate: Gate “QA sign-off”/);
    expect(cli('src/cli/config-check.ts', ['--plan']).status).toBe(2);
  });
});
