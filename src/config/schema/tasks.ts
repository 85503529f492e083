import { z } from 'zod';
import { TRACKER_KINDS } from '../../domain/trackers/tracker-issue.js';
import { DEFAULT_TASK_PRIORITY, SEVERITIES } from '../../domain/program/severities.js';
import { ladderLevelSchema } from './escalation.js';
import { localDateTimeSchema, userIdSchema } from './fields.js';

/*
 * Tasks: each workstream's `tasks:` and the program-wide `tasks:` settings, and the rules across them (ids unique
 * across the program and apart from gate ids, `requires` without cycles, `expects` naming real tasks).
 */

/** A task id as people write it in seeds and commands ("O-3"): letters, digits, - and _; unique in the program. */
export const taskIdSchema = z
  .string({ error: 'expected a task id such as O-3' })
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'expected a task id such as O-3 (a letter, then letters, digits, - and _; max 40)');

/**
 * One task of a workstream (seed 000's "O-3: Email (Person C) - Due: 1 PM"; seed 002's queue "NOW: Rate Limiting
 * (2h) - P0"). `due` is a local date-time in the workstream's zone (else the program's); `estimate` in hours
 * weighs it in the workstream's % complete (domain/tasks/progress.ts); `requires` names tasks or gates that must
 * be done (passed) first. `priority` orders `/task` and, when written, picks the ladder of the task's due-time
 * escalation (services/tasks/escalate.ts `taskEscalation`): parsed as `priority` (P1 when left out) and
 * `priority_given` (whether it was written).
 */
export const taskSchema = z
  .strictObject({
    id: taskIdSchema,
    title: z.string().trim().min(1).max(200),
    owner: userIdSchema,
    due: localDateTimeSchema.optional(),
    estimate: z.number().positive('an estimate is a number of hours above 0').max(1_000).default(1),
    priority: z
      .enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` })
      .optional()
      .meta({
        default: DEFAULT_TASK_PRIORITY,
        description: "Orders /task (P0 first). When written, a task not done by its due time escalates on escalation.ladders' ladder of this severity (unless tasks.escalation is set)",
      }),
    requires: z.array(z.string()).default([]),
    /** A link to the task's page (a tracker issue, a doc): shown with the task wherever it appears. */
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) link' }).optional(),
    /** Set by `tasks_from` (issue 21) on the tasks it brings: the tracker and the source's label (`Jira LAUNCH`). Not written by hand. */
    source: z.strictObject({ tracker: z.enum(TRACKER_KINDS), label: z.string().min(1).max(120) }).optional(),
    /** Set by `tasks_from`: the assignee's email when no Slack user has it; `owner` is then the workstream's first lead and the task escalates to the lead from the first step. */
    owner_unmatched: z.email().optional(),
  })
  .transform(({ priority, ...task }) => ({ ...task, priority: priority ?? DEFAULT_TASK_PRIORITY, priority_given: priority !== undefined }));
export type TaskConfig = z.infer<typeof taskSchema>;

/** Program-wide task settings (the tasks themselves are under `workstreams.<id>.tasks`). */
export const taskSettingsSchema = z
  .strictObject({
    /**
     * The ladder of every task not done by its due time, whatever its priority: levels `{ after, notify }` like
     * `escalation.ladders`, `after` counting from the escalation (the due time). The owner is told at the due time first.
     */
    escalation: z.array(ladderLevelSchema).min(1).optional(),
  })
  .default({});

/** The parts of the parsed config the task rules read. */
interface TasksInConfig {
  program: { checkins: { expects?: string[] | undefined }[] };
  workstreams: Record<string, { tasks: TaskConfig[]; checkins?: { expects?: string[] | undefined }[] | undefined }>;
  tasks: { escalation?: { after: number }[] | undefined };
  gates: { id: string }[];
}

/**
 * Task rules: ids unique across the program (commands name a task alone: `/task done O-3`) and distinct from gate
 * ids; `requires` names a task or a gate, not the task itself, with no cycle; a check-in's `expects` names tasks
 * of its workstream (any workstream's for a program check-in); the levels of `tasks.escalation` come one after
 * another.
 */
export function checkTasks(cfg: TasksInConfig, ctx: z.RefinementCtx): void {
  const gateIds = new Set(cfg.gates.map((g) => g.id));
  const where = new Map<string, string>();
  const requires = new Map<string, string[]>();
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    ws.tasks.forEach((t, i) => {
      const other = where.get(t.id.toUpperCase());
      if (other !== undefined)
        ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'id'], message: `task id "${t.id}" is already used in workstream "${other}" (task ids are unique across the program)` });
      else if (gateIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'id'], message: `task id "${t.id}" is also a gate id; rename one` });
      where.set(t.id.toUpperCase(), wsId);
      requires.set(t.id, t.requires);
    });
  }
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    ws.tasks.forEach((t, i) => {
      t.requires.forEach((r, j) => {
        const at = ['workstreams', wsId, 'tasks', i, 'requires', j];
        if (r === t.id) ctx.addIssue({ code: 'custom', path: at, message: 'a task cannot require itself' });
        else if (!requires.has(r) && !gateIds.has(r)) ctx.addIssue({ code: 'custom', path: at, message: `no task or gate with id "${r}"` });
      });
      const seen = new Set<string>();
      const stack = t.requires.filter((r) => r !== t.id);
      let cycle = false;
      while (stack.length && !cycle) {
        const id = stack.pop()!;
        if (id === t.id) cycle = true;
        else if (!seen.has(id)) {
          seen.add(id);
          stack.push(...(requires.get(id) ?? []));
        }
      }
      if (cycle)
        ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'requires'], message: `task "${t.id}" requires itself through other tasks (a cycle): none of them could ever start` });
    });
    (ws.checkins ?? []).forEach((c, i) =>
      (c.expects ?? []).forEach((e, j) => {
        if (!ws.tasks.some((t) => t.id === e))
          ctx.addIssue({
            code: 'custom',
            path: ['workstreams', wsId, 'checkins', i, 'expects', j],
            message: `no task "${e}" in workstream "${wsId}" (${ws.tasks.map((t) => t.id).join(', ') || 'it has no tasks'})`,
          });
      }),
    );
  }
  cfg.program.checkins.forEach((c, i) =>
    (c.expects ?? []).forEach((e, j) => {
      if (!requires.has(e)) ctx.addIssue({ code: 'custom', path: ['program', 'checkins', i, 'expects', j], message: `no task "${e}" in any workstream` });
    }),
  );
  cfg.tasks.escalation?.forEach((l, i, levels) => {
    if (i > 0 && l.after <= levels[i - 1]!.after) {
      ctx.addIssue({ code: 'custom', path: ['tasks', 'escalation', i, 'after'], message: 'each level must come after the one before it (after counts from the task’s due time)' });
    }
  });
}
