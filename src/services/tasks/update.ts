import { sql } from 'drizzle-orm';
import { taskEvents, taskStates } from '../../db/schema/index.js';
import type { Refusal } from '../../domain/permissions.js';
import type { Deps } from '../deps.js';
import { raiseBlocker } from '../blockers/raise.js';
import { may } from '../permission-check.js';
import { findTask } from './catalog.js';
import { stopTaskEscalation } from './escalate.js';
import { notifyStartableTasks } from './start-notices.js';
import { boardMoved } from '../board/moved.js';
import { queueWriteBack } from '../trackers/write-back.js';

export type TaskUpdate = { kind: 'done' } | { kind: 'progress'; percent: number } | { kind: 'block'; reason: string };

export type TaskUpdateResult =
  | { ok: true; message: string /** Run after acking Slack: stops the escalation, tells owners of tasks that can start now, wakes the blocker's jobs. */; after: () => Promise<void> }
  | { ok: false; reason: 'unknown' | 'noop'; message: string }
  /** Not the owner, a lead of its workstream or the PM (domain/permissions.ts): the refusal names who can. */
  | { ok: false; reason: 'forbidden'; refusal: Refusal };

/**
 * Applies one update to a task, checked on the server: its owner, its workstream's leads and the PM may (anyone
 * else gets a refusal naming them).
 * - done: the task at 100%, with who and when; its due-time escalation is resolved and the owners of tasks that
 *   waited on it are told they can start (both in `after`, each once).
 * - progress: the percent (0–100; 100 does not mark it done); a done task is not changed.
 * - block: raises a blocker linked to the task (`/blocker`'s severity default and ladder), with the task in its text.
 * Every change is recorded in `task_events` in the same transaction as the state. For a tracker task of a
 * `write_back: true` source (issue 21), `after` also queues the write-back (services/trackers/write-back.ts): done
 * (or 100 %) → the issue moves to done; block → a comment with the blocker's permalink.
 * @param via where the update came from (`command`, a check-in answer, or `tracker`: the task's tracker issue changed,
 *   issue 21; no permission check then, the tracker is the source of truth for its tasks).
 */
export async function updateTask(deps: Deps, taskId: string, actor: string, update: TaskUpdate, via: 'command' | 'checkin' | 'tracker' = 'command'): Promise<TaskUpdateResult> {
  const found = findTask(deps.config, taskId);
  if (!found) return { ok: false, reason: 'unknown', message: `There is no task \`${taskId}\`.` };
  const { task, workstreamId } = found;
  if (via !== 'tracker') {
    const allowed = may(deps.config, actor, { on: 'task', verb: 'update', taskId, owner: task.owner, workstreamId });
    if (!allowed.allowed) return { ok: false, reason: 'forbidden', refusal: allowed };
  }
  const now = deps.clock.now().toJSDate();
  if (update.kind === 'block') {
    const res = await raiseBlocker(
      deps,
      { reporter: actor, text: `${task.id} “${task.title}”: ${update.reason}`, owner: task.owner, workstreamId, taskId: task.id, source: 'command' },
      { deferWakeups: true },
    );
    if (!res.ok) return { ok: false, reason: 'noop', message: res.message };
    await deps.db.insert(taskEvents).values({ taskId, workstreamId, kind: 'blocked', actor, via, blockerId: res.blocker.id, at: now });
    const blockerId = res.blocker.id;
    return {
      ok: true,
      message: `🚧 Raised B-${blockerId} on ${task.id} “${task.title}” (${res.blocker.severity}).`,
      after: async () => {
        await res.wake?.();
        // a tracker task of a write_back source gets a comment with the blocker's permalink (issue 21)
        if (via !== 'tracker') await queueWriteBack(deps.db, deps.config, taskId, `blocker:${blockerId}`, now);
      },
    };
  }
  const done = update.kind === 'done';
  const percent = done ? 100 : update.percent;
  const changed = await deps.db.transaction(async (tx) => {
    // one row per task, locked by the upsert: a done task stays done, a second "done" is a no-op
    const [row] = await tx
      .insert(taskStates)
      .values({ taskId, workstreamId, status: done ? 'done' : 'open', progress: percent, doneAt: done ? now : null, doneBy: done ? actor : null, updatedBy: actor, updatedAt: now })
      .onConflictDoUpdate({
        target: taskStates.taskId,
        set: done ? { status: 'done', progress: 100, doneAt: now, doneBy: actor, updatedBy: actor, updatedAt: now } : { progress: percent, updatedBy: actor, updatedAt: now },
        setWhere: sql`${taskStates.status} <> 'done'`,
      })
      .returning();
    if (!row) return false;
    await tx.insert(taskEvents).values({ taskId, workstreamId, kind: done ? 'done' : 'progress', progress: percent, actor, via, at: now });
    return true;
  });
  if (!changed) return { ok: false, reason: 'noop', message: `${task.id} “${task.title}” is already done.` };
  deps.log.info({ task: taskId, actor, update: update.kind, percent }, 'task updated');
  await boardMoved(deps);
  const after = async () => {
    // `/task done` or 100 % in a check-in moves a write_back source's issue to done (issue 21); never an echo of the tracker
    if (via !== 'tracker' && percent === 100) await queueWriteBack(deps.db, deps.config, taskId, 'done', now);
    if (!done) return;
    await stopTaskEscalation(deps, taskId, actor);
    await notifyStartableTasks(deps);
  };
  return { ok: true, message: done ? `✅ ${task.id} “${task.title}” is done.` : `📈 ${task.id} “${task.title}” at ${percent}%.`, after };
}

/**
 * Re-opens a done task (issue 21: its tracker issue left the done state): open again at `percent` (the status's
 * percent from `status_progress`, else 0), `done_at`/`done_by` cleared, one `reopened` event in the same transaction.
 * Its due-time escalation starts again from the sweep if it is overdue (services/tasks/escalate.ts `sweepTasks`).
 * @returns false when the task is not done (nothing changed) or not in the plan.
 */
export async function reopenTask(deps: Deps, taskId: string, actor: string, percent: number, via: 'command' | 'tracker' = 'tracker'): Promise<boolean> {
  const found = findTask(deps.config, taskId);
  if (!found) return false;
  const now = deps.clock.now().toJSDate();
  const reopened = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(taskStates)
      .set({ status: 'open', progress: percent, doneAt: null, doneBy: null, updatedBy: actor, updatedAt: now })
      .where(sql`${taskStates.taskId} = ${taskId} and ${taskStates.status} = 'done'`)
      .returning({ id: taskStates.taskId });
    if (!rows.length) return false;
    await tx.insert(taskEvents).values({ taskId, workstreamId: found.workstreamId, kind: 'reopened', progress: percent, actor, via, at: now });
    return true;
  });
  if (reopened) deps.log.info({ task: taskId, actor, via, percent }, 'task reopened');
  return reopened;
}
