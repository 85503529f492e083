import { and, eq } from 'drizzle-orm';
import { workflowStepRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

/**
 * What a Workflow Builder step answers Slack: `functions.completeSuccess` with `outputs` (named as the step's
 * `output_parameters` in the manifests), or `functions.completeError` with `error`, a sentence the workflow's
 * author can act on (Slack shows it to them in a Slackbot message; docs.slack.dev/reference/methods/functions.completeError).
 */
export type StepOutcome = { ok: true; outputs: Record<string, string | number> } | { ok: false; error: string };

/** Which execution a step runs for: Slack's `function_execution_id`, the step's callback id, and who ran the workflow. */
export interface StepRun {
  functionExecutionId: string;
  callbackId: string;
  /** The person running the workflow (the `user_context` input), null when the workflow gives none. */
  userId: string | null;
}

/**
 * How long a claimed run may stay `running` before a later delivery of the same execution takes it as interrupted
 * (the process died mid-step), ms. Every step answers in seconds; Slack retries a lost `function_executed` delivery
 * at once, after 1 minute and after 5 minutes (docs.slack.dev/apis/events-api/#retries), so the 5-minute retry finds it stale.
 */
export const STALE_RUN_MS = 2 * 60_000;

/** The answer to a retry that finds the run interrupted: the step may or may not have acted, so it says what to check. */
export const INTERRUPTED =
  'Preflight was interrupted while running this step, so it may or may not have been done. Check in Slack (the blocker, gate, check-in or task it was about) before running the workflow again.';

/** The answer when the step threw (database or Slack not answering): nothing is known to have changed. */
export const STEP_CRASHED = 'Preflight could not finish this step (its database or Slack did not answer). Try the workflow again in a minute.';

/**
 * Runs a workflow step exactly once per `function_execution_id`:
 * - the first delivery claims the run (a `workflow_step_runs` row, status running), runs `act`, stores its outcome and
 *   returns it; if `act` throws, the run is stored failed with {@link STEP_CRASHED};
 * - a later delivery (Slack's retry, another replica) of a finished run returns the stored outcome without acting;
 * - one of a run still `running` returns null (the first delivery answers Slack), unless the claim is older than
 *   {@link STALE_RUN_MS}: then the run is stored failed with {@link INTERRUPTED} and that is returned (never acted twice).
 * @returns the outcome to send Slack, or null when another delivery is answering it.
 * @throws when Postgres does not answer the claim (nothing was done; the caller fails the step).
 */
export async function runStepOnce(deps: Pick<Deps, 'db' | 'clock' | 'log'>, run: StepRun, act: () => Promise<StepOutcome>): Promise<StepOutcome | null> {
  const now = deps.clock.now().toJSDate();
  const [claimed] = await deps.db
    .insert(workflowStepRuns)
    .values({ functionExecutionId: run.functionExecutionId, callbackId: run.callbackId, userId: run.userId, status: 'running', startedAt: now })
    .onConflictDoNothing()
    .returning({ id: workflowStepRuns.functionExecutionId });
  if (!claimed) return earlierOutcome(deps, run, now);
  let outcome: StepOutcome;
  try {
    outcome = await act();
  } catch (err) {
    deps.log.error({ err, step: run.callbackId, execution: run.functionExecutionId }, 'workflow step failed');
    outcome = { ok: false, error: STEP_CRASHED };
  }
  await finish(deps, run.functionExecutionId, outcome);
  deps.log.info({ step: run.callbackId, execution: run.functionExecutionId, ok: outcome.ok }, 'workflow step run');
  return outcome;
}

/** The stored outcome of a run another delivery claimed (see {@link runStepOnce}). */
async function earlierOutcome(deps: Pick<Deps, 'db' | 'clock' | 'log'>, run: StepRun, now: Date): Promise<StepOutcome | null> {
  const [row] = await deps.db.select().from(workflowStepRuns).where(eq(workflowStepRuns.functionExecutionId, run.functionExecutionId));
  if (!row) return null;
  deps.log.info({ step: run.callbackId, execution: run.functionExecutionId, status: row.status }, 'workflow step delivered again: answered from its stored outcome');
  if (row.status === 'completed') return { ok: true, outputs: row.outputs ?? {} };
  if (row.status === 'failed') return { ok: false, error: row.error ?? STEP_CRASHED };
  if (now.getTime() - row.startedAt.getTime() < STALE_RUN_MS) return null;
  const interrupted: StepOutcome = { ok: false, error: INTERRUPTED };
  const [taken] = await deps.db
    .update(workflowStepRuns)
    .set({ status: 'failed', error: INTERRUPTED, finishedAt: now })
    .where(and(eq(workflowStepRuns.functionExecutionId, run.functionExecutionId), eq(workflowStepRuns.status, 'running')))
    .returning({ id: workflowStepRuns.functionExecutionId });
  return taken ? interrupted : earlierOutcome(deps, run, now);
}

async function finish(deps: Pick<Deps, 'db' | 'clock'>, functionExecutionId: string, outcome: StepOutcome): Promise<void> {
  const finishedAt = deps.clock.now().toJSDate();
  await deps.db
    .update(workflowStepRuns)
    .set(outcome.ok ? { status: 'completed', outputs: outcome.outputs, finishedAt } : { status: 'failed', error: outcome.error, finishedAt })
    .where(eq(workflowStepRuns.functionExecutionId, functionExecutionId));
}
