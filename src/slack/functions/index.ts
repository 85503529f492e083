import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { gonogoVerdictStep } from './gonogo-verdict.js';
import { raiseBlockerStep } from './raise-blocker.js';
import { recordTaskProgressStep } from './record-task-progress.js';
import { registerStep, type WorkflowStep } from './register-step.js';
import { signOffGateStep } from './sign-off-gate.js';
import { startCheckinStep } from './start-checkin.js';

/** Preflight's Workflow Builder custom steps (issue 24), each declared under `functions:` in both manifests. */
export const WORKFLOW_STEPS: readonly WorkflowStep[] = [raiseBlockerStep, signOffGateStep, gonogoVerdictStep, startCheckinStep, recordTaskProgressStep];

/** Registers every workflow step with `app.function` (register-step.ts). */
export function registerWorkflowSteps(app: App, ctx: SlackContext): void {
  for (const step of WORKFLOW_STEPS) registerStep(app, ctx, step);
}
