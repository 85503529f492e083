import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Changes made from Slack on top of preflight.yml (issue 20, "Replan from Slack"; migration 0014), and their audit:
 * a row is never deleted. `kind`: `task_add` (value: the whole task as preflight.yml writes it, in `workstream_id`),
 * `task_due` / `gate_due` (value: a local date-time such as "2026-12-06T16:00"), `task_owner` (value: a user id),
 * `task_drop` (value null). `file_value`: the file's value of that field when the override was made (null for
 * `task_add`; the task as written for `task_drop`), so a later file that changes the field wins (config/overrides.ts).
 * Active while `dropped_at` is null; a drop says who (`file` when the file won, or a user id) and why.
 */
export const planOverrides = pgTable(
  'plan_overrides',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['task_add', 'task_due', 'task_owner', 'task_drop', 'gate_due'] }).notNull(),
    target: text('target').notNull(),
    workstreamId: text('workstream_id'),
    value: jsonb('value'),
    fileValue: jsonb('file_value'),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    droppedAt: ts('dropped_at'),
    droppedBy: text('dropped_by'),
    dropReason: text('drop_reason'),
  },
  (t) => [
    index('plan_overrides_active_idx').on(t.id).where(sql`${t.droppedAt} is null`),
    check('plan_overrides_kind_check', sql`${t.kind} in ('task_add', 'task_due', 'task_owner', 'task_drop', 'gate_due')`),
  ],
);
