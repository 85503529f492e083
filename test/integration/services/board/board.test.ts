import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { verdict } from '../../../../src/domain/gonogo/verdict.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { boardRef, readBoard, refreshBoard } from '../../../../src/services/board/board.js';
import { digestStats } from '../../../../src/services/digest/scheduled-digest.js';
import { buildSummary, setChecklist } from '../../../../src/services/gonogo/decisions.js';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { signOffGate } from '../../../../src/services/gonogo/gates.js';
import { readPage } from '../../../../src/services/records/read.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// seed 000 (five teams, five gates), as users write it: examples/
const SEED = readFileSync(new URL('../../../../examples/final-deployment-five-teams.preflight.yml', import.meta.url), 'utf8');

type H = Awaited<ReturnType<typeof harness>>;

const SMALL = (program: Record<string, unknown> = {}) =>
  aConfig({
    program: { name: 'Launch', timezone: 'UTC', ...program },
    workstreams: [
      aWorkstream({
        id: 'api',
        name: 'API',
        checklist: ['Runbook'],
        tasks: [
          { id: 'A-1', title: 'Schema', owner: 'U01', estimate: 4, due: '2026-11-24T15:00' },
          { id: 'A-2', title: 'Endpoints', owner: 'U01', estimate: 4, due: '2026-11-24T18:00', requires: ['A-1'] },
        ],
      }),
    ],
    gates: [{ id: 'qa', name: 'QA sign-off', sign_off: ['U0QA'], due: '2026-11-24T17:00' }],
  });

