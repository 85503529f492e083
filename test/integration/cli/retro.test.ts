import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../src/services/blockers/act.js';
import { renderBlockerMessage } from '../../../src/services/blockers/delivery.js';
import { escalate } from '../../../src/services/blockers/escalate.js';
import { raiseBlocker } from '../../../src/services/blockers/raise.js';
import { sendPrompt } from '../../../src/services/checkins/prompts.js';
import { submitForm } from '../../../src/services/checkins/record-answers.js';
import { startNow } from '../../../src/services/checkins/start-now.js';
import { sendOutbound } from '../../../src/services/delivery/outbound.js';
import { recordDecision } from '../../../src/services/gonogo/decisions.js';
import { signOffGate } from '../../../src/services/gonogo/gates.js';
import { updateTask } from '../../../src/services/tasks/update.js';
import type { BlockerRecord, CheckinRecord, DecisionRecord, TaskRecord } from '../../../src/services/records/schemas.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../support/config-factories.js';
import { harness, type Process } from '../../support/harness.js';
import { nockSlack } from '../../support/slack-nock.js';

// Fri 13 Nov 2026, program in UTC: a launch day replayed with the services on a fixed clock.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'UTC', pm: 'U0PM', channel: 'C0LAUNCH' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  standup: { at: '09:00', questions: [{ id: 'status', prompt: 'Status?', kind: 'text' }] },
  escalation: {
    ladders: {
      P0: [
        { after: '5m', notify: 'lead' },
        { after: '30m', notify: 'pm' },
      ],
    },
  },
  gates: [{ id: 'g1', name: 'Gate 1', due: '2026-11-13T12:00', sign_off: ['U0QA'] }],
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      leads: ['U0OL'],
      members: ['U0A', 'U0B'],
      tasks: [
        { id: 'O-1', title: 'MongoDB', owner: 'U0A', due: '2026-11-13T10:00' },
        { id: 'O-2', title: 'Email', owner: 'U0B', due: '2026-11-13T18:00' },
      ],
    }),
    aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: ['U0WL'], members: ['U0C'], tasks: [{ id: 'W-1', title: 'Copy', owner: 'U0C', due: '2026-11-13T12:30' }] }),
  ],
});

/** The instant the retro is drafted at (`--at`): after the last thing the day recorded, before the day's end. */
const AT = '2026-11-13T15:00:00.000Z';
const OMEGA_PERMALINK = 'https://acme.slack.com/archives/C0OMEGA/p1763026200000100';

