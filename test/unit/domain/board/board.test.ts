import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { boardContentKey, buildBoard, type BoardInput } from '../../../../src/domain/board/board.js';
import { verdict, type VerdictInput } from '../../../../src/domain/gonogo/verdict.js';
import type { Task } from '../../../../src/domain/tasks/tasks.js';

const NOW = DateTime.fromISO('2026-11-24T14:05:00Z').toMillis();
const H = 3_600_000;

const task = (over: Partial<Task>): Task => ({ id: 'T', workstreamId: 'api', title: 'T', owner: 'U01', dueAt: null, estimate: 1, priority: 'P1', requires: [], done: false, progress: 0, ...over });

function input(over: { facts?: Partial<VerdictInput>; tasks?: Task[]; include?: BoardInput['include'] } = {}): BoardInput {
  const facts: VerdictInput = {
    gates: [{ id: 'qa', name: 'QA', mandatory: true, status: 'pending', dueAt: NOW + H, signOff: ['U0QA', 'U0PM'], signOffRule: 'any_of' as never, signed: ['U0PM'], requires: [], signedBy: null }],
    workstreams: [
      {
        id: 'api',
        name: 'API',
        checklistDone: 0,
        checklistTotal: 1,
        checklistOpen: ['Runbook'],
        openBlockers: { P0: 0, P1: 2, P2: 0 },
        oldestOpenBlockerAt: NOW - 90 * 60_000 - 30_000,
        progress: { percent: 40, tasksDone: 0, tasksTotal: 2, tasksOverdue: 0 },
        standup: null,
        activity: { state: 'active' },
      },
      {
        id: 'web',
        name: 'Web',
        checklistDone: 0,
        checklistTotal: 0,
        checklistOpen: [],
        openBlockers: { P0: 0, P1: 0, P2: 0 },
        oldestOpenBlockerAt: null,
        standup: null,
        activity: { state: 'waiting', gate: { id: 'qa', name: 'QA' } },
      },
    ],
    blockingBlockers: [],
    goAtLeast: 100,
    conditionalAtLeast: 90,
    now: NOW,
    ...over.facts,
  };
  return {
    programName: 'Launch',
    zone: 'UTC',
    include: over.include,
    facts,
    verdict: verdict(facts),
    tasks: over.tasks ?? [task({ id: 'A-2', dueAt: NOW + 2 * H, requires: ['A-1'] }), task({ id: 'A-1', dueAt: NOW - H }), task({ id: 'A-0', dueAt: NOW - 2 * H, done: true })],
    doneIds: new Set(['A-0']),
    leads: { api: ['U0LEAD'], web: [] },
    blockingSeverities: ['P0'],
  };
}

describe('the status board model', () => {
  it('gives each workstream its phase, the digest’s status, what it waits on, its next task, blockers and lead', () => {
    const board = buildBoard(input());
    const [api, web] = board.workstreams;
    expect(api).toEqual({
      id: 'api',
      name: 'API',
      phase: { kind: 'active' },
      status: 'at-risk',
      percent: 40,
      waitsOn: null,
      nextTask: { id: 'A-1', title: 'T', owner: 'U01', dueAt: NOW - H, overdue: true },
      openBlockers: { P0: 0, P1: 2, P2: 0 },
      oldestBlockerAgeMs: 90 * 60_000,
      leads: ['U0LEAD'],
    });
    expect(web).toMatchObject({ phase: { kind: 'waiting', gate: 'QA' }, waitsOn: 'QA', status: 'on-track', nextTask: null, oldestBlockerAgeMs: null });
    expect(board.gates[0]!.signers).toEqual([
      { userId: 'U0QA', signed: false },
      { userId: 'U0PM', signed: true },
    ]);
    expect(board.verdict.decision).toBe('NO-GO');
    expect(board.sections).toEqual(['workstreams', 'gates', 'verdict']);
  });

  it('a next task that cannot start yet says what it waits on', () => {
    const board = buildBoard(input({ tasks: [task({ id: 'A-2', dueAt: NOW + H, requires: ['A-1', 'qa'] }), task({ id: 'A-1' })] }));
    expect(board.workstreams[0]).toMatchObject({ waitsOn: 'A-1, qa', nextTask: { id: 'A-2', overdue: false } });
  });

  it('keeps the sections in the board’s order whatever board.include says', () => {
    expect(buildBoard(input({ include: ['verdict', 'workstreams'] })).sections).toEqual(['workstreams', 'verdict']);
  });

  it('its content key ignores the “updated” time and the sections left out, and nothing else', () => {
    const a = buildBoard(input());
    const later = buildBoard(input({ facts: { now: NOW + 20_000 } }));
    expect(boardContentKey(later)).toBe(boardContentKey(a)); // same minute of blocker age
    const older = buildBoard(input({ facts: { now: NOW + 60_000 } }));
    expect(boardContentKey(older)).not.toBe(boardContentKey(a));
    const gatesOnly = (now: number, signed: string[]) =>
      buildBoard({ ...input({ include: ['workstreams'], facts: { now } }), facts: { ...input().facts, now, gates: [{ ...input().facts.gates[0]!, signed }] } });
    expect(boardContentKey(gatesOnly(NOW, []))).toBe(boardContentKey(gatesOnly(NOW, ['U0QA'])));
  });
});
