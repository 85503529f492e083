import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { buildSummary, queueSummary, recordDecision, setChecklist } from '../../../../src/services/gonogo/decisions.js';
import { gonogoHistory } from '../../../../src/services/gonogo/history-page.js';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { escalateOverdueGates, signOffGate } from '../../../../src/services/gonogo/gates.js';
import { verdict } from '../../../../src/domain/gonogo/verdict.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

// seed 000 (five teams, five gates with dependencies), as users would write it: examples/
const YAML = readFileSync(new URL('../../../../examples/final-deployment-five-teams.preflight.yml', import.meta.url), 'utf8');
// one Slack fake for the file: nock answers a host from the first scope registered
const slack = nockSlack();
afterAll(() => slack.done());

describe('quality gates and the verdict on the seed-000 example, real Postgres', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const now = async () => verdict(await verdictInput(bot.deps));
  let p0 = 0;
  beforeAll(async () => {
    // Nov 13 2025, 16:00 in Los Angeles: an hour before gate 1 is due
    h = await harness(YAML, '2025-11-14T00:00:00Z');
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('starts NO-GO, waiting on Omega’s sign-off first', async () => {
    const v = await now();
    expect(v.decision).toBe('NO-GO');
    expect(v.signOffsNeeded.map((g) => g.id)).toEqual(['gate1-omega']);
    expect(v.reasons[0]).toMatch(/Gate “.*Omega.*” is not signed off/);
  });

  it('two people saving the same checklist at once do not undo each other', async () => {
    const items = h.config.workstreams.omega!.checklist;
    // both opened the form with nothing ticked; the lead ticks the first item, the PM the second
    await setChecklist(bot.deps, 'omega', 'UOMEGALD', [items[0]!], []);
    await setChecklist(bot.deps, 'omega', 'U0AMPME', [items[1]!], []);
    // another workstream's lead is refused and told who can
    expect(await setChecklist(bot.deps, 'omega', 'USIGMALD', [items[2]!], [])).toMatchObject({ ok: false, refusal: { who: expect.arrayContaining(['UOMEGALD', 'U0AMPME']) } });
    const omega = (await verdictInput(bot.deps)).workstreams.find((w) => w.id === 'omega')!;
    expect(omega.checklistDone).toBe(2);
  });

  it('only the sign-off authority may sign, and a gate cannot pass before the gates it requires', async () => {
    expect(await signOffGate(bot.deps, 'gate1-omega', 'USIGMALD', 'passed', null)).toMatchObject({ ok: false, reason: 'forbidden', refusal: { who: ['UOMEGALD'] } });
    expect(await signOffGate(bot.deps, 'gate2-sigma', 'USIGMALD', 'passed', null)).toMatchObject({
      ok: false,
      reason: 'requires',
      message: expect.stringMatching(/requires “.*Omega.*” to pass first/),
    });
    expect(await signOffGate(bot.deps, 'gate1-omega', 'UOMEGALD', 'passed', 'all 6 tasks signed')).toMatchObject({ ok: true });
    expect((await now()).signOffsNeeded.map((g) => g.id)).toEqual(['gate2-sigma', 'gate3-pi']);
  });

  it('with every checklist ticked and every gate signed, it is GO', async () => {
    for (const [id, ws] of Object.entries(h.config.workstreams)) await setChecklist(bot.deps, id, ws.leads[0]!, ws.checklist);
    for (const [gate, who] of [
      ['gate2-sigma', 'USIGMALD'],
      ['gate3-pi', 'UPILD'],
      ['gate4-alpha-beta', 'UALPHALD'], // a joint sign-off (L364-367): both leads
      ['gate4-alpha-beta', 'UBETALD'],
      ['gate5-go-no-go', 'U0AMPME'],
    ] as const) {
      expect(await signOffGate(bot.deps, gate, who, 'passed', null)).toMatchObject({ ok: true });
    }
    const v = await now();
    expect(v).toMatchObject({ decision: 'GO', percent: 100 });
  });

  it('a P0 blocker raised afterwards against a workstream a gate unblocks withdraws that sign-off and makes it NO-GO', async () => {
    const raised = await raiseBlocker(bot.deps, { reporter: 'USIGMALD', text: 'Auth tests failing on prod config', severity: 'P0', workstreamId: 'sigma', source: 'command' });
    if (!raised.ok) throw new Error('the blocker was not raised');
    // not B-1: Omega's tasks (due 12-2 PM) are overdue at 4 PM, and the sweep raised their escalations first
    p0 = raised.blocker.id;
    // the withdrawal is a job raiseBlocker asks for after its commit: wait for the gate to be pending again
    await eventually('the Omega sign-off withdrawn', async () => (await now()).signOffsNeeded.some((g) => g.id === 'gate1-omega'));
    const v = await now();
    expect(v.decision).toBe('NO-GO');
    expect(v.reasons).toEqual(expect.arrayContaining([`1 open blocker at a launch-blocking severity: B-${p0} (P0).`, expect.stringMatching(/Gate “.*Omega.*” is not signed off/)]));
    await eventually('withdrawal DMs to the signer and the PM', () =>
      ['UOMEGALD', 'U0AMPME'].every((u) => slack.of('chat.postMessage', (a) => a.channel === u && String(a.text).includes('was withdrawn')).length === 1),
    );
    const trail = (await gonogoHistory(bot.deps)).events;
    expect(trail[0]).toMatchObject({ kind: 'gate_withdrawn', gateId: 'gate1-omega' });
  });

  it('resolving the blocker and signing again restores GO; the summary fits Block Kit', async () => {
    await actOnBlocker(bot.deps, p0, 'USIGMALD', { kind: 'resolve' });
    await signOffGate(bot.deps, 'gate1-omega', 'UOMEGALD', 'passed', 're-validated');
    expect((await now()).decision).toBe('GO');
    const summary = await buildSummary(bot.deps);
    expect(blockProblems(summary.blocks as never, 'message')).toEqual([]);
    expect(await queueSummary(bot.deps, 'C0FINALDEP', 'trigger-seed-000')).toBe(true);
    const isSummary = (a: { channel?: unknown; text?: unknown }) => a.channel === 'C0FINALDEP' && String(a.text).includes(': GO (');
    await eventually('the summary posted by the outbound worker', () => slack.of('chat.postMessage', isSummary).length === 1);
    const posted = slack.of('chat.postMessage', isSummary);
    expect(posted.at(-1)!.args.text).toMatch(/: GO \(100% of the checklist\)/);
    expect(JSON.stringify(posted.at(-1)!.args.blocks)).toContain('*Gates (5/5 passed)*');
  });

  it('a failed mandatory gate is NO-GO whatever the percentage; decisions are for the PM or an exec, and audited', async () => {
    await signOffGate(bot.deps, 'gate3-pi', 'UPILD', 'failed', '1 critical vuln');
    const v = await now();
    expect(v.decision).toBe('NO-GO');
    expect(v.percent).toBeGreaterThanOrEqual(90);
    expect(await recordDecision(bot.deps, 'USIGMALD', 'go', null)).toMatchObject({ ok: false, refusal: { who: expect.arrayContaining(['U0AMPME']) } });
    const d = await recordDecision(bot.deps, 'U0AMPME', 'no-go', 'Pi found a critical vuln');
    expect(d).toMatchObject({ ok: true, announcement: expect.stringContaining('Decision: NO-GO') });
    const trail = await gonogoHistory(bot.deps);
    const kinds = trail.events.map((r) => r.kind);
    expect(kinds[0]).toBe('decision');
    expect(kinds).toEqual(expect.arrayContaining(['gate_passed', 'gate_failed', 'gate_withdrawn']));
    expect(trail.checklist.length).toBeGreaterThan(0);
  });
});

describe('a gate not signed off by its due time escalates to its owner, then the PM', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  beforeAll(async () => {
    h = await harness(YAML, '2025-11-14T01:01:00Z'); // 17:01 in LA: gate 1 was due at 17:00
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('raises one escalation through the blocker ladder, resolved by the sign-off', async () => {
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    expect(await escalateOverdueGates(bot.deps)).toBe(0);
    await eventually('the Omega lead is pinged', () => slack.of('chat.postMessage', (a) => a.channel === 'UOMEGALD' && String(a.text).includes('needs you')).length === 1);
    // the gate's own escalation (Omega's overdue tasks have theirs too)
    const [b] = await h.sql<{ source: string; gate_id: string; status: string; channel: string }>("SELECT source, gate_id, status, channel FROM blockers WHERE source = 'gate'");
    expect(b).toEqual({ source: 'gate', gate_id: 'gate1-omega', status: 'open', channel: 'C0FINALDEP' });
    await signOffGate(bot.deps, 'gate1-omega', 'UOMEGALD', 'passed', null);
    const [after] = await h.sql<{ status: string; resolved_by: string }>("SELECT status, resolved_by FROM blockers WHERE source = 'gate'");
    expect(after).toEqual({ status: 'resolved', resolved_by: 'UOMEGALD' });
  });
});
