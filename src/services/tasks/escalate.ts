import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { TaskConfig, WorkspaceConfig } from '../../config/workspace.js';
import { blockers, trackerIssues } from '../../db/schema/index.js';
import type { EscalationPolicy, LadderLevel, Severity } from '../../domain/blockers/ladder.js';
import type { Task } from '../../domain/tasks/tasks.js';
import type { Deps } from '../deps.js';
import { actOnBlocker } from '../blockers/act.js';
import { ladderOf, policyFor } from '../blockers/policy.js';
import { raiseBlocker } from '../blockers/raise.js';
import { findTask, taskCatalog } from './catalog.js';

/**
 * The ladder of a task that writes no `priority` in a config without `tasks.escalation` (issue 10, kept as it was):
 * minutes after the due time at which the workstream's leads, then the PM, are told (the owner is told at the due time).
 */
export const DEFAULT_TASK_LADDER_MINUTES = { lead: 30, pm: 60 } as const;

/** How a task not done by its due time escalates: the blocker's severity, its frozen policy, and where the ladder comes from. */
export interface TaskEscalation {
  /** The task's priority (P1 when it writes none). */
  severity: Severity;
  /** Level 0 is the owner at the due time; the ladder's `afterMs` count from the escalation (raised at the due time). */
  policy: EscalationPolicy;
  /** Where the levels after the owner's come from, as the preview and the docs name it: `tasks.escalation`, `escalation.ladders.P0`, `the default P0 ladder` or `the default task ladder`. */
  ladder: string;
}

/**
 * The one rule for a task's due-time escalation, read by the escalation itself (`escalateTaskIfDue`) and by the
 * preview (services/preview/build.ts), so the two cannot disagree (issue 18, defect 10). The owner is told at the due
 * time, then:
 * 1. `tasks.escalation` when the config has it: every task's ladder, whatever its priority;
 * 2. else, for a task that writes a `priority`, that severity's ladder as a blocker's (`escalation.ladders.<P>`, else
 *    DEFAULT_LADDERS), e.g. seed 000's "Team lead (5 min) → Managing Engineer (5 min) → exec (15 min)";
 * 3. else the ladder tasks always had: the workstream's leads 30 minutes after the due time, the PM an hour after.
 * Cases 1 and 2 take `escalation.stop_when` and `escalation.repeat` like a blocker; case 3 stops when resolved and
 * does not repeat, as before. The severity is the task's priority (P1 when it writes none) in every case.
 *
 * A tracker task whose assignee is not in Slack (`owner_unmatched`, issue 21) skips the owner's level: its first
 * level tells the workstream's leads (`lead`) at the due time, and a later level that would tell the leads alone
 * again is left out (they already know); the other levels keep their times (counted from the escalation).
 */
export function taskEscalation(config: WorkspaceConfig, task: Pick<TaskConfig, 'owner' | 'priority' | 'priority_given' | 'owner_unmatched'>): TaskEscalation {
  const severity = task.priority;
  const unmatched = Boolean(task.owner_unmatched);
  const first: LadderLevel = { afterMs: 0, notify: unmatched ? 'lead' : [task.owner] };
  const withFirst = (rest: readonly LadderLevel[]): LadderLevel[] => [first, ...(unmatched ? rest.filter((l) => l.notify !== 'lead') : rest)];
  const custom = config.tasks.escalation;
  if (custom) {
    return { severity, ladder: 'tasks.escalation', policy: { ...policyFor(config, severity), ladder: withFirst(ladderOf(custom)) } };
  }
  if (task.priority_given) {
    const base = policyFor(config, severity);
    const ladder = config.escalation.ladders[severity] ? `escalation.ladders.${severity}` : `the default ${severity} ladder`;
    return { severity, ladder, policy: { ...base, ladder: withFirst(base.ladder) } };
  }
  return {
    severity,
    ladder: 'the default task ladder',
    policy: {
      ladder: withFirst([
        { afterMs: DEFAULT_TASK_LADDER_MINUTES.lead * 60_000, notify: 'lead' },
        { afterMs: DEFAULT_TASK_LADDER_MINUTES.pm * 60_000, notify: 'pm' },
      ]),
      stopWhen: 'resolved',
    },
  };
}

/**
 * Starts the due-time escalation of one task if it is overdue: a blocker of source `task` (one per task, by the
 * unique key `blockers_task_due_key`, so two processes or a retry after a crash raise it once) at the task's
 * priority, whose ladder (`taskEscalation`) runs through the blocker machinery (each notice reserved and sent once). Nothing for a task done, waiting on
 * its `requires`, without a due time, or not due yet, nor for a tracker task its tracker calls done whose state the
 * sync has not applied yet (`tracker_issues`).
 * @returns true when this call raised the escalation.
 */
