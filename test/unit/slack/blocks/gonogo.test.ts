import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { verdict, type GateFacts, type WorkstreamFacts } from '../../../../src/domain/gonogo/verdict.js';
import { blockProblems, viewProblems } from '../../../../src/slack/blocks/limits.js';
import { checklistView, gonogoSummaryMessage } from '../../../../src/slack/blocks/gonogo.js';

const NOW = Date.parse('2026-02-04T19:00:00Z');
function scale(workstreams: number, gates: number, joint = false) {
  const g: GateFacts[] = Array.from({ length: gates }, (_, i) => ({
    id: `gate${i}`,
    name: `Gate ${i}: ${'security and performance sign-off '.repeat(2)}`,
    mandatory: i % 4 !== 0,
    status: i < 5 ? 'passed' : 'pending',
    dueAt: NOW - (i - 10) * 3_600_000,
    signOff: [`UOWNER${i}`, `UOTHER${i}`],
    signOffRule: joint ? ('all_of' as const) : ('any_of' as const),
    signed: joint ? [`UOWNER${i}`] : i < 5 ? [`UOWNER${i}`] : [],
    requires: i > 0 ? [`gate${i - 1}`] : [],
    signedBy: i < 5 ? `UOWNER${i}` : null,
  }));
  const w: WorkstreamFacts[] = Array.from({ length: workstreams }, (_, i) => ({
    id: `ws${i}`,
    name: `Workstream ${i} <!channel> broker integration & AI`,
    checklistDone: i % 5,
    checklistTotal: 5,
    checklistOpen: ['Load test passed (1000 users)', 'UAT sign-off complete'].slice(0, 5 - (i % 5)),
    openBlockers: { P0: i % 7 === 0 ? 1 : 0, P1: i % 3, P2: 2 },
    oldestOpenBlockerAt: NOW - i * 600_000,
    standup: { localDate: '2026-02-04', red: i % 2, yellow: i % 3, answered: 30, expected: 35 },
    activity: joint && i % 2 ? ({ state: 'waiting', gate: { id: 'gate0', name: `Gate 0: ${'omega '.repeat(20)}` } } as const) : ({ state: 'active' } as const),
  }));
  const input = { gates: g, workstreams: w, blockingBlockers: [{ id: 1, severity: 'P0' as const, workstreamId: 'ws0', gateId: null }], goAtLeast: 100, conditionalAtLeast: 90, now: NOW };
  return gonogoSummaryMessage({ programName: 'Phase 11 go-live', zone: 'America/New_York', input, verdict: verdict(input), pm: 'U0PM', now: NOW });
}

describe('the /gonogo summary', () => {
  it('stays within Block Kit limits for 50 workstreams and 20 gates, the rest continuing in the thread', () => {
    const { blocks, text, overflow } = scale(50, 20);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(4000);
    const all = JSON.stringify(blocks) + overflow.join('\n');
    for (let i = 0; i < 50; i++) expect(all).toContain(`Workstream ${i} `);
    for (let i = 0; i < 20; i++) expect(all).toContain(`Gate ${i}:`);
    expect(all).not.toContain('<!channel>');
    for (const chunk of overflow) expect(chunk.length).toBeLessThanOrEqual(3000);
  });
  it('dates the summary with a <!date> whose fallback is in the program’s zone (issue 18, defect 6)', () => {
    const json = JSON.stringify(scale(3, 2).blocks);
    const token = json.match(/As of <!date\^\d+\^[^|]+\|([^>]+)>/);
    expect(token?.[1]).toBe(DateTime.fromMillis(NOW, { zone: 'America/New_York' }).toFormat('ccc d LLL HH:mm ZZZZ'));
    expect(json).not.toMatch(/\|\d{4}-\d\d-\d\dT/);
  });
  it('leads with the verdict, then gates, workstreams and what is still needed, with sign-off buttons', () => {
    const { blocks } = scale(3, 12);
    const json = JSON.stringify(blocks);
    expect(json.indexOf('NO-GO')).toBeLessThan(json.indexOf('*Gates (5/12 passed)*'));
    expect(json.indexOf('*Gates')).toBeLessThan(json.indexOf('*Workstreams (3)*'));
    expect(json).toContain('⚠️ *overdue*');
    expect(json).toContain('waits on “Gate 5');
    expect(json).toContain('blockers 🔴1 P0');
    expect(json).toContain('30/35 answered');
    expect(json).toContain('Decisions and sign-offs still needed');
    expect(json).toContain('"action_id":"gate_signoff:0","value":"gate5"');
  });
  it('shows each workstream’s % complete with its tasks (done, overdue) and states the rule once', () => {
    const input = {
      gates: [],
      workstreams: [
        {
          id: 'omega',
          name: 'Team Omega',
          checklistDone: 1,
          checklistTotal: 2,
          checklistOpen: ['Runbook'],
          openBlockers: { P0: 0, P1: 0, P2: 0 },
          oldestOpenBlockerAt: null,
          standup: null,
          activity: { state: 'active' } as const,
          progress: { percent: 44, tasksDone: 1, tasksTotal: 4, tasksOverdue: 2 },
        },
        {
          id: 'sigma',
          name: 'Team Sigma',
          checklistDone: 0,
          checklistTotal: 0,
          checklistOpen: [],
          openBlockers: { P0: 0, P1: 0, P2: 0 },
          oldestOpenBlockerAt: null,
          standup: null,
          activity: { state: 'active' } as const,
          progress: { percent: null, tasksDone: 0, tasksTotal: 0, tasksOverdue: 0 },
        },
      ],
      blockingBlockers: [],
      goAtLeast: 100,
      conditionalAtLeast: 90,
      now: NOW,
    };
    const { blocks } = gonogoSummaryMessage({ programName: 'Launch', zone: 'UTC', input, verdict: verdict(input), pm: 'U0PM', now: NOW });
    const json = JSON.stringify(blocks);
    expect(json).toContain('*Team Omega* · *44% complete* (tasks 1/4, ⚠️ 2 overdue) · checklist 1/2');
    expect(json).toContain('*Team Sigma* · no checklist');
    expect(json).toContain('% complete: tasks weighted by their estimate (hours, at their reported %), each checklist item as 1 h (done when ticked)');
    expect(blockProblems(blocks, 'message')).toEqual([]);
  });
  it('with joint gates (who signed, who is pending) and waiting workstreams, stays within Block Kit limits', () => {
    const { blocks, overflow } = scale(50, 20, true);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const all = JSON.stringify(blocks) + overflow.join('\n');
    for (let i = 0; i < 50; i++) expect(all).toContain(`Workstream ${i} `);
    expect(all).toContain('sign-off all of: ✅ <@UOWNER7>, ⏳ <@UOTHER7>');
    expect(all).toContain('⏸️ waiting for “Gate 0: omega');
    for (const chunk of overflow) expect(chunk.length).toBeLessThanOrEqual(3000);
  });
  it('the checklist modal splits items into checkbox groups of 10', () => {
    const v = checklistView({ workstreamId: 'ws1', workstreamName: 'WS1', items: Array.from({ length: 23 }, (_, i) => ({ item: `Item ${i} ${'x'.repeat(100)}`, checked: i % 2 === 0 })) });
    expect(viewProblems(v)).toEqual([]);
    expect(v.blocks.filter((b) => b.type === 'input')).toHaveLength(3);
  });
});
