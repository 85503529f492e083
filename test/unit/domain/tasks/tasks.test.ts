import { describe, expect, it } from 'vitest';
import { startableAfter, taskQueue, taskStatus, type Task } from '../../../../src/domain/tasks/tasks.js';

const NOW = Date.UTC(2026, 10, 13, 17, 0);
const H = 3_600_000;
const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  workstreamId: 'omega',
  title: id,
  owner: 'U01',
  dueAt: null,
  estimate: 1,
  priority: 'P1',
  requires: [],
  done: false,
  progress: 0,
  ...over,
});

describe('taskStatus', () => {
  it('is done, waiting (naming what it waits on) before overdue, overdue past its due, else open', () => {
    expect(taskStatus(task('a', { done: true, dueAt: NOW - H }), new Set(), NOW)).toEqual({ kind: 'done' });
    expect(taskStatus(task('a', { requires: ['b', 'gate1'], dueAt: NOW - H }), new Set(['b']), NOW)).toEqual({ kind: 'waiting', on: ['gate1'] });
    expect(taskStatus(task('a', { dueAt: NOW - H }), new Set(), NOW)).toEqual({ kind: 'overdue', byMs: H });
    expect(taskStatus(task('a', { dueAt: NOW + H }), new Set(), NOW)).toEqual({ kind: 'open' });
    expect(taskStatus(task('a'), new Set(), NOW)).toEqual({ kind: 'open' });
  });
});

describe('taskQueue', () => {
  it('orders startable tasks by priority then due (none last) then id, labels NOW/NEXT/THEN/QUEUE, waiting ones last as WAIT, done ones left out', () => {
    const q = taskQueue(
      [
        task('O-10', { priority: 'P1', dueAt: NOW + 2 * H }),
        task('O-2', { priority: 'P1', dueAt: NOW + 2 * H }),
        task('O-3', { priority: 'P0' }),
        task('O-4', { priority: 'P1', dueAt: NOW + H }),
        task('O-5', { priority: 'P2', dueAt: NOW }),
        task('O-6', { priority: 'P0', requires: ['infra'] }),
        task('O-7', { done: true }),
      ],
      new Set(),
      NOW,
    );
    expect(q.map((e) => `${e.slot} ${e.task.id}`)).toEqual(['NOW O-3', 'NEXT O-4', 'THEN O-2', 'QUEUE O-10', 'QUEUE O-5', 'WAIT O-6']);
  });
});

describe('startableAfter', () => {
  it('lists the open tasks that required what was just done and need nothing else', () => {
    const tasks = [task('a', { requires: ['x'] }), task('b', { requires: ['x', 'y'] }), task('c', { requires: ['x'], done: true }), task('d', { requires: ['z'] })];
    expect(startableAfter(tasks, 'x', new Set(['x'])).map((t) => t.id)).toEqual(['a']);
    expect(startableAfter(tasks, 'x', new Set(['x', 'y'])).map((t) => t.id)).toEqual(['a', 'b']);
  });
});
