import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspaceConfig } from '../../../src/config/load.js';
import type { WorkspaceConfig } from '../../../src/config/workspace.js';
import { checkinOf, checkinsOf, PROGRAM_WORKSTREAM } from '../../../src/domain/checkins/plans.js';
import { occurrenceOn } from '../../../src/domain/checkins/schedule.js';
import { buildPreview } from '../../../src/services/preview/build.js';

/*
 * Every file in examples/ must be a valid preflight.yml, and the two seed reproductions must say what the
 * seed plans say (the facts a PM would check before trusting the example).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examplesDir = join(root, 'examples');
const exampleFiles = readdirSync(examplesDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const load = (name: string) => loadWorkspaceConfig(join(examplesDir, name));

const MIN = 60_000;
const HOUR = 60 * MIN;
const memberIds = (cfg: WorkspaceConfig, ws: string) => cfg.workstreams[ws]!.members.map((m) => (typeof m === 'string' ? m : m.id));
const ladder = (cfg: WorkspaceConfig, severity: 'P0' | 'P1' | 'P2') => cfg.escalation?.ladders[severity]?.map((l) => [l.after, l.notify]);

describe('examples/', () => {
  it('holds the documented examples', () => {
    expect(exampleFiles).toEqual(
      expect.arrayContaining(['minimal.preflight.yml', 'phase11-four-workstreams.preflight.yml', 'final-deployment-five-teams.preflight.yml', 'phase3-two-hour-checkpoints.preflight.yml']),
    );
  });

  it.each(exampleFiles)('%s is a valid preflight.yml', (name) => {
    expect(() => load(name)).not.toThrow();
  });

  it.each(exampleFiles)('%s: no member is listed in two workstreams, and gate due times follow their requirements', (name) => {
    const cfg = load(name);
    const all = Object.keys(cfg.workstreams).flatMap((ws) => memberIds(cfg, ws));
    expect(new Set(all).size).toBe(all.length);
    const due = new Map(cfg.gates.map((g) => [g.id, g.due]));
    for (const gate of cfg.gates) {
      for (const req of gate.requires) {
        if (gate.due && due.get(req)) expect(due.get(req)! <= gate.due, `${req} (due ${due.get(req)}) must be due before ${gate.id} (due ${gate.due})`).toBe(true);
      }
    }
  });
});

describe('examples/minimal.preflight.yml', () => {
  it('is one workstream with two members and the default standup questions', () => {
    const cfg = load('minimal.preflight.yml');
    expect(Object.keys(cfg.workstreams)).toHaveLength(1);
    expect(memberIds(cfg, 'web')).toHaveLength(2);
    expect(cfg.standup.at).toBe('10:00');
    expect(cfg.standup.questions.map((q) => q.id)).toEqual(['yesterday', 'today', 'blockers', 'progress', 'risk']);
  });
});

describe('examples/phase11-four-workstreams.preflight.yml (seed 004)', () => {
  let cfg: WorkspaceConfig;
  beforeAll(() => {
    cfg = load('phase11-four-workstreams.preflight.yml');
  });

  it('is the Phase 11 program in New York time, go-live Feb 5 2026', () => {
    expect(cfg.program).toMatchObject({ name: 'Phase 11 go-live', timezone: 'America/New_York', go_live: '2026-02-05T14:00' });
    expect(cfg.calendar.workdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('has four workstreams of 35/35/20/10 members (100 devs)', () => {
    expect(Object.fromEntries(Object.entries(cfg.workstreams).map(([id, ws]) => [id, [ws.name, ws.members.length]]))).toEqual({
      ws1: ['Broker Integration', 35],
      ws2: ['AI Infrastructure', 35],
      ws3: ['Daily Bias UI', 20],
      ws4: ['QA & Deployment', 10],
    });
  });

  it('staggers the standups at 10:00 / 10:30 / 11:00 / 11:30', () => {
    expect(Object.values(cfg.workstreams).map((ws) => ws.standup?.at ?? cfg.standup.at)).toEqual(['10:00', '10:30', '11:00', '11:30']);
    expect(cfg.standup.remind_after).toBe(30 * MIN);
    expect(cfg.standup.close_after).toBe(2 * HOUR);
  });

  it("asks the seed's template questions: yesterday / today / blockers / progress %", () => {
    expect(cfg.standup.questions.map((q) => [q.id, q.kind])).toEqual([
      ['yesterday', 'text'],
      ['today', 'text'],
      ['blockers', 'blockers'],
      ['progress', 'percent'],
    ]);
  });

  it('gives each workstream one lead (not a member), a blockers channel and its 4 go/no-go criteria', () => {
    for (const [id, ws] of Object.entries(cfg.workstreams)) {
      expect(ws.leads, id).toHaveLength(1);
      expect(memberIds(cfg, id)).not.toContain(ws.leads[0]);
      expect(ws.blockers_channel, id).toBeDefined();
      expect(ws.checklist, id).toHaveLength(4);
    }
    expect(cfg.workstreams.ws1!.checklist[0]).toBe('6/10 brokers operational (Alpaca + OANDA critical)');
  });

  it('escalates as the seed protocol says: lead at 15 min, PM at 30 min, PM decision at 1 h', () => {
    expect(ladder(cfg, 'P1')).toEqual([
      [15 * MIN, 'lead'],
      [30 * MIN, 'pm'],
      [HOUR, 'pm'],
    ]);
    expect(ladder(cfg, 'P0')).toEqual(ladder(cfg, 'P1'));
    expect(cfg.escalation?.default_severity).toBe('P1');
  });

  it('decides go/no-go on Feb 4 2026 at 14:00: GO at 100%, CONDITIONAL from 90%, open P0 blocks', () => {
    expect(cfg.gonogo).toEqual({ go_at_least: 100, conditional_at_least: 90, blocking_severities: ['P0'], at: '2026-02-04T14:00' });
    const business = cfg.gates.find((g) => g.id === 'business-criteria');
    expect(business?.sign_off).toContain(cfg.program.pm);
    expect(business?.checklist).toHaveLength(4);
  });
});

describe('examples/final-deployment-five-teams.preflight.yml (seed 000)', () => {
  let cfg: WorkspaceConfig;
  beforeAll(() => {
    cfg = load('final-deployment-five-teams.preflight.yml');
  });

  it('has Omega’s six tasks with their owners and due times (seed 000 L77-83)', () => {
    const omega = cfg.workstreams.omega!;
    const person = (letter: string) => omega.members[letter.charCodeAt(0) - 65];
    expect(omega.tasks.map((t) => [t.id, t.title, t.owner, t.due])).toEqual([
      ['O-1', 'MongoDB', person('A'), '2025-11-13T14:00'],
      ['O-2', 'OAuth', person('B'), '2025-11-13T14:00'],
      ['O-3', 'Email', person('C'), '2025-11-13T13:00'],
      ['O-4', 'VAPID', person('D'), '2025-11-13T12:00'],
      ['O-5', 'NextAuth', person('A'), '2025-11-13T14:00'],
      ['O-6', 'AI', person('B'), '2025-11-13T13:00'],
    ]);
  });

  it('escalates a task not done by its due time on the seed’s path (L274-276): owner, lead at 5 min, Managing Engineer at 10, exec at 25, then every 30 min like a blocker', () => {
    const o4 = buildPreview(cfg, null, '2025-11-13', 1, { workstreamId: 'omega' })
      .events.filter((e) => e.taskId === 'O-4')
      .map((e) => `${e.at.setZone(cfg.program.timezone).toFormat('HH:mm')} ${e.to ?? e.summary}`);
    expect(o4).toEqual([
      '12:00 Task O-4 “VAPID” due (ladder: tasks.escalation)',
      `12:00 ${cfg.workstreams.omega!.tasks.find((t) => t.id === 'O-4')!.owner}`,
      `12:05 ${cfg.workstreams.omega!.leads[0]}`,
      `12:10 ${cfg.program.pm}`,
      `12:25 ${cfg.program.execs[0]}`,
      // escalation.repeat { every: 30m, max: 8 } (L278, L399), as for a blocker
      ...['12:55', '13:25', '13:55', '14:25', '14:55', '15:25', '15:55', '16:25'].map((t) => `${t} ${cfg.program.execs[0]}`),
    ]);
  });

  it('has five teams of four people plus a lead', () => {
    expect(Object.keys(cfg.workstreams)).toEqual(['omega', 'sigma', 'pi', 'alpha', 'beta']);
    for (const [id, ws] of Object.entries(cfg.workstreams)) {
      expect(ws.members, id).toHaveLength(4);
      expect(ws.leads, id).toHaveLength(1);
    }
  });

  it('runs every checkpoint of the seed: 9:00 leads (program), Omega 11/13/14/15 on Nov 13, 14:00 Sigma + Pi on Nov 14, 16:00 Alpha + Beta from Nov 14', () => {
    const byDay = (date: string) =>
      [...Object.keys(cfg.workstreams), PROGRAM_WORKSTREAM]
        .flatMap((id) => checkinsOf(cfg, id))
        .filter((c) => occurrenceOn(c.plan, date))
        .map((c) => `${c.plan.at} ${c.workstreamId}/${c.checkinId}`)
        .sort();
    expect(byDay('2025-11-13')).toEqual(['09:00 _program/morning-standup', '11:00 omega/first-checkpoint', '13:00 omega/mid-point', '14:00 omega/midday', '15:00 omega/final-push']);
    expect(byDay('2025-11-14')).toEqual(expect.arrayContaining(['09:00 _program/morning-standup', '14:00 pi/midday', '14:00 sigma/midday', '16:00 alpha/afternoon-sync', '16:00 beta/afternoon-sync']));
    expect(byDay('2025-11-14').some((c) => c.startsWith('11:00 omega'))).toBe(false);
    expect(byDay('2025-11-15')).toEqual(expect.arrayContaining(['09:00 _program/morning-standup', '16:00 _program/governance', '16:00 beta/afternoon-sync']));
    // the 9:00 standup is "All team leads + Managing Engineer" (L220); the mid-day checkpoint asks its four questions (L239-242)
    const morning = checkinOf(cfg, PROGRAM_WORKSTREAM, 'morning-standup')!;
    expect(morning.plan.members.map((m) => m.userId)).toEqual([...Object.values(cfg.workstreams).map((w) => w.leads[0]), cfg.program.pm]);
    for (const ws of ['omega', 'sigma', 'pi'])
      expect(
        checkinOf(cfg, ws, 'midday')!.questions.map((q) => q.id),
        ws,
      ).toEqual(['progress', 'on_track', 'blockers', 'help']);
  });

  it('starts Sigma, Pi, Alpha and Beta when Omega’s gate passes, not before their start time; Gate 4 needs both leads; failures escalate to the exec', () => {
    expect(Object.fromEntries(Object.entries(cfg.workstreams).map(([id, w]) => [id, [w.starts_when?.gate ?? null, w.active?.from ?? null]]))).toEqual({
      omega: [null, null],
      sigma: ['gate1-omega', '2025-11-14T09:00'],
      pi: ['gate1-omega', '2025-11-14T09:00'],
      alpha: ['gate1-omega', '2025-11-14T10:00'],
      beta: ['gate1-omega', '2025-11-14T09:00'],
    });
    expect(cfg.gates.find((g) => g.id === 'gate4-alpha-beta')!.sign_off_rule).toBe('all_of');
    expect(cfg.gates.filter((g) => g.sign_off_rule === 'all_of').map((g) => g.id)).toEqual(['gate4-alpha-beta']);
    for (const g of cfg.gates.slice(0, 4)) expect(g.on_fail.escalate_to, g.id).toEqual(['exec']);
  });

  it('works on Saturday Nov 15, 2025 (the seed calls it Friday)', () => {
    expect(cfg.calendar.workdays).toContain('sat');
  });

  it('has the five quality gates, due when the seed says, in a dependency chain', () => {
    expect(cfg.gates.map((g) => [g.id, g.due, g.requires])).toEqual([
      ['gate1-omega', '2025-11-13T17:00', []],
      ['gate2-sigma', '2025-11-14T18:00', ['gate1-omega']],
      ['gate3-pi', '2025-11-14T17:00', ['gate1-omega']],
      ['gate4-alpha-beta', '2025-11-15T11:00', ['gate2-sigma', 'gate3-pi']],
      ['gate5-go-no-go', '2025-11-15T12:00', ['gate1-omega', 'gate2-sigma', 'gate3-pi', 'gate4-alpha-beta']],
    ]);
  });

  it('unblocks Sigma/Pi with gate 1 and Alpha/Beta with gate 2', () => {
    expect(Object.fromEntries(cfg.gates.map((g) => [g.id, g.unblocks]))).toEqual({
      'gate1-omega': ['sigma', 'pi'],
      'gate2-sigma': ['alpha', 'beta'],
      'gate3-pi': [],
      'gate4-alpha-beta': [],
      'gate5-go-no-go': [],
    });
  });

  it('has each gate signed off by its team lead(s), and the final one by the Managing Engineer', () => {
    const lead = (ws: string) => cfg.workstreams[ws]!.leads[0];
    expect(Object.fromEntries(cfg.gates.map((g) => [g.id, g.sign_off]))).toEqual({
      'gate1-omega': [lead('omega')],
      'gate2-sigma': [lead('sigma')],
      'gate3-pi': [lead('pi')],
      'gate4-alpha-beta': [lead('alpha'), lead('beta')],
      'gate5-go-no-go': [cfg.program.pm],
    });
    expect(cfg.gates.map((g) => g.checklist.length)).toEqual([6, 6, 7, 6, 5]);
  });

  it('escalates member -> lead (5 min) -> Managing Engineer (+5) -> exec (+15) for P0', () => {
    expect(ladder(cfg, 'P0')).toEqual([
      [5 * MIN, 'lead'],
      [10 * MIN, 'pm'],
      [25 * MIN, 'exec'],
    ]);
    expect(ladder(cfg, 'P1')?.at(-1)).toEqual([HOUR, 'exec']); // "ANY BLOCKER > 1 HOUR = ESCALATE"
    expect(cfg.program.execs).toHaveLength(1);
  });

  it('allows no conditional launch: every gate must pass', () => {
    expect(cfg.gonogo).toEqual({ go_at_least: 100, conditional_at_least: 100, blocking_severities: ['P0'], at: '2025-11-15T12:00' });
  });
});

/** Runs `npx tsx src/cli/config-check.ts ...args` (what `npm run config:check -- ...` runs). */
function checkCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/config-check.ts', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// each test starts the CLI in a tsx process of its own: tens of seconds on a loaded 2-core box
describe('npm run config:check', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'preflight-config-check-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 0 and reports OK for every example', async () => {
    const files = exampleFiles.map((f) => join('examples', f));
    const res = await checkCli(files);
    expect(res.code, res.stderr).toBe(0);
    for (const f of files) expect(res.stdout).toContain(`${f}: OK`);
    expect(res.stdout).toContain('phase11-four-workstreams.preflight.yml: OK (4 workstreams, 100 members');
    expect(res.stdout).toContain('minimal.preflight.yml: OK (1 workstream, 2 members, 0 gates; 1 person by email, looked up in Slack when Preflight starts)');
  });

  it('exits 1 on a broken file and prints the file, line:col and key path of the problem', async () => {
    const lines = [
      'program:',
      '  name: Broken example',
      '  timezone: Europe/Berlin',
      '  pm: U0123PMID',
      '  channel: C0123PROG',
      'workstreams:',
      '  ws1:',
      '    name: Web team',
      '    channel: C0123WEB',
      '    members: [U0123ANNA]',
      '    standup:',
      '      at: "25:00"',
    ];
    const broken = join(tmp, 'broken.preflight.yml');
    writeFileSync(broken, lines.join('\n') + '\n');
    const line = lines.findIndex((l) => l.includes('"25:00"')) + 1;
    const col = lines[line - 1]!.indexOf('"25:00"') + 1;

    const res = await checkCli([join('examples', 'minimal.preflight.yml'), broken]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('minimal.preflight.yml: OK');
    expect(res.stderr).toContain(`${broken}: 1 problem`);
    expect(res.stderr).toContain(`${broken}:${line}:${col} workstreams.ws1.standup.at: expected a 24-hour local time`);
    expect(res.stderr).toContain('"25:00"');
  });
});

