import { and, eq } from 'drizzle-orm';
import { checklistTicks } from '../../db/schema/index.js';
import { workstreamZone } from '../../domain/program/program.js';
import { percentComplete } from '../../domain/tasks/progress.js';
import { taskQueue, taskStatus, type QueueSlot, type Task, type TaskStatus } from '../../domain/tasks/tasks.js';
import type { Deps } from '../deps.js';
import { workstreamsOf } from '../checkins/participation.js';
import { taskCatalog } from './catalog.js';
import { compareTaskIds } from '../../domain/tasks/task-id-order.js';

/** One task line of a list: the task, where it stands, and its slot in its owner's queue (mine only). */
export interface TaskLine {
  task: Task;
  status: TaskStatus;
  slot?: QueueSlot;
}

/** `/task`: the member's open tasks in queue order (NOW, NEXT, THEN, QUEUE…, then WAIT). `zone` shows due times. */
export interface MyTasksModel {
  userId: string;
  zone: string;
  lines: TaskLine[];
}

/** `/task list`: every task of one workstream with its % complete (domain/tasks/progress.ts), or a hint when none fits. */
export type WorkstreamTasksModel = { ok: true; workstreamId: string; name: string; zone: string; percent: number | null; lines: TaskLine[] } | { ok: false; message: string };

/** The zone a user's due times are shown in: the workstream's, else the program's. */
function zoneOf(deps: Pick<Deps, 'config'>, workstreamId: string | undefined): string {
  return workstreamId ? workstreamZone(deps.config, workstreamId) : deps.config.program.timezone;
}

/** The open tasks `userId` owns, in the order to work on them (domain/tasks/tasks.ts taskQueue). */
export async function myTasks(deps: Deps, userId: string): Promise<MyTasksModel> {
  const { tasks, doneIds } = await taskCatalog(deps);
  const mine = tasks.filter((t) => t.owner === userId);
  const lines = taskQueue(mine, doneIds, deps.clock.now().toMillis());
  return { userId, zone: zoneOf(deps, mine[0]?.workstreamId), lines };
}

/**
 * The tasks of `workstreamId`, or (null) of the user's workstream (first one they are a member or lead of):
 * open ones first in id order, then the done ones; with the workstream's % complete from its tasks and checklist.
 */
export async function workstreamTasks(deps: Deps, userId: string, workstreamId: string | null): Promise<WorkstreamTasksModel> {
  const ids = Object.keys(deps.config.workstreams);
  const wsId = workstreamId ?? workstreamsOf(deps.config, userId)[0] ?? ids.find((id) => deps.config.workstreams[id]!.leads.includes(userId));
  if (!wsId) return { ok: false, message: `Which workstream? \`/task list <workstream>\` (${ids.join(', ')}).` };
  const ws = deps.config.workstreams[wsId]!;
  const { tasks, doneIds } = await taskCatalog(deps);
  const now = deps.clock.now().toMillis();
  const mine = tasks.filter((t) => t.workstreamId === wsId);
  const byId = (a: Task, b: Task) => compareTaskIds(a.id, b.id);
  const lines = [...mine.filter((t) => !t.done).sort(byId), ...mine.filter((t) => t.done).sort(byId)].map((task) => ({ task, status: taskStatus(task, doneIds, now) }));
  const ticks = await deps.db
    .select({ item: checklistTicks.item })
    .from(checklistTicks)
    .where(and(eq(checklistTicks.workstreamId, wsId), eq(checklistTicks.checked, true)));
  const ticked = new Set(ticks.map((t) => t.item));
  const percent = percentComplete({ tasks: mine, checklistDone: ws.checklist.filter((i) => ticked.has(i)).length, checklistTotal: ws.checklist.length });
  return { ok: true, workstreamId: wsId, name: ws.name, zone: zoneOf(deps, wsId), percent, lines };
}