export async function escalateTaskIfDue(deps: Deps, task: Task, doneIds: ReadonlySet<string>): Promise<boolean> {
  const now = deps.clock.now().toMillis();
  if (task.done || task.dueAt === null || task.dueAt > now || task.requires.some((r) => !doneIds.has(r))) return false;
  const [[exists], [doneInTracker]] = await Promise.all([
    deps.db
      .select({ id: blockers.id })
      .from(blockers)
      .where(and(eq(blockers.taskId, task.id), eq(blockers.source, 'task'))),
    // a tracker sync stores the issues, reloads the plan (the task appears, not done yet), then applies their states:
    // a tracker task its tracker already calls done is not escalated in between (the sync marks it done next; a sync
    // cut short, its catch-up). A preflight.yml task is never looked up (a key a removed source left there aside)
    task.source
      ? deps.db
          .select({ key: trackerIssues.key })
          .from(trackerIssues)
          .where(and(eq(trackerIssues.key, task.id), isNull(trackerIssues.deletedAt), sql`${trackerIssues.issue} -> 'done' = 'true'::jsonb`))
      : Promise.resolve([]),
  ]);
  if (exists || doneInTracker) return false;
  const declared = findTask(deps.config, task.id);
  if (!declared) return false;
  const { severity, policy } = taskEscalation(deps.config, declared.task);
  // the due time is the blocker's `due_at`, shown in each reader's zone (a text is stored once and read by many)
  const res = await raiseBlocker(deps, {
    reporter: deps.config.program.pm,
    // issue 21: the assignee is not in Slack, so the lead hears it first, and is told why
    text: `Task ${task.id} “${task.title}” is not done (${task.progress}%).${task.ownerUnmatched ? ` Its assignee is not in Slack (${task.ownerUnmatched}), so it comes to the lead.` : ''}`,
    dueAt: new Date(task.dueAt),
    severity,
    owner: task.owner,
    workstreamId: task.workstreamId,
    taskId: task.id,
    source: 'task',
    policy,
  });
  if (res.ok) deps.log.info({ task: task.id, blocker: res.blocker.id }, 'task overdue: escalation raised');
  return res.ok;
}

/** The `task-due` wake-up: escalates one task if it is due (a stale or early job does nothing). */
export async function escalateTaskById(deps: Deps, taskId: string): Promise<boolean> {
  const { tasks, doneIds } = await taskCatalog(deps);
  const task = tasks.find((t) => t.id === taskId);
  return task ? escalateTaskIfDue(deps, task, doneIds) : false;
}

/** Resolves (as the system) the open due-time escalation of a task that is done. @returns whether one was resolved. */
export async function stopTaskEscalation(deps: Deps, taskId: string, actor: string): Promise<boolean> {
  const [open] = await deps.db
    .select({ id: blockers.id })
    .from(blockers)
    .where(and(eq(blockers.taskId, taskId), eq(blockers.source, 'task'), ne(blockers.status, 'resolved')));
  if (!open) return false;
  const res = await actOnBlocker(deps, open.id, actor, { kind: 'resolve' }, { asSystem: true });
  return res.ok;
}

/**
 * The sweep's half (Postgres is the truth; the `task-due` wake-up is only early): raises the escalation of every
 * overdue task, resolves those of tasks done meanwhile (a crash between the task's commit and the resolve), and
 * asks for a `task-due` wake-up at the due time of each open task due within the next hour.
 * @returns how many escalations were raised and resolved.
 */
export async function sweepTasks(deps: Deps): Promise<{ raised: number; stopped: number }> {
  const { tasks, doneIds } = await taskCatalog(deps);
  if (!tasks.length) return { raised: 0, stopped: 0 };
  let raised = 0;
  let stopped = 0;
  const now = deps.clock.now().toJSDate();
  const soon: { taskId: string; dueAt: Date; now: Date }[] = [];
  const open = await deps.db
    .select({ taskId: blockers.taskId })
    .from(blockers)
    .where(and(eq(blockers.source, 'task'), ne(blockers.status, 'resolved')));
  const escalating = new Set(open.map((o) => o.taskId));
  for (const task of tasks) {
    if (task.done) {
      if (escalating.has(task.id) && (await stopTaskEscalation(deps, task.id, task.owner))) stopped++;
      continue;
    }
    if (task.dueAt === null) continue;
    if (task.dueAt <= now.getTime()) {
      if (!escalating.has(task.id) && (await escalateTaskIfDue(deps, task, doneIds))) raised++;
    } else if (task.dueAt - now.getTime() <= 3_600_000) soon.push({ taskId: task.id, dueAt: new Date(task.dueAt), now });
  }
  if (soon.length) await deps.wakeups.taskDue(soon);
  return { raised, stopped };
}