describe('examples/phase3-two-hour-checkpoints.preflight.yml (seed 002)', () => {
  let cfg: WorkspaceConfig;
  beforeAll(() => {
    cfg = load('phase3-two-hour-checkpoints.preflight.yml');
  });

  it('runs the 2-hour checkpoints 09:00-19:00 with their participants (L122-130), every day Jan 7-13, 2025', () => {
    const people = (id: string) => checkinOf(cfg, PROGRAM_WORKSTREAM, id)!.plan.members.map((m) => m.userId);
    const all = Object.values(cfg.workstreams).flatMap((w) => w.members.map((m) => (typeof m === 'string' ? m : m.id)));
    expect(checkinsOf(cfg, PROGRAM_WORKSTREAM).map((c) => c.plan.at)).toEqual(['09:00', '11:00', '13:00', '15:00', '17:00', '19:00']);
    expect(all).toHaveLength(12); // L13-31: 6 + 6 agents
    expect(people('morning-sync').sort()).toEqual([...all].sort());
    expect(people('evening-status').sort()).toEqual([...all].sort());
    expect(people('progress-check').sort()).toEqual(
      Object.values(cfg.workstreams)
        .flatMap((w) => w.leads)
        .sort(),
    );
    expect(people('midday-review')).toEqual(cfg.program.groups.critical_path);
    expect(people('integration-point')).toEqual(cfg.program.groups.cross_functional);
    expect(people('quality-gate')).toEqual(['UDESIGNQA', 'UTESTQA']);
    const plan = checkinOf(cfg, PROGRAM_WORKSTREAM, 'quality-gate')!.plan;
    expect(occurrenceOn(plan, '2025-01-06')).toBeNull();
    expect(occurrenceOn(plan, '2025-01-11')?.openAt.toISO()).toBe('2025-01-11T13:30:00.000Z'); // 19:00 in Mumbai, a Saturday
    expect(occurrenceOn(plan, '2025-01-14')).toBeNull();
    // no workstream holds a check-in of its own
    for (const id of Object.keys(cfg.workstreams)) expect(checkinsOf(cfg, id), id).toEqual([]);
  });
});
