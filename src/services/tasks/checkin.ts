import { DateTime } from 'luxon';
import { workstreamZone } from '../../domain/program/program.js';
import { parseTaskProgressLine } from '../../domain/tasks/progress-line.js';
import { taskQueue } from '../../domain/tasks/tasks.js';
import type { Deps } from '../deps.js';
import { taskCatalog } from './catalog.js';
import { updateTask } from './update.js';

/** One open task as a check-in prompt (DM or modal) shows it. */
export interface CheckinTask {
  id: string;
  title: string;
  /** Last reported percent, 0–100. */
  progress: number;
  /** Due, local wall-clock in the task's zone ("Fri 13 Nov 13:00"), or null. */
  dueLocal: string | null;
  /** Task or gate ids it still waits on (empty when it can start). */
  waitingOn: string[];
  /** The task's page (a tracker issue), issue 21; null for none. */
  url: string | null;
}

/** The open tasks `userId` owns, in queue order (NOW first, waiting ones last), for a check-in prompt. */
export async function checkinTasksOf(deps: Deps, userId: string): Promise<CheckinTask[]> {
  const { tasks, doneIds } = await taskCatalog(deps);
  const mine = tasks.filter((t) => t.owner === userId);
  if (!mine.length) return [];
  return taskQueue(mine, doneIds, deps.clock.now().toMillis()).map(({ task, status }) => {
    const zone = workstreamZone(deps.config, task.workstreamId);
    return {
      id: task.id,
      title: task.title,
      progress: task.progress,
      dueLocal: task.dueAt === null ? null : DateTime.fromMillis(task.dueAt, { zone }).toFormat('ccc d LLL HH:mm'),
      waitingOn: status.kind === 'waiting' ? status.on : [],
      url: task.url ?? null,
    };
  });
}

export type TaskProgressReport = { ok: true; lines: string[]; after: () => Promise<void> } | { ok: false; message: string };

/**
 * Applies the per-task progress a member gave in a check-in (modal fields or a DM line): 100 marks the task
 * done; a percent equal to the current one is not recorded again. Each update goes through `updateTask` (the
 * member owns these tasks) with `via: 'checkin'`.
 * @returns one confirmation line per change, and `after` (escalations stopped, "can start" DMs) to run after replying.
 */
export async function applyCheckinProgress(deps: Deps, userId: string, updates: readonly { task: string; percent: number }[]): Promise<Extract<TaskProgressReport, { ok: true }>> {
  const open = await checkinTasksOf(deps, userId);
  const lines: string[] = [];
  const afters: (() => Promise<void>)[] = [];
  for (const u of updates) {
    const current = open.find((t) => t.id === u.task);
    if (!current || (current.progress === u.percent && u.percent < 100)) continue;
    const res = await updateTask(deps, u.task, userId, u.percent >= 100 ? { kind: 'done' } : { kind: 'progress', percent: u.percent }, 'checkin');
    if (res.ok) {
      lines.push(res.message);
      afters.push(res.after);
    } else if (!('refusal' in res)) lines.push(res.message);
  }
  return {
    ok: true,
    lines,
    after: async () => {
      for (const a of afters) await a();
    },
  };
}

/**
 * A DM that reports task progress instead of answering a check-in question: `tasks: O-1 75, O-3 done`, or a line
 * that reads entirely as progress on the member's own open tasks (`O-1 75, O-3 done`).
 * @returns null when the text is not about tasks (it answers the check-in), else what was recorded or why not.
 */
export async function taskProgressFromDm(deps: Deps, userId: string, text: string): Promise<TaskProgressReport | null> {
  const prefixed = /^\s*tasks?\s*:\s*/i.exec(text);
  const open = await checkinTasksOf(deps, userId);
  if (!open.length) return prefixed ? { ok: false, message: 'You have no open tasks to report on.' } : null;
  const body = prefixed ? text.slice(prefixed[0].length) : text;
  const parsed = parseTaskProgressLine(
    body,
    open.map((t) => t.id),
  );
  if (!parsed.ok) return prefixed ? { ok: false, message: parsed.message } : null;
  return applyCheckinProgress(deps, userId, parsed.updates);
}
