import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import type { Deps } from '../../../../src/services/deps.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, startupPlan } from '../../../../src/services/plan/reload.js';
import { readPage, streamRecords } from '../../../../src/services/records/read.js';
import { overrideSchema } from '../../../../src/services/records/schemas.js';
import { findTask } from '../../../../src/services/tasks/catalog.js';
import { registerGonogoCommand } from '../../../../src/slack/commands/gonogo.js';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { registerTaskCommand } from '../../../../src/slack/commands/task.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

/*
 * Replan from Slack (issue 20): /task add|due|assign|drop|show and /gonogo due through Bolt in-process, on a real
 * Postgres, the plan held and reloaded as in production (PlanHolder + reloader on a file). The clock is fixed at
 * the test's own instant; due times are written relative to it (the program runs in UTC).
 */

const NOW = '2026-12-05T12:00:00Z';
const config = (o2Due = '2026-12-05T15:00') =>
  aConfig({
    program: { name: 'Launch' },
    gates: [{ id: 'gate1', name: 'Gate 1', due: '2026-12-05T17:00', sign_off: ['U0PM'] }],
    workstreams: [
      aWorkstream({
        id: 'omega',
        name: 'Omega',
        members: ['U01', 'U02'],
        tasks: [
          { id: 'O-1', title: 'MongoDB', owner: 'U01', due: '2026-12-05T14:00' },
          { id: 'O-2', title: 'OAuth', owner: 'U01', due: o2Due, requires: ['O-1'] },
          { id: 'O-3', title: 'Email', owner: 'U02' },
        ],
      }),
    ],
  });

