import { taskStatus, type Task, type TaskStatus } from '../../domain/tasks/tasks.js';
import { workstreamZone } from '../../domain/program/program.js';
import type { Deps } from '../deps.js';
import { type OverrideChange, overridesOf, withBefore } from '../plan/overrides.js';
import { taskCatalog } from './catalog.js';

/** One change made to a task from Slack, as `/task show` lists it (oldest first). */
export type TaskChange = OverrideChange;

/** `/task show <id>`: the task as the running plan has it, where it stands, and every override made to it. */
export type TaskShowModel =
  | { ok: true; task: Task; status: TaskStatus; workstreamName: string; zone: string; changes: TaskChange[] }
  /** Not in the running plan (unknown, or dropped from Slack): its overrides still tell what happened to it. */
  | { ok: false; message: string; changes: TaskChange[]; zone: string };

/**
 * The task `taskId` (exact spelling) with its owner, due, estimate, requires, status and progress, and its overrides
 * (active and dropped), each with the value it replaced. Due times are shown in the workstream's zone.
 */
export async function showTask(deps: Deps, taskId: string): Promise<TaskShowModel> {
  const { tasks, doneIds } = await taskCatalog(deps);
  const rows = await overridesOf(deps.db, taskId);
  const changes = withBefore(rows);
  const task = tasks.find((t) => t.id === taskId);
  if (!task) return { ok: false, message: `${taskId} is not in the running plan.`, changes, zone: deps.config.program.timezone };
  const zone = workstreamZone(deps.config, task.workstreamId);
  return { ok: true, task, status: taskStatus(task, doneIds, deps.clock.now().toMillis()), workstreamName: deps.config.workstreams[task.workstreamId]!.name, zone, changes };
}
