import { describe, expect, it } from 'vitest';
import { cannotPassBecause, verdict, type GateFacts, type VerdictInput, type WorkstreamFacts } from '../../../../src/domain/gonogo/verdict.js';
import { parseGonogoCommand } from '../../../../src/domain/gonogo/command.js';

const NOW = Date.parse('2026-02-04T19:00:00Z');
const gate = (id: string, status: GateFacts['status'], over: Partial<GateFacts> = {}): GateFacts => ({
  id,
  name: id,
  mandatory: true,
  status,
  dueAt: null,
  signOff: ['UOWN'],
  signOffRule: 'any_of',
  signed: [],
  requires: [],
  signedBy: null,
  ...over,
});
const ws = (id: string, done: number, total: number, over: Partial<WorkstreamFacts> = {}): WorkstreamFacts => ({
  id,
  name: id,
  checklistDone: done,
  checklistTotal: total,
  checklistOpen: Array.from({ length: total - done }, (_, i) => `${id} item ${i + 1}`),
  openBlockers: { P0: 0, P1: 0, P2: 0 },
  oldestOpenBlockerAt: null,
  standup: null,
  activity: { state: 'active' },
  ...over,
});
const input = (over: Partial<VerdictInput>): VerdictInput => ({ gates: [], workstreams: [], blockingBlockers: [], goAtLeast: 100, conditionalAtLeast: 90, now: NOW, ...over });

describe('the go/no-go verdict (seed 004 matrix, seed 000 hard rules)', () => {
  // seed 004: 100% → LAUNCH; 90–99% → LAUNCH with known issues; < 90% → DELAY
  const table: { name: string; in: Partial<VerdictInput>; decision: string; percent: number }[] = [
    { name: 'everything done', in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 4, 4), ws('ws2', 4, 4)] }, decision: 'GO', percent: 100 },
    { name: '90% done (9 of 10)', in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 4, 5), ws('ws2', 4, 4)] }, decision: 'CONDITIONAL GO', percent: 90 },
    { name: '95% done (19 of 20)', in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 18, 19)] }, decision: 'CONDITIONAL GO', percent: 95 },
    { name: '89% done', in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 7, 8), ws('ws2', 0, 0)] }, decision: 'NO-GO', percent: 88 },
    { name: '18 of 20 done but a P0 (mandatory) gate failed', in: { gates: [gate('g1', 'passed'), gate('g2', 'failed')], workstreams: [ws('ws1', 17, 18)] }, decision: 'NO-GO', percent: 90 },
    {
      name: '100% but one open P0 blocker',
      in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 4, 4)], blockingBlockers: [{ id: 7, severity: 'P0', workstreamId: 'ws1', gateId: null }] },
      decision: 'NO-GO',
      percent: 100,
    },
    { name: 'a mandatory gate not signed off yet', in: { gates: [gate('g1', 'pending')], workstreams: [ws('ws1', 4, 4)] }, decision: 'NO-GO', percent: 80 },
    {
      name: 'all done but an optional gate pending',
      in: { gates: [gate('g1', 'passed'), gate('g2', 'passed', { mandatory: false }), gate('g3', 'pending', { mandatory: false })], workstreams: [ws('ws1', 40, 40)] },
      decision: 'CONDITIONAL GO',
      percent: 97,
    },
    {
      name: 'seed 000: no conditional launch (conditional threshold = 100)',
      in: { gates: [gate('g1', 'passed')], workstreams: [ws('ws1', 9, 10)], conditionalAtLeast: 100 },
      decision: 'NO-GO',
      percent: 90,
    },
  ];
  for (const row of table) {
    it(`${row.name} → ${row.decision}`, () => {
      const v = verdict(input(row.in));
      expect(v.decision).toBe(row.decision);
      expect(v.percent).toBe(row.percent);
      expect(v.reasons.length).toBeGreaterThan(0);
    });
  }

  it('gives its reasons in plain words', () => {
    const v = verdict(
      input({
        gates: [gate('Omega sign-off', 'failed', { signedBy: 'UOMEGA' }), gate('Pi sign-off', 'pending', { dueAt: NOW - 3_600_000 })],
        workstreams: [ws('ws1', 4, 4)],
        blockingBlockers: [{ id: 42, severity: 'P0', workstreamId: 'ws1', gateId: null }],
      }),
    );
    expect(v.reasons).toEqual([
      'Gate “Omega sign-off” failed (<@UOMEGA>).',
      '1 open blocker at a launch-blocking severity: B-42 (P0).',
      'Gate “Pi sign-off” is not signed off and is overdue.',
      '4 of 6 checklist items done (66%)',
    ]);
    const c = verdict(input({ gates: [gate('g1', 'passed')], workstreams: [ws('WS3 Daily Bias UI', 3, 4), ws('ws2', 6, 6)] }));
    expect(c.reasons).toEqual(['10 of 11 checklist items done (90%); launch with known issues:', 'WS3 Daily Bias UI: WS3 Daily Bias UI item 1']);
  });

  it('names the sign-offs needed next: pending gates whose required gates passed (seed 000: Omega before Sigma/Pi)', () => {
    const gates = [gate('omega', 'pending'), gate('sigma', 'pending', { requires: ['omega'] }), gate('pi', 'pending', { requires: ['omega'] })];
    expect(verdict(input({ gates })).signOffsNeeded.map((g) => g.id)).toEqual(['omega']);
    gates[0]!.status = 'passed';
    expect(verdict(input({ gates })).signOffsNeeded.map((g) => g.id)).toEqual(['sigma', 'pi']);
    expect(cannotPassBecause({ requires: ['omega'] }, [gate('omega', 'pending', { name: 'Omega sign-off' })])).toBe('it requires “Omega sign-off” to pass first');
  });
});

describe('/gonogo', () => {
  const parse = (t: string) => parseGonogoCommand(t, ['ws1'], ['gate1']);
  it('parses every subcommand and explains malformed ones', () => {
    expect(parse('')).toEqual({ kind: 'summary' });
    expect(parse('checklist ws1')).toEqual({ kind: 'checklist', workstream: 'ws1' });
    expect(parse('decide no-go waiting on Pi')).toEqual({ kind: 'decide', decision: 'no-go', note: 'waiting on Pi' });
    expect(parse('decide GO')).toEqual({ kind: 'decide', decision: 'go', note: null });
    expect(parse('signoff gate1 all good')).toEqual({ kind: 'sign', gate: 'gate1', outcome: 'passed', note: 'all good' });
    expect(parse('fail gate1')).toEqual({ kind: 'sign', gate: 'gate1', outcome: 'failed', note: null });
    expect(parse('history')).toEqual({ kind: 'history' });
    expect(parse('decide maybe')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/gonogo decide go') });
    expect(parse('checklist ws9')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('workstreams: ws1') });
    expect(parse('signoff nope')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('gates: gate1') });
  });
});