describe('replan from Slack', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  const start = async () => {
    h = await harness(config(), NOW);
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-replan-')), 'preflight.yml');
    writeFileSync(path, config());
    const holder = new PlanHolder(await startupPlan({ db: bot.deps.db, clock: bot.deps.clock, path }, resolveProgram(parseWorkspaceConfig(config(), path))));
    const logged: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          logged.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    );
    // the running Deps read the plan from the holder, as create-preflight.ts's withConfig(holder) does
    const deps = Object.defineProperty({ ...bot.deps, log }, 'config', { get: () => holder.program, enumerable: true }) as Deps;
    const reloader = createReloader({ deps, lookup: deps.slack, holder, path });
    const ctx = { deps, redis: null as never, keyPrefix: 'unused', plan: { holder, reloader } };
    const app = boltInProcess((a) => {
      registerTaskCommand(a, ctx);
      registerGonogoCommand(a, ctx);
      registerPreflightCommand(a, ctx);
    });
    const overrides = () =>
      h!.sql<{ id: number; kind: string; target: string; value: unknown; file_value: unknown; reason: string | null; created_by: string; dropped_by: string | null; drop_reason: string | null }>(
        'SELECT id, kind, target, value, file_value, reason, created_by, dropped_by, drop_reason FROM plan_overrides ORDER BY id',
      );
    const versions = () => h!.sql<{ version: string; applied_by: string }>('SELECT version, applied_by FROM plan_versions ORDER BY id');
    return { app, deps, holder, reloader, path, overrides, versions, logged };
  };

  it('stores each change as an override, reloads a new plan version the running Program shows, and /task show lists them', async () => {
    const { app, holder, overrides, versions } = await start();
    const first = holder.current.version;

    const due = await app.command('/task', 'due O-2 16:00 vendor is late', 'U0LEAD');
    expect(due).toMatchObject({ response_type: 'ephemeral' });
    expect(due.text).toBe(`🗓️ O-2 “OAuth” is now due Sat 5 Dec 16:00 (UTC), was Sat 5 Dec 15:00 in preflight.yml. Plan version \`${holder.current.version}\`.`);
    expect(holder.current.version).not.toBe(first);
    expect(findTask(holder.program, 'O-2')!.task.due).toBe('2026-12-05T16:00');
    expect(await overrides()).toEqual([
      expect.objectContaining({ kind: 'task_due', target: 'O-2', value: '2026-12-05T16:00', file_value: '2026-12-05T15:00', reason: 'vendor is late', created_by: 'U0LEAD', dropped_by: null }),
    ]);
    expect((await versions()).map((v) => v.applied_by)).toEqual(['startup', 'U0LEAD']);

    const steps: [string, string, string][] = [
      ['/task', 'assign O-2 <@U02|bea> Ana is stuck', 'U0PM'],
      ['/task', 'add omega "Load test the broker" owner:<@U01|ana> due:15:30 est:2h requires:O-2 P1', 'U0LEAD'],
      ['/task', 'drop O-3 not needed for launch', 'U0PM'],
      ['/gonogo', 'due gate1 18:00', 'U0PM'],
    ];
    const acks: string[] = [];
    for (const [command, text, user] of steps) {
      const before = holder.current.version;
      acks.push((await app.command(command, text, user)).text);
      expect(holder.current.version).not.toBe(before);
    }
    expect(acks[0]).toContain('🔁 O-2 “OAuth” now belongs to <@U02>.');
    expect(acks[1]).toContain('➕ Added *O-4* “Load test the broker”: owner <@U01> · due Sat 5 Dec 15:30 (UTC) · 2h · P1 · requires O-2.');
    expect(acks[2]).toContain('🗑️ Dropped O-3 “Email” from the plan.');
    expect(acks[3]).toContain('🗓️ gate1 “Gate 1” is now due Sat 5 Dec 18:00 (UTC), was Sat 5 Dec 17:00 in preflight.yml.');

    const program = holder.program;
    expect(findTask(program, 'O-2')!.task.owner).toBe('U02');
    expect(findTask(program, 'O-4')).toMatchObject({
      workstreamId: 'omega',
      task: { title: 'Load test the broker', owner: 'U01', due: '2026-12-05T15:30', estimate: 2, requires: ['O-2'], priority: 'P1' },
    });
    expect(findTask(program, 'O-3')).toBeUndefined();
    expect(program.gates.find((g) => g.id === 'gate1')!.due).toBe('2026-12-05T18:00');
    expect((await overrides()).map((o) => [o.kind, o.target, o.dropped_by])).toEqual([
      ['task_due', 'O-2', null],
      ['task_owner', 'O-2', null],
      ['task_add', 'O-4', null],
      ['task_drop', 'O-3', null],
      ['gate_due', 'gate1', null],
    ]);
    expect(await versions()).toHaveLength(6);

    // /preflight stats (the digest's numbers) lists the plan changes of its window
    await app.command('/preflight', 'stats', 'U0PM');
    await eventually('the stats', () => slack!.of('response_url').length === 1);
    const stats = JSON.stringify(slack!.of('response_url')[0]!.args.blocks);
    expect(stats).toContain('*Plan changes in this period*');
    expect(stats).toContain('• *O-2* due moved 15:00 → 16:00 by <@U0LEAD>');
    expect(stats).toContain('• *O-4* added by <@U0LEAD>');
    expect(stats).toContain('• *gate1* due moved 17:00 → 18:00 by <@U0PM>');

    // a second move of the same field replaces the first (kept in the audit)
    const again = await app.command('/task', 'due O-2 16:30', 'U0PM');
    // the answer names the value the plan ran until now (the first move), not the file's
    expect(again.text).toContain('is now due Sat 5 Dec 16:30 (UTC), was Sat 5 Dec 16:00 (changed from Slack before).');
    const shown = await app.command('/task', 'show O-2', 'U01');
    expect(shown).toMatchObject({ response_type: 'ephemeral', text: 'O-2 OAuth' });
    const blocks = JSON.stringify(shown.blocks);
    expect(blocks).toContain('Owner <@U02> · due Sat 5 Dec 16:30 (UTC) · 1h · P1');
    expect(blocks).toContain('Requires: O-1');
    expect(blocks).toContain('Status: 0% · waiting on O-1');
    expect(blocks).toMatch(/~due moved 15:00 → 16:00 by <@U0LEAD> at <!date\^\d+\^[^|]+\|Sat 5 Dec 12:00 UTC>: vendor is late~ _no longer applies: replaced by #\d+ \(<@U0PM>\)_/);
    expect(blocks).toContain('• handed <@U01> → <@U02> by <@U0PM>');
    expect(blocks).toContain(': Ana is stuck');
    expect(blocks).toContain('• due moved 16:00 → 16:30 by <@U0PM>');
  });

  it('refuses bad input with what to change and stores nothing; anyone but the leads and the PM is told who can', async () => {
    const { app, holder, overrides, versions } = await start();
    const running = holder.current;
    const said = async (text: string, user = 'U0LEAD', command = '/task') => (await app.command(command, text, user)).text as string;

    expect(await said('due O-2 11:00')).toBe('11:00 (UTC) is in the past: it is 12:00 there now. Give a later time, or a date: `2026-12-06 16:00`.');
    expect(await said('due O-9 16:00')).toContain('There is no task `O-9`. Did you mean `O-1`?');
    expect(await said('assign O-2 <@U0NOBODY|x>')).toBe('<@U0NOBODY> is not in the program: hand it to someone preflight.yml names (a member, lead, PM…), or add them to preflight.yml first.');
    expect(await said('add omega "Loop" owner:<@U01> requires:O-4')).toBe('That change does not fit the plan, so nothing was changed: a task cannot require itself.');
    expect(await said('add omega "Typo" owner:<@U01> requires:O-7')).toBe('That change does not fit the plan, so nothing was changed: no task or gate with id "O-7".');
    expect(await said('drop O-1 gone')).toBe('O-2 requires O-1: drop it or change what it requires first (`/task drop`, or preflight.yml).');
    expect(await said('due O-2 16:00', 'U01')).toBe("Only Omega's leads or the PM can change its plan: <@U0LEAD>, <@U0PM>.");
    expect(await said('due gate1 18:00', 'U0LEAD', '/gonogo')).toBe('Only the PM can move a gate: <@U0PM>.');
    expect(await said('due gate9 18:00', 'U0PM', '/gonogo')).toContain('There is no gate `gate9`. Did you mean `gate1`?');

    expect(await overrides()).toEqual([]);
    expect(await versions()).toHaveLength(1);
    expect(holder.current).toBe(running);
  });

  it('file wins: a reload of a file that changed the same field drops the override (with who, why and a log line); the others stay', async () => {
    const { app, deps, holder, reloader, path, overrides, logged } = await start();
    await app.command('/task', 'due O-2 16:00', 'U0LEAD');
    await app.command('/task', 'assign O-3 <@U01>', 'U0LEAD');
    expect(findTask(holder.program, 'O-2')!.task.due).toBe('2026-12-05T16:00');

    // an unrelated edit keeps both
    writeFileSync(path, config().replace('name: Launch', 'name: Launch day'));
    expect(await reloader.reload('file')).toMatchObject({ kind: 'applied' });
    expect(findTask(holder.program, 'O-2')!.task.due).toBe('2026-12-05T16:00');
    expect((await overrides()).every((o) => o.dropped_by === null)).toBe(true);

    // the file moves O-2 itself: the file's value runs, the override is dropped
    writeFileSync(path, config('2026-12-05T15:45'));
    expect(await reloader.reload('file')).toMatchObject({ kind: 'applied' });
    expect(findTask(holder.program, 'O-2')!.task.due).toBe('2026-12-05T15:45');
    expect(findTask(holder.program, 'O-3')!.task.owner).toBe('U01');
    expect((await overrides()).map((o) => [o.kind, o.dropped_by, o.drop_reason])).toEqual([
      ['task_due', 'file', 'file changed: 2026-12-05T15:00 → 2026-12-05T15:45'],
      ['task_owner', null, null],
    ]);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 30,
        kind: 'task_due',
        target: 'O-2',
        reason: 'file changed: 2026-12-05T15:00 → 2026-12-05T15:45',
        msg: 'plan override dropped: the file changed the same field (file wins)',
      }),
    );
    const shown = JSON.stringify((await app.command('/task', 'show O-2', 'U01')).blocks);
    expect(shown).toContain('_no longer applies: file changed: 2026-12-05T15:00 → 2026-12-05T15:45_');
    // the export and the API read the same audit: who, when, why, and why it was dropped
    const page = await readPage(deps, 'overrides', { range: { start: null, end: null }, limit: 10 });
    const expected = [
      {
        id: expect.any(Number),
        kind: 'task_due',
        target: 'O-2',
        workstream_id: 'omega',
        value: '2026-12-05T16:00',
        file_value: '2026-12-05T15:00',
        reason: null,
        created_by: 'U0LEAD',
        created_at: '2026-12-05T12:00:00.000Z',
        active: false,
        dropped_at: '2026-12-05T12:00:00.000Z',
        dropped_by: 'file',
        drop_reason: 'file changed: 2026-12-05T15:00 → 2026-12-05T15:45',
      },
      expect.objectContaining({ kind: 'task_owner', target: 'O-3', value: 'U01', file_value: 'U02', active: true, dropped_at: null }),
    ];
    expect(page).toEqual({ records: expected, next: null });
    for (const r of page.records) expect(overrideSchema.safeParse(r).success).toBe(true);
    const streamed = await (await streamRecords(deps, 'overrides', { start: null, end: null })).toArray();
    expect(streamed).toEqual(expected);
  });

  it('a reload that cannot read the overrides fails like a bad file: the running plan stays', async () => {
    const { app, holder, reloader, path } = await start();
    await app.command('/task', 'due O-2 16:00', 'U0LEAD');
    const running = holder.current;
    await h!.sql('ALTER TABLE plan_overrides RENAME TO plan_overrides_away');
    writeFileSync(path, config().replace('name: Launch', 'name: Launch day'));
    expect(await reloader.reload('file')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('plan_overrides') });
    expect(holder.current).toBe(running);
    await h!.sql('ALTER TABLE plan_overrides_away RENAME TO plan_overrides');
    expect(await reloader.reload('file')).toMatchObject({ kind: 'applied' });
    expect(findTask(holder.program, 'O-2')!.task.due).toBe('2026-12-05T16:00');
  });
});
