import { describe, expect, it } from 'vitest';
import type { Task } from '../../../../src/domain/tasks/tasks.js';
import { myTasksMessage, taskLine, workstreamTasksMessage } from '../../../../src/slack/blocks/tasks.js';
import { promptTasksBlock } from '../../../../src/slack/blocks/standup-dm.js';
import { blockProblems, viewProblems } from '../../../../src/slack/blocks/limits.js';
import { readTaskValues, standupFormView } from '../../../../src/slack/blocks/standup-modal.js';

const DUE = Date.UTC(2026, 10, 13, 18, 0); // 13:00 in New York
const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  workstreamId: 'omega',
  title: `Task ${id} <!channel>`,
  owner: 'U01',
  dueAt: DUE,
  estimate: 2,
  priority: 'P1',
  requires: [],
  done: false,
  progress: 40,
  ...over,
});

describe('task blocks', () => {
  it('a line says slot, id, title (escaped), priority, estimate, due in the zone, progress, overdue or what it waits on', () => {
    expect(taskLine({ task: task('O-3'), status: { kind: 'overdue', byMs: 5_400_000 }, slot: 'NOW' }, 'America/New_York', { owner: true })).toBe(
      '*NOW* *O-3* Task O-3 &lt;!channel&gt; · P1 · 2h · <@U01> · due Fri 13 Nov 13:00 · 40% · *overdue* by 1h 30m',
    );
    expect(taskLine({ task: task('O-5', { dueAt: null }), status: { kind: 'waiting', on: ['O-3', 'infra'] } }, 'UTC', { owner: false })).toBe(
      '⏸️ *O-5* Task O-5 &lt;!channel&gt; · P1 · 2h · 40% · waiting on O-3, infra',
    );
  });

  it('/task with no open task says so; 200 tasks stay within Block Kit limits', () => {
    expect(myTasksMessage({ userId: 'U01', zone: 'UTC', lines: [] }).text).toBe('You have no open tasks.');
    const lines = Array.from({ length: 200 }, (_, i) => ({ task: task(`T-${i}`, { title: 'x'.repeat(200) }), status: { kind: 'open' as const }, slot: 'QUEUE' as const }));
    expect(blockProblems(myTasksMessage({ userId: 'U01', zone: 'UTC', lines }).blocks, 'message')).toEqual([]);
    const list = workstreamTasksMessage({ ok: true, workstreamId: 'omega', name: 'Team Omega', zone: 'UTC', percent: 58, lines });
    expect(list.text).toBe('Team Omega: 58% complete');
    expect(blockProblems(list.blocks, 'message')).toEqual([]);
  });

  it('the prompt lists tasks with a reply example from the member’s own ids, and counts those beyond 15', () => {
    const many = Array.from({ length: 17 }, (_, i) => ({ id: `O-${i + 1}`, title: 'Work', progress: 10, dueLocal: null, waitingOn: [] }));
    const text = JSON.stringify(promptTasksBlock(many));
    expect(text).toContain('Reply `tasks: O-1 75, O-2 done` here');
    expect(text).toContain('…and 2 more (`/task`)');
  });

  it('the form asks a whole percent per task, pre-filled, and reads only valid task inputs back', () => {
    const view = standupFormView({
      runId: 1,
      workstreamName: 'Omega',
      dayLabel: 'Friday 13 November',
      closesAtLocal: '12:00 EST',
      questions: [{ id: 'status', prompt: 'Status?', kind: 'text', required: true }],
      initial: {},
      editing: false,
      late: false,
      tasks: [{ id: 'O-1', title: 'MongoDB', progress: 75, dueLocal: 'Fri 13 Nov 14:00' }],
    });
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks).toContainEqual(
      expect.objectContaining({
        block_id: 'task_O-1',
        optional: true,
        element: expect.objectContaining({ type: 'number_input', initial_value: '75', min_value: '0', max_value: '100', is_decimal_allowed: false }),
      }),
    );
    expect(
      readTaskValues({ q_status: { answer: { value: 'fine' } }, 'task_O-1': { answer: { value: '90' } }, 'task_O-2': { answer: { value: null } }, 'task_O-3': { answer: { value: '101' } } }),
    ).toEqual([{ task: 'O-1', percent: 90 }]);
  });
});
