import { like } from 'drizzle-orm';
import { outboundMessages } from '../../db/schema/index.js';
import type { TaskStartNotice } from '../../domain/tasks/start-notice.js';
import type { Task } from '../../domain/tasks/tasks.js';
import type { Deps } from '../deps.js';
import { insertOutbound } from '../delivery/outbound.js';
import { taskCatalog } from './catalog.js';

const KEY_PREFIX = 'task-start-';

/** The model of the DM telling a task's owner it can start (its `requires` are all done); rendered by `deps.renderer`. */
function startNotice(task: Pick<Task, 'id' | 'title' | 'requires' | 'url'>): TaskStartNotice {
  return { taskId: task.id, title: task.title, requires: task.requires, url: task.url ?? null };
}

/**
 * Tells the owner of every task that waited on something (non-empty `requires`) and now can start, once per task
 * however many processes or sweeps see it: one outbound DM keyed `task-start-<id>` (services/delivery sends it
 * once). Called after a task is done and by the due-work sweep (a gate passing, or a crash after the commit,
 * is caught within `escalation.sweep_every`).
 * @returns the task ids newly queued.
 */
export async function notifyStartableTasks(deps: Deps): Promise<string[]> {
  const { tasks, doneIds } = await taskCatalog(deps);
  const ready = tasks.filter((t) => !t.done && t.requires.length > 0 && t.requires.every((r) => doneIds.has(r)));
  if (!ready.length) return [];
  const sent = await deps.db
    .select({ key: outboundMessages.key })
    .from(outboundMessages)
    .where(like(outboundMessages.key, `${KEY_PREFIX}%`));
  const already = new Set(sent.map((s) => s.key));
  const fresh = ready.filter((t) => !already.has(`${KEY_PREFIX}${t.id}`));
  if (!fresh.length) return [];
  const now = deps.clock.now().toJSDate();
  const ids: number[] = [];
  const queued: string[] = [];
  for (const t of fresh) {
    // one insert per task: the unique key decides which process queues it when two see it at once
    const [id] = await insertOutbound(deps.db, now, [{ kind: 'task_start', key: `${KEY_PREFIX}${t.id}`, channel: t.owner, message: deps.renderer.taskStartNotice(startNotice(t)) }]);
    if (id === undefined) continue;
    ids.push(id);
    queued.push(t.id);
  }
  if (ids.length) await deps.wakeups.sendOutbound(ids);
  return queued;
}
