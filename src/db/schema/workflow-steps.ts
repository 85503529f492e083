import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** running (claimed, the step is acting) → completed (outputs stored) or failed (error stored). */
export type WorkflowStepStatus = 'running' | 'completed' | 'failed';

/**
 * One row per run of a Workflow Builder custom step (issue 24, services/workflow-steps/runs.ts), keyed by Slack's
 * `function_execution_id` (the `function_executed` event's): claimed before the step acts, its outcome stored after,
 * so a delivery Slack retries (or a second replica) answers with the stored outcome and never acts twice.
 * `outputs`: what `functions.completeSuccess` was given; `error`: what `functions.completeError` was given.
 */
export const workflowStepRuns = pgTable('workflow_step_runs', {
  functionExecutionId: text('function_execution_id').primaryKey(),
  callbackId: text('callback_id').notNull(),
  userId: text('user_id'),
  status: text('status').$type<WorkflowStepStatus>().notNull(),
  outputs: jsonb('outputs').$type<Record<string, string | number>>(),
  error: text('error'),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
});
