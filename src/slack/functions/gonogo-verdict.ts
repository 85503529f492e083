import { verdictForStep } from '../../services/workflow-steps/verdict.js';
import type { WorkflowStep } from './register-step.js';

/**
 * "Get the go/no-go verdict" (callback id `gonogo_verdict`): no inputs needed (`user_context` is recorded when mapped;
 * anyone may ask, as with `/gonogo`). Outputs `verdict` (GO, CONDITIONAL GO or NO-GO, for a workflow's branch),
 * `percent` (0–100), `reasons` (one per line) and `permalink` (the summary posted once in the program channel for this
 * run; left out when not posted within services/workflow-steps/links.ts STEP_POST_WAIT_MS).
 */
export const gonogoVerdictStep: WorkflowStep = {
  callbackId: 'gonogo_verdict',
  async act({ deps }, { functionExecutionId }) {
    const v = await verdictForStep(deps, functionExecutionId);
    return {
      ok: true,
      outputs: { verdict: v.decision, percent: v.percent, reasons: v.reasons.join('\n') || 'Every gate passed and every checklist is done.', ...(v.permalink ? { permalink: v.permalink } : {}) },
    };
  },
};
