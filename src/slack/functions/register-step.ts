import type { App } from '@slack/bolt';
import { runStepOnce, STEP_CRASHED, type StepOutcome } from '../../services/workflow-steps/runs.js';
import type { SlackContext } from '../context.js';
import { runnerOf, type StepInputs } from './inputs.js';

/** What a step's `act` gets: its inputs, who runs the workflow, and Slack's id of this execution. */
export interface StepCall {
  inputs: StepInputs;
  /** The `user_context` input's user, or null when the workflow gives none. */
  runner: string | null;
  functionExecutionId: string;
}

/** One Workflow Builder custom step: its callback id (the manifests' `functions:` key) and what it does. */
export interface WorkflowStep {
  callbackId: string;
  /** Does the step's work through the services; returns the outputs or the author-facing error. Never called twice per execution. */
  act(ctx: SlackContext, call: StepCall): Promise<StepOutcome>;
}

/**
 * Registers `step` with Bolt's `app.function(callbackId, …)` (docs.slack.dev/tools/bolt-js/concepts/custom-steps):
 * Bolt acks the `function_executed` delivery first (autoAcknowledge), then the step runs once per
 * `function_execution_id` (services/workflow-steps/runs.ts) and answers with `complete({ outputs })` or
 * `fail({ error })`. A delivery Slack retries answers with the stored outcome; Slack's `execution_not_in_running_state`
 * (already answered) is logged, not an error.
 */
export function registerStep(app: App, ctx: SlackContext, step: WorkflowStep): void {
  const { deps } = ctx;
  app.function(step.callbackId, async ({ inputs, body, complete, fail }) => {
    const functionExecutionId = String((body.event as { function_execution_id?: unknown }).function_execution_id ?? '');
    const call: StepCall = { inputs: (inputs ?? {}) as StepInputs, runner: runnerOf((inputs ?? {}) as StepInputs), functionExecutionId };
    let outcome: StepOutcome | null;
    try {
      outcome = await runStepOnce(deps, { functionExecutionId, callbackId: step.callbackId, userId: call.runner }, () => step.act(ctx, call));
    } catch (err) {
      deps.log.error({ err, step: step.callbackId, execution: functionExecutionId }, 'could not claim the workflow step run');
      outcome = { ok: false, error: STEP_CRASHED };
    }
    if (!outcome) return; // another delivery of this execution is running it and answers Slack
    try {
      if (outcome.ok) await complete({ outputs: outcome.outputs });
      else await fail({ error: outcome.error });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'execution_not_in_running_state') deps.log.info({ step: step.callbackId, execution: functionExecutionId }, 'workflow step already answered');
      else deps.log.warn({ step: step.callbackId, execution: functionExecutionId, err: (err as Error).message }, 'could not answer Slack for a workflow step');
    }
  });
}
