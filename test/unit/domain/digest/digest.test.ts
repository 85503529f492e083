import { describe, expect, it } from 'vitest';
import { buildDigest, type WorkstreamDigestInput } from '../../../../src/domain/digest/digest.js';
import { percentComplete } from '../../../../src/domain/tasks/progress.js';

const H = 3_600_000;
const from = Date.UTC(2026, 10, 26, 23); // 18:00 in New York
const to = from + 24 * H;
const none = { P0: 0, P1: 0, P2: 0 };

// A fixed history of two workstreams. Omega: tasks O-1 (4 h, done), O-2 (2 h, 50 %), O-3 (2 h, 0 %, overdue) and a
// 2-item checklist with 1 ticked: (4·100 + 2·50 + 0 + 1·100) / (4 + 2 + 2 + 2) = 60 %. At the last digest it was 45 %.
const omegaPercent = percentComplete({
  tasks: [
    { estimate: 4, progress: 100, done: true },
    { estimate: 2, progress: 50, done: false },
    { estimate: 2, progress: 0, done: false },
  ],
  checklistDone: 1,
  checklistTotal: 2,
});
const ws = (over: Partial<WorkstreamDigestInput> & Pick<WorkstreamDigestInput, 'id' | 'name'>): WorkstreamDigestInput => ({
  percent: null,
  previousPercent: null,
  tasksDone: 0,
  tasksTotal: 0,
  tasksOverdue: 0,
  tasksDoneInWindow: 0,
  participation: { answered: 0, expected: 0 },
  flags: { red: 0, yellow: 0, green: 0 },
  openBlockers: none,
  ...over,
});

describe('buildDigest on a fixed history', () => {
  const model = buildDigest({
    programName: 'Launch',
    zone: 'America/New_York',
    window: { from, to },
    blockingSeverities: ['P0'],
    workstreams: [
      ws({
        id: 'omega',
        name: 'Omega',
        percent: omegaPercent,
        previousPercent: 45,
        tasksDone: 1,
        tasksTotal: 3,
        tasksOverdue: 1,
        tasksDoneInWindow: 1,
        participation: { answered: 5, expected: 6 },
        flags: { red: 0, yellow: 1, green: 4 },
        openBlockers: { ...none, P1: 1 },
      }),
      ws({ id: 'alpha', name: 'Alpha', percent: 100, previousPercent: 100, tasksDone: 2, tasksTotal: 2, participation: { answered: 3, expected: 3 }, flags: { red: 0, yellow: 0, green: 3 } }),
      ws({ id: 'beta', name: 'Beta', percent: 20, previousPercent: null, participation: { answered: 0, expected: 3 }, flags: { red: 1, yellow: 0, green: 0 }, openBlockers: { ...none, P0: 1 } }),
    ],
    blockers: [
      { workstreamId: 'omega', raisedAt: from + 1 * H, firstAcknowledgedAt: from + 1.5 * H, resolvedAt: null },
      { workstreamId: 'beta', raisedAt: from - 3 * H, firstAcknowledgedAt: from + 1 * H, resolvedAt: from + 5 * H },
      { workstreamId: 'beta', raisedAt: from + 2 * H, firstAcknowledgedAt: null, resolvedAt: null },
    ],
  });

  it('uses the tasks-and-checklist rule for % complete (60 %) and shows its change since the last digest', () => {
    expect(omegaPercent).toBe(60);
    expect(model.workstreams.map((w) => [w.id, w.percent, w.trend])).toEqual([
      ['omega', 60, { delta: 15, direction: 'up' }],
      ['alpha', 100, { delta: 0, direction: 'flat' }],
      ['beta', 20, { delta: null, direction: 'new' }],
    ]);
    expect(model.rules.percent).toMatch(/estimate/);
  });
  it('classifies each workstream and counts on-track / at-risk / blocked', () => {
    expect(model.workstreams.map((w) => w.status)).toEqual(['at-risk', 'on-track', 'blocked']);
    // equal remainders go to the first status in dashboard order
    expect(model.status).toEqual({ 'on-track': { count: 1, percent: 34 }, 'at-risk': { count: 1, percent: 33 }, blocked: { count: 1, percent: 33 } });
  });
  it('adds up tasks, participation and flags', () => {
    expect(model.totals).toEqual({
      tasksDone: 3,
      tasksTotal: 5,
      tasksOverdue: 1,
      tasksDoneInWindow: 1,
      participation: { answered: 8, expected: 12, percent: 66 },
      flags: { red: 1, yellow: 1, green: 7 },
    });
  });
  it('counts blockers over the window with time to acknowledge and to resolve', () => {
    expect(model.blockers).toEqual({
      opened: 2,
      acknowledged: 2,
      resolved: 1,
      timeToAcknowledge: { count: 2, medianMs: 2.25 * H, worstMs: 4 * H },
      timeToResolve: { count: 1, medianMs: 8 * H, worstMs: 8 * H },
    });
    expect(model.workstreams.map((w) => w.blockersOpened)).toEqual([1, 0, 1]);
  });
});
