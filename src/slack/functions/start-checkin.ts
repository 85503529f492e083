import { startNow } from '../../services/checkins/start-now.js';
import { refusalText } from '../blocks/refusal.js';
import { failWith, NO_RUNNER, textInput, workstreamInput } from './inputs.js';
import type { WorkflowStep } from './register-step.js';

/**
 * "Start a check-in" (callback id `start_checkin`): inputs `workstream` (an id, required), `checkin` (a check-in id;
 * needed when the workstream has several), `user_context`. Starts today's run now as `/standup start <workstream>
 * [check-in]` does (services/checkins/start-now.ts): the workstream's leads or the PM only, else the command's refusal.
 * Outputs `run_id`, `prompted` (members prompted now) and `message`. Fails on: no runner, an unknown workstream or
 * check-in (listing the valid ones), not allowed, nobody to prompt, and today's run already started.
 */
export const startCheckinStep: WorkflowStep = {
  callbackId: 'start_checkin',
  async act({ deps }, { inputs, runner }) {
    if (!runner) return failWith(NO_RUNNER);
    const ws = workstreamInput(deps.config.workstreams, textInput(inputs, 'workstream') ?? '');
    if (!ws.ok) return failWith(ws.error);
    const checkin = textInput(inputs, 'checkin');
    const res = await startNow(deps, runner, ws.id, checkin);
    if (res.kind === 'forbidden') return failWith(refusalText(res.refusal));
    if (res.kind === 'which' || res.kind === 'unknown-checkin') {
      const head = res.kind === 'which' ? `${ws.id} has several check-ins.` : `${ws.id} has no check-in “${checkin}”.`;
      return failWith(`${head} Set the step’s check-in to one of: ${res.checkinIds.join(', ') || 'none'}.`);
    }
    const what = `${res.checkin.name}'s ${res.checkin.checkinId === 'standup' ? 'standup' : `check-in “${res.checkin.checkinName}”`}`;
    if (res.kind === 'no-members') return failWith(`${what} has nobody to prompt in preflight.yml (or its workstreams hold no check-ins today).`);
    if (!res.created) return failWith(`${what} already ran today (run ${res.runId}, ${res.status}). One run per check-in per day.`);
    return { ok: true, outputs: { run_id: String(res.runId), prompted: res.prompted, message: `Started ${what}: prompting ${res.prompted} member${res.prompted === 1 ? '' : 's'} now.` } };
  },
};