describe('npm run retro: the retrospective drafted from the record (real Postgres, the CLI as a user runs it)', { timeout: 240_000 }, () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let dir: string;
  let url: string;
  const slack = nockSlack();
  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, PREFLIGHT_CONFIG: join(dir, 'preflight.yml'), ...env },
      encoding: 'utf8',
      timeout: 90_000,
    });
  const exported = <T>(what: string) => {
    const res = run('src/cli/export.ts', ['--what', what, '--from', '2026-11-13', '--to', '2026-11-13', '--format', 'json']);
    expect(res.status, res.stderr).toBe(0);
    return res.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  };

  beforeAll(async () => {
    h = await harness(YAML, '2026-11-13T09:00:00Z');
    bot = await h.process({ workers: false });
    url = (bot.database.pool.options as { connectionString: string }).connectionString;
    dir = mkdtempSync(join(tmpdir(), 'pf-retro-'));
    writeFileSync(join(dir, 'preflight.yml'), YAML);
    const { deps } = bot;

    // 09:00 both teams' standups: Omega 1 of 2 answers, Web 1 of 1
    for (const [lead, ws, answerer] of [
      ['U0OL', 'omega', 'U0A'],
      ['U0WL', 'web', 'U0C'],
    ] as const) {
      const started = await startNow(deps, lead, ws);
      if (started.kind !== 'started' || !started.created) throw new Error(`${ws}'s standup did not start`);
      for (const p of await h.sql<{ id: number }>('SELECT id FROM standup_prompts WHERE run_id = $1', [started.runId])) await sendPrompt(deps, p.id);
      await submitForm(deps, answerer, started.runId, { status: 'on it' });
    }
    // 09:30 a P0 in Omega: its message posted (Slack gives its permalink), the ladder's first level at 09:35,
    // acknowledged at 09:40, resolved at 11:30
    h.clock.set('2026-11-13T09:30:00Z');
    const p0 = await raiseBlocker(deps, { reporter: 'U0A', text: 'Staging DB is down', severity: 'P0', workstreamId: 'omega', source: 'command' });
    if (!p0.ok) throw new Error('P0 not raised');
    slack.failNext('chat.getPermalink', 200, { ok: true, permalink: OMEGA_PERMALINK });
    expect(await renderBlockerMessage(deps, p0.blocker.id)).toBe('posted');
    h.clock.set('2026-11-13T09:35:00Z');
    const [row] = await h.sql<{ version: number }>('SELECT version FROM blockers WHERE id = $1', [p0.blocker.id]);
    await escalate(deps, p0.blocker.id, row!.version);
    h.clock.set('2026-11-13T09:40:00Z');
    expect(await actOnBlocker(deps, p0.blocker.id, 'U0OL', { kind: 'acknowledge' })).toMatchObject({ ok: true });
    // 10:00 a P1 in Web, never acknowledged, still open
    h.clock.set('2026-11-13T10:00:00Z');
    const p1 = await raiseBlocker(deps, { reporter: 'U0C', text: 'Copy not approved', severity: 'P1', workstreamId: 'web', source: 'command' });
    if (!p1.ok) throw new Error('P1 not raised');
    expect(await renderBlockerMessage(deps, p1.blocker.id)).toBe('posted'); // Slack gives no permalink this time
    h.clock.set('2026-11-13T11:00:00Z'); // O-1 (due 10:00) done an hour late
    expect(await updateTask(deps, 'O-1', 'U0A', { kind: 'done' })).toMatchObject({ ok: true });
    h.clock.set('2026-11-13T11:30:00Z');
    expect(await actOnBlocker(deps, p0.blocker.id, 'U0OL', { kind: 'resolve' })).toMatchObject({ ok: true });
    h.clock.set('2026-11-13T13:00:00Z'); // Gate 1 (due 12:00) signed an hour late
    expect(await signOffGate(deps, 'g1', 'U0QA', 'passed', 'all green')).toMatchObject({ ok: true });
    h.clock.set('2026-11-13T14:00:00Z');
    expect(await recordDecision(deps, 'U0PM', 'go', 'ship it', ['C0LAUNCH'])).toMatchObject({ ok: true });
    for (const m of await h.sql<{ id: number }>('SELECT id FROM outbound_messages ORDER BY id')) await sendOutbound(deps, m.id);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.cleanup();
    slack.done();
  });

  it("the retro's numbers equal the export's for the same span", () => {
    const res = run('src/cli/retro-cli.ts', ['--from', '2026-11-13', '--to', '2026-11-13', '--at', AT, '--format', 'json']);
    expect(res.status, res.stderr).toBe(0);
    const retro = JSON.parse(res.stdout);

    const blockers = exported<BlockerRecord>('blockers').filter((b) => b.source !== 'gate' && b.source !== 'task');
    const tasks = exported<TaskRecord>('tasks');
    const checkins = exported<CheckinRecord>('checkins');
    const decisions = exported<DecisionRecord>('decisions');
    const minutes = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;
    const acked = blockers.filter((b) => b.first_acknowledged_at);
    const resolved = blockers.filter((b) => b.resolved_at);

    expect(retro.numbers.blockers.opened).toBe(blockers.length);
    expect(retro.numbers.blockers.acknowledged).toBe(acked.length);
    expect(retro.numbers.blockers.resolved).toBe(resolved.length);
    expect(retro.numbers.blockers.timeToAcknowledge.worstMs / 60_000).toBe(Math.max(...acked.map((b) => minutes(b.raised_at, b.first_acknowledged_at!))));
    expect(retro.numbers.blockers.timeToResolve.worstMs / 60_000).toBe(Math.max(...resolved.map((b) => minutes(b.raised_at, b.resolved_at!))));
    expect(retro.numbers.tasks).toEqual({
      total: tasks.length,
      done: tasks.filter((t) => t.status === 'done').length,
      late: tasks.filter((t) => t.due && Date.parse(t.done_at ?? '9999-12-31T00:00:00Z') > Date.parse(t.due) && Date.parse(t.due) < Date.parse(AT)).length,
    });
    const answered = checkins.reduce((n, c) => n + c.answered, 0);
    const prompted = checkins.reduce((n, c) => n + c.prompted, 0);
    expect(retro.numbers.participation).toEqual({ answered, expected: prompted, percent: Math.floor((answered * 100) / prompted) });
    expect(retro.numbers.decisions).toBe(decisions.length);
    // and what the export says is this launch day: the numbers are not both zero
    expect([blockers.length, acked.length, resolved.length, answered, prompted, decisions.length]).toEqual([2, 1, 1, 2, 3, 1]);
    expect(retro.numbers.blockers.timeToAcknowledge.worstMs).toBe(10 * 60_000);
    expect(retro.numbers.blockers.timeToResolve.worstMs).toBe(120 * 60_000);
  });

  it('the Markdown a reader gets: numbers, timeline with links, the P0 with its ladder, late tasks, participation and the three longest waits', () => {
    const res = run('src/cli/retro-cli.ts', ['--from', '2026-11-13', '--to', '2026-11-13', '--at', AT]);
    expect(res.status, res.stderr).toBe(0);
    const md = res.stdout;
    expect(md).toContain('# Retrospective · Launch');
    expect(md).toContain('Fri 13 Nov 2026 → Fri 13 Nov 2026, times in UTC.');
    expect(md).toContain('- Blockers: 2 opened · 1 acknowledged · 1 resolved');
    expect(md).toContain('- Time to acknowledge: median 10m, worst 10m (1)');
    expect(md).toContain('- Time to resolve: median 2h 00m, worst 2h 00m (1)');
    expect(md).toContain('- Check-in participation: 2/3 answered (66%)');
    expect(md).toContain('- Gates: 1 passed · 0 failed');
    // the timeline, oldest first, each item linking to its message (Slack's stored permalink, workspace host, or the archive link)
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## P0 and P1'));
    const lines = timeline.split('\n').filter((l) => l.startsWith('- '));
    expect(lines[0]).toBe(`- Fri 13 Nov 09:30 · [B-1 P0 raised](${OMEGA_PERMALINK}) in Team Omega: Staging DB is down`);
    expect(lines[1]).toMatch(/^- Fri 13 Nov 10:00 · \[B-2 P1 raised\]\(https:\/\/(?:[a-z0-9-]+\.)?slack\.com\/archives\/C0WEB\/p\d+\) in Web: Copy not approved$/);
    expect(lines[2]).toBe(`- Fri 13 Nov 11:30 · [B-1 resolved](${OMEGA_PERMALINK}) after 2h 00m`);
    expect(lines[3]).toMatch(/^- Fri 13 Nov 13:00 · Gate “Gate 1” ✅ passed by @U0QA \(1h 00m after its due time\): all green$/);
    expect(lines[4]).toMatch(/^- Fri 13 Nov 14:00 · \[Decision GO\]\(https:\/\/(?:[a-z0-9-]+\.)?slack\.com\/archives\/C0LAUNCH\/p\d+\) by @U0PM/);
    expect(md).toContain(`- [B-1 P0](${OMEGA_PERMALINK}) · Team Omega · “Staging DB is down”: raised Fri 13 Nov 09:30, acknowledged after 10m, resolved after 2h 00m`);
    expect(md).toContain('  - Ladder: level 1 → @U0OL at Fri 13 Nov 09:35');
    expect(md).toContain('- O-1 “MongoDB” (Team Omega, @U0A): due Fri 13 Nov 10:00, done Fri 13 Nov 11:00, 1h 00m late');
    expect(md).toContain('- Team Omega: 1/2 answered (50%)');
    expect(md).toContain('- Web: 1/1 answered (100%)');
    // the three longest waits at 15:00: the P1 open since 10:00, W-1 due 12:30 and not done, B-1's two hours
    expect(md).toContain('- Tasks: 1/3 done · 2 late');
    expect(md).toContain('- W-1 “Copy” (Web, @U0C): due Fri 13 Nov 12:30, not done, 2h 30m late so far');
    expect(md).not.toContain('O-2 “Email”'); // due at 18:00, after the retro's instant
    const waits = md
      .slice(md.indexOf('## The three longest waits'))
      .split('\n')
      .filter((l) => /^\d\. /.test(l));
    expect(waits).toHaveLength(3);
    expect(waits[0]).toMatch(/^1\. \[B-2 "Copy not approved" \\\(P1, Web\\\)\]\(https:\/\/(?:[a-z0-9-]+\.)?slack\.com\/archives\/C0WEB\/p\d+\): open 5h 00m and counting$/);
    expect(waits[1]).toBe('2. task W-1 "Copy" \\(Web\\): late 2h 30m and counting');
    expect(waits[2]).toBe(`3. [B-1 "Staging DB is down" \\(P0, Team Omega\\)](${OMEGA_PERMALINK}): open 2h 00m`);
  });

  it('bad arguments or environment: exit 2 with what to change and the usage, no stack trace', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--format', 'pdf'], {}, /^--format must be md or json \(got "pdf"\)\./],
      [['--at', '2026-11-13 15:00'], {}, /^--at must be an ISO 8601 instant with its offset/],
      [['--from', '2026-02-30'], {}, /^--from must be a date written YYYY-MM-DD/],
      [[], { DATABASE_URL: '' }, /^Cannot draft the retro: DATABASE_URL: is required/],
      [[], { PREFLIGHT_CONFIG: join(dir, 'missing.yml') }, /^Cannot draft the retro: .*missing\.yml/],
    ];
    for (const [args, env, message] of cases) {
      const res = run('src/cli/retro-cli.ts', args, env);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toContain('Usage: npm run retro --');
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
