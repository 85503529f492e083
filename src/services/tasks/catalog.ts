import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { TaskConfig, WorkspaceConfig } from '../../config/workspace.js';
import { gateStates, taskStates } from '../../db/schema/index.js';
import { workstreamZone } from '../../domain/program/program.js';
import type { Task } from '../../domain/tasks/tasks.js';
import type { Deps } from '../deps.js';

/** A configured task with its workstream. */
export interface ConfiguredTask {
  workstreamId: string;
  task: TaskConfig;
}

/** Every task of preflight.yml, in workstream then declaration order. */
export function configuredTasks(config: WorkspaceConfig): ConfiguredTask[] {
  return Object.entries(config.workstreams).flatMap(([workstreamId, ws]) => ws.tasks.map((task) => ({ workstreamId, task })));
}

/** The configured task with this id (exact spelling), or undefined. */
export function findTask(config: WorkspaceConfig, taskId: string): ConfiguredTask | undefined {
  return configuredTasks(config).find((t) => t.task.id === taskId);
}

/**
 * A task's due instant as Unix ms: its `due` (local date-time) in the workstream's zone, else the program's.
 * @returns null when the task has no `due`.
 */
export function taskDueAt(config: WorkspaceConfig, workstreamId: string, due: string | undefined): number | null {
  if (!due) return null;
  const zone = workstreamZone(config, workstreamId);
  return DateTime.fromISO(due, { zone }).toMillis();
}

/** The tasks with their state, and the ids of everything done (tasks done, gates passed) that `requires` may name. */
export interface TaskCatalog {
  tasks: Task[];
  doneIds: Set<string>;
}

/** Loads every task's state (no row = open at 0%) and the passed gates, in two queries. */
export async function taskCatalog(deps: Pick<Deps, 'db'> & { config: WorkspaceConfig }): Promise<TaskCatalog> {
  const states = await deps.db.select().from(taskStates);
  const byId = new Map(states.map((s) => [s.taskId, s]));
  const passed = await deps.db.select({ id: gateStates.gateId }).from(gateStates).where(eq(gateStates.status, 'passed'));
  const tasks: Task[] = configuredTasks(deps.config).map(({ workstreamId, task }) => {
    const s = byId.get(task.id);
    const done = s?.status === 'done';
    return {
      id: task.id,
      workstreamId,
      title: task.title,
      owner: task.owner,
      dueAt: taskDueAt(deps.config, workstreamId, task.due),
      estimate: task.estimate,
      priority: task.priority,
      requires: task.requires,
      done,
      progress: done ? 100 : (s?.progress ?? 0),
      url: task.url ?? null,
      source: task.source?.label ?? null,
      ownerUnmatched: task.owner_unmatched ?? null,
    };
  });
  const doneIds = new Set([...tasks.filter((t) => t.done).map((t) => t.id), ...passed.map((g) => g.id)]);
  return { tasks, doneIds };
}
