import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The state of each configured task (preflight.yml declares the tasks; no row = open at 0%). `progress` is the
 * last reported percent (100 once done).
 */
export const taskStates = pgTable('task_states', {
  taskId: text('task_id').primaryKey(),
  workstreamId: text('workstream_id').notNull(),
  status: text('status').$type<'open' | 'done'>().notNull().default('open'),
  progress: integer('progress').notNull().default(0),
  doneAt: ts('done_at'),
  doneBy: text('done_by'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export type TaskEventKind = 'progress' | 'done' | 'reopened' | 'blocked';

/** Every change to a task, with who and when (for the digest's trend and the export). */
export const taskEvents = pgTable(
  'task_events',
  {
    id: serial('id').primaryKey(),
    taskId: text('task_id').notNull(),
    workstreamId: text('workstream_id').notNull(),
    kind: text('kind').$type<TaskEventKind>().notNull(),
    progress: integer('progress'),
    actor: text('actor').notNull(),
    /** Where the change came from: the `/task` command, a check-in answer (DM or modal), the task's tracker (issue 21). */
    via: text('via').$type<'command' | 'checkin' | 'tracker'>().notNull(),
    /** The blocker a `blocked` event raised. */
    blockerId: integer('blocker_id'),
    at: ts('at').notNull(),
  },
  (t) => [index('task_events_at_idx').on(t.at), index('task_events_task_idx').on(t.taskId, t.id)],
);