describe('the live status board', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
    h = undefined;
  });

  it('on seed 000, says at each instant what /gonogo, the digest and the export say', async () => {
    h = await harness(SEED, '2025-11-13T21:00:00Z'); // Thu 13 Nov 13:00 in Los Angeles: launch day 1
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const { deps } = await h.process({ workers: false });
    const channel = deps.config.program.channel;

    const check = async () => {
      const board = await readBoard(deps);
      const facts = await verdictInput(deps);
      const v = verdict(facts);
      const summary = await buildSummary(deps);
      const { digest } = await digestStats(deps, null, 1);
      const blockers = (await readPage(deps, 'blockers', { range: { start: null, end: null }, limit: 200 })).records;
      const tasks = (await readPage(deps, 'tasks', { range: { start: null, end: null }, limit: 200 })).records;
      expect(board.verdict.decision).toBe(v.decision);
      expect(board.verdict.reasons).toEqual(v.reasons);
      expect(summary.text).toContain(v.decision);
      for (const w of board.workstreams) {
        const d = digest.workstreams.find((x) => x.id === w.id)!;
        expect({ id: w.id, status: w.status, percent: w.percent }).toEqual({ id: d.id, status: d.status, percent: d.percent });
        const open = blockers.filter((b) => b.workstream_id === w.id && b.status !== 'resolved' && b.source !== 'gate' && b.source !== 'task');
        expect(w.openBlockers).toEqual({ P0: open.filter((b) => b.severity === 'P0').length, P1: open.filter((b) => b.severity === 'P1').length, P2: open.filter((b) => b.severity === 'P2').length });
        const dueOpen = tasks.filter((t) => t.workstream_id === w.id && t.status !== 'done' && t.due).sort((a, b) => Date.parse(a.due!) - Date.parse(b.due!));
        expect(w.nextTask?.id ?? null).toBe(dueOpen[0]?.id ?? null);
      }
      for (const g of board.gates) {
        const f = facts.gates.find((x) => x.id === g.id)!;
        expect(g.status).toBe(f.status);
        expect(g.signers.filter((s) => s.signed).map((s) => s.userId)).toEqual(f.signed);
      }
      // and what people read in the canvas is that model
      expect(await refreshBoard(deps)).toMatch(/created|edited|unchanged/);
      const canvas = slack!.messages.canvases.get(channel)!;
      for (const w of board.workstreams)
        expect(canvas.markdown).toContain(`## **${w.name}** · ${{ 'on-track': '🟢 On Track', 'at-risk': '🟡 At Risk', blocked: '🔴 Blocked' }[w.status]} · ${w.percent ?? '–'}`);
      expect(canvas.markdown).toContain(`**${v.decision}** · ${v.percent}% of the checklist done`);
      return { board, canvas: canvas.markdown };
    };

    const first = await check();
    expect(first.canvas).toContain('# Workstreams');
    expect(first.canvas).toContain('waiting for a gate');
    expect(first.canvas).toContain('updated Thu 13 Nov 13:00 (America/Los_Angeles)');

    // a P0 on Omega, two tasks done, a checklist item ticked, then the gate signed
    const raised = await raiseBlocker(deps, { reporter: 'UOMEGA0A', text: 'Staging DB is down', severity: 'P0', workstreamId: 'omega', source: 'command' });
    h.clock.advance({ minutes: 20 });
    const second = await check();
    expect(second.board.workstreams.find((w) => w.id === 'omega')).toMatchObject({ status: 'blocked', openBlockers: { P0: 1 }, oldestBlockerAgeMs: 20 * 60_000 });
    expect(second.canvas).toContain('open blockers: 1 P0, oldest 20m');

    expect(await updateTask(deps, 'O-4', 'UOMEGA0D', { kind: 'done' })).toMatchObject({ ok: true });
    expect(await updateTask(deps, 'O-3', 'UOMEGA0C', { kind: 'done' })).toMatchObject({ ok: true });
    await setChecklist(deps, 'omega', 'UOMEGALD', [deps.config.workstreams.omega!.checklist[0]!], []);
    await actOnBlocker(deps, raised.ok ? raised.blocker.id : 0, 'UOMEGALD', { kind: 'resolve' });
    expect(await signOffGate(deps, 'gate1-omega', 'UOMEGALD', 'passed', null)).toMatchObject({ ok: true });
    h.clock.advance({ minutes: 5 });
    const third = await check();
    expect(third.canvas).toContain('✅ passed');
    expect(third.canvas).toContain('✅ ![](@UOMEGALD)');
    expect(third.board.workstreams.find((w) => w.id === 'sigma')!.phase.kind).not.toBe('waiting');
    // one canvas for the whole day, edited in place
    expect(slack.of('conversations.canvases.create')).toHaveLength(1);
    expect(slack.messages.canvases.size).toBe(1);
  });

  it('never edits a board whose content did not change, and shows what changed after', async () => {
    h = await harness(SMALL(), '2026-11-24T14:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const { deps } = await h.process({ workers: false });
    expect(await refreshBoard(deps)).toBe('created');
    h.clock.advance({ minutes: 1 });
    expect(await refreshBoard(deps)).toBe('unchanged');
    expect(slack.of('canvases.edit')).toHaveLength(0);
    expect(await updateTask(deps, 'A-1', 'U01', { kind: 'done' })).toMatchObject({ ok: true });
    expect(await refreshBoard(deps)).toBe('edited');
    const md = slack.messages.canvases.get('C0LAUNCH')!.markdown;
    expect(md).toContain('next task: A-2 “Endpoints” due Tue 24 Nov 18:00');
    expect(md).toContain('updated Tue 24 Nov 14:01 (UTC)');
    expect(await boardRef(deps)).toEqual({ kind: 'canvas', id: slack.messages.canvases.get('C0LAUNCH')!.id, channel: 'C0LAUNCH' });
  });

  it('a crash between conversations.canvases.create and recording its id leaves one canvas after the restart', async () => {
    h = await harness(SMALL(), '2026-11-24T14:00:00Z');
    let crash = true;
    slack = nockSlack({
      now: () => h!.clock.now().toMillis(),
      onCall: ({ method }) => {
        // Slack made the canvas; the answer never reaches Preflight
        if (method === 'conversations.canvases.create' && crash) {
          crash = false;
          throw new Error('socket hang up');
        }
      },
    });
    const first = await h.process({ workers: false });
    await expect(refreshBoard(first.deps)).rejects.toThrow();
    expect(slack.messages.canvases.size).toBe(1);
    expect(await boardRef(first.deps)).toBeNull();
    // the process died while its claim was still taken: a new process takes it over
    await h.sql("UPDATE deliveries SET status = 'sending', claimed_at = now() - interval '1 hour' WHERE kind = 'board_canvas'");
    await first.stop();
    const second = await h.process({ workers: false });
    expect(await refreshBoard(second.deps)).toBe('edited');
    expect(await refreshBoard(second.deps)).toBe('unchanged');
    expect(slack.messages.canvases.size).toBe(1);
    expect(slack.of('conversations.canvases.create')).toHaveLength(1);
    expect(await boardRef(second.deps)).toMatchObject({ kind: 'canvas', id: slack.messages.canvases.get('C0LAUNCH')!.id });
  });

  for (const refusal of ['not_allowed', 'missing_scope', 'team_tier_cannot_create_channel_canvases']) {
    it(`falls back to one pinned message, edited in place, when Slack answers ${refusal}`, async () => {
      h = await harness(SMALL(), '2026-11-24T14:00:00Z');
      slack = nockSlack({ now: () => h!.clock.now().toMillis() });
      slack.messages.canvasRefusal = refusal;
      const { deps } = await h.process({ workers: false });
      expect(await refreshBoard(deps)).toBe('posted');
      const posts = slack.of('chat.postMessage', (a) => a.channel === 'C0LAUNCH');
      expect(posts).toHaveLength(1);
      const ts = slack.messages.messages.find((m) => m.channel === 'C0LAUNCH')!.ts;
      expect([...(slack.messages.pins.get('C0LAUNCH') ?? [])]).toEqual([ts]);
      expect(JSON.stringify(posts[0]!.args.blocks)).toContain('QA sign-off');
      expect((await h.sql<{ fallback_reason: string }>('SELECT fallback_reason FROM status_boards'))[0]!.fallback_reason).toBe(refusal);

      expect(await refreshBoard(deps)).toBe('unchanged');
      expect(await signOffGate(deps, 'qa', 'U0QA', 'passed', null)).toMatchObject({ ok: true });
      expect(await refreshBoard(deps)).toBe('edited');
      const updates = slack.of('chat.update', (a) => a.channel === 'C0LAUNCH' && a.ts === ts);
      expect(updates).toHaveLength(1);
      expect(JSON.stringify(updates[0]!.args.blocks)).toContain('✅ passed');
      expect(slack.of('chat.postMessage', (a) => a.channel === 'C0LAUNCH')).toHaveLength(1);
      expect(slack.of('pins.add')).toHaveLength(1);
      expect(await boardRef(deps)).toEqual({ kind: 'message', id: ts, channel: 'C0LAUNCH' });
    });
  }

  it('board.include picks the sections', async () => {
    h = await harness(SMALL({ board: { include: ['verdict', 'gates'] } }), '2026-11-24T14:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const { deps } = await h.process({ workers: false });
    expect(await refreshBoard(deps)).toBe('created');
    const md = slack.messages.canvases.get('C0LAUNCH')!.markdown;
    expect(md).not.toContain('# Workstreams');
    expect(md.indexOf('# Gates')).toBeGreaterThanOrEqual(0);
    expect(md.indexOf('# Gates')).toBeLessThan(md.indexOf('# Go / no-go'));
    // a change to a section left out moves nothing on the board
    expect(await updateTask(deps, 'A-1', 'U01', { kind: 'progress', percent: 50 })).toMatchObject({ ok: true });
    expect(await refreshBoard(deps)).toBe('unchanged');
  });
});
