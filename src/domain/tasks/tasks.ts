import type { Severity } from '../blockers/ladder.js';
import { compareTaskIds } from './task-id-order.js';

/**
 * Tasks as the domain sees them (config `workstreams.<id>.tasks` plus their state in Postgres). Times are Unix
 * ms (UTC instants).
 */
export interface Task {
  id: string;
  workstreamId: string;
  title: string;
  owner: string;
  /** The due instant, or null when the task has no `due`. */
  dueAt: number | null;
  /** Hours. */
  estimate: number;
  priority: Severity;
  /** Task or gate ids that must be done (gates: passed) before this one can start. */
  requires: readonly string[];
  done: boolean;
  /** Last reported percent, 0–100 (100 once done). */
  progress: number;
  /** The task's page (a tracker issue's URL), shown wherever the task is; absent/null for none. */
  url?: string | null;
  /** The tracker source it comes from (`Jira LAUNCH`), issue 21; absent/null for a preflight.yml task. */
  source?: string | null;
  /** The tracker assignee's email when no Slack user has it (`owner` is then the lead), issue 21. */
  ownerUnmatched?: string | null;
}

/**
 * Where a task stands: `done`; `waiting` (some of its `requires` are not done: `on` lists them); `overdue` (past its
 * due, not done); `open`.
 */
export type TaskStatus = { kind: 'done' } | { kind: 'waiting'; on: string[] } | { kind: 'overdue'; byMs: number } | { kind: 'open' };

/**
 * The status of `task` at `now`: done first, then waiting (a task cannot be late for work it cannot start yet
 * shows as waiting, not overdue), then overdue, else open.
 * @param doneIds ids of the tasks done and the gates passed.
 */
export function taskStatus(task: Task, doneIds: ReadonlySet<string>, now: number): TaskStatus {
  if (task.done) return { kind: 'done' };
  const on = task.requires.filter((r) => !doneIds.has(r));
  if (on.length) return { kind: 'waiting', on };
  if (task.dueAt !== null && task.dueAt <= now) return { kind: 'overdue', byMs: now - task.dueAt };
  return { kind: 'open' };
}

/** Seed 002's per-person queue labels: the first open task is NOW, the second NEXT, then THEN, then QUEUE. */
export type QueueSlot = 'NOW' | 'NEXT' | 'THEN' | 'QUEUE' | 'WAIT';

const PRIORITY_RANK: Record<Severity, number> = { P0: 0, P1: 1, P2: 2 };

/**
 * A person's open tasks in the order to work on them (seed 002: "NOW: Rate Limiting (2h) - P0", "NEXT: …",
 * "WAIT: Infrastructure ready"): startable tasks by priority (P0 first), then due (earliest first, none last),
 * then id; labelled NOW, NEXT, THEN, QUEUE…; then the waiting ones, labelled WAIT. Done tasks are left out.
 */
export function taskQueue(tasks: readonly Task[], doneIds: ReadonlySet<string>, now: number): { task: Task; slot: QueueSlot; status: TaskStatus }[] {
  const open = tasks.filter((t) => !t.done).map((task) => ({ task, status: taskStatus(task, doneIds, now) }));
  const byOrder = (a: { task: Task }, b: { task: Task }) =>
    PRIORITY_RANK[a.task.priority] - PRIORITY_RANK[b.task.priority] || (a.task.dueAt ?? Number.POSITIVE_INFINITY) - (b.task.dueAt ?? Number.POSITIVE_INFINITY) || compareTaskIds(a.task.id, b.task.id);
  const ready = open.filter((o) => o.status.kind !== 'waiting').sort(byOrder);
  const waiting = open.filter((o) => o.status.kind === 'waiting').sort(byOrder);
  const slots: QueueSlot[] = ['NOW', 'NEXT', 'THEN'];
  return [...ready.map((o, i) => ({ ...o, slot: slots[i] ?? ('QUEUE' as const) })), ...waiting.map((o) => ({ ...o, slot: 'WAIT' as const }))];
}

/**
 * Tasks that became startable because `justDone` was done (a task done or a gate passed): not done, requiring
 * `justDone`, with every requirement now in `doneIds`.
 */
export function startableAfter(tasks: readonly Task[], justDone: string, doneIds: ReadonlySet<string>): Task[] {
  return tasks.filter((t) => !t.done && t.requires.includes(justDone) && t.requires.every((r) => doneIds.has(r)));
}
