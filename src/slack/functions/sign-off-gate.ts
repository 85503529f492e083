import { gateFacts } from '../../services/gonogo/facts.js';
import { signOffGate } from '../../services/gonogo/gates.js';
import { resultText } from '../blocks/refusal.js';
import { failWith, NO_RUNNER, textInput } from './inputs.js';
import type { WorkflowStep } from './register-step.js';

/**
 * "Sign off a gate" (callback id `sign_off_gate`): inputs `gate` (a gate id, required), `note`, `user_context`. Signs
 * the gate off as `/gonogo signoff <gate>` does (services/gonogo/gates.ts signOffGate) for the person running the
 * workflow, who must hold the gate's sign-off authority: else the step fails with the command's words ("Only the
 * sign-off authority of “…” can sign it off: @…"). Outputs `status` (passed, or signed while a joint sign-off waits
 * for others) and `message` (the command's answer). Fails on: no runner, an unknown gate, a gate already passed, a
 * required gate not passed yet.
 */
export const signOffGateStep: WorkflowStep = {
  callbackId: 'sign_off_gate',
  async act({ deps }, { inputs, runner }) {
    if (!runner) return failWith(NO_RUNNER);
    const gate = textInput(inputs, 'gate');
    if (!gate) return failWith(`The step has no gate: set its “Gate” input to one of: ${deps.config.gates.map((g) => g.id).join(', ') || 'none configured'}.`);
    const res = await signOffGate(deps, gate, runner, 'passed', textInput(inputs, 'note') ?? null);
    if (!res.ok) return failWith(resultText(res));
    const passed = (await gateFacts(deps)).find((g) => g.id === gate)?.status === 'passed';
    return { ok: true, outputs: { status: passed ? 'passed' : 'signed', message: res.message } };
  },
};
