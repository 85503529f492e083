import { shortId } from '../../domain/blockers/blocker.js';
import { parseSeverity, SEVERITIES } from '../../domain/program/severities.js';
import { raiseBlocker } from '../../services/blockers/raise.js';
import { blockerMessageLink } from '../../services/workflow-steps/links.js';
import { failWith, NO_RUNNER, textInput, workstreamInput } from './inputs.js';
import type { WorkflowStep } from './register-step.js';

/**
 * "Raise a blocker" (callback id `raise_blocker`): inputs `text` (required), `severity` (P0/P1/P2, default
 * `escalation.default_severity`), `workstream` (an id; default the runner's workstream), `owner` (a user), `gate`
 * (a gate id), `user_context` (the reporter). Raises it as `/blocker` does (source `workflow`), posts its channel
 * message, and outputs `blocker_id` ("B-42") and `permalink` (left out when the message is not posted within
 * services/workflow-steps/links.ts STEP_POST_WAIT_MS; it still goes out).
 * Fails on: no runner, empty text, an unknown severity, workstream or gate (listing the valid ones).
 */
export const raiseBlockerStep: WorkflowStep = {
  callbackId: 'raise_blocker',
  async act({ deps }, { inputs, runner }) {
    if (!runner) return failWith(NO_RUNNER);
    const text = textInput(inputs, 'text');
    if (!text) return failWith('The blocker has no text: set the step’s “What is blocked” input.');
    const severityText = textInput(inputs, 'severity');
    const severity = severityText ? parseSeverity(severityText) : undefined;
    if (severityText && !severity) return failWith(`“${severityText}” is not a severity: set the step’s severity to ${SEVERITIES.join(', ')}.`);
    const wsText = textInput(inputs, 'workstream');
    const ws = wsText ? workstreamInput(deps.config.workstreams, wsText) : undefined;
    if (ws && !ws.ok) return failWith(ws.error);
    const res = await raiseBlocker(
      deps,
      { reporter: runner, text, severity, owner: textInput(inputs, 'owner'), workstreamId: ws?.id, gateId: textInput(inputs, 'gate'), source: 'workflow' },
      { deferWakeups: true },
    );
    if (!res.ok) return failWith(res.message.replace('Add `ws:<id>`', 'Set the step’s workstream'));
    const permalink = await blockerMessageLink(deps, res.blocker.id);
    await res.wake?.().catch((err) => deps.log.warn({ blocker: res.blocker.id, err: (err as Error).message }, 'could not wake the blocker jobs; the sweeper will'));
    return { ok: true, outputs: { blocker_id: shortId(res.blocker.id), ...(permalink ? { permalink } : {}) } };
  },
};
