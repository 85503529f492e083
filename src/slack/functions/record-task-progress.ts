import { updateTask } from '../../services/tasks/update.js';
import { refusalText } from '../blocks/refusal.js';
import { failWith, NO_RUNNER, percentInput, textInput } from './inputs.js';
import type { WorkflowStep } from './register-step.js';

/**
 * "Record a task's progress" (callback id `record_task_progress`): inputs `task` (a task id, required), `percent`
 * (an integer 0–100, required), `user_context`. Records it as `/task progress <task> <percent>` does
 * (services/tasks/update.ts): the task's owner, its workstream's leads or the PM, else the command's refusal.
 * Outputs `task`, `percent` and `message`. Fails on: no runner, an unknown task, a percent out of range, not allowed,
 * a task already done.
 */
export const recordTaskProgressStep: WorkflowStep = {
  callbackId: 'record_task_progress',
  async act({ deps }, { inputs, runner }) {
    if (!runner) return failWith(NO_RUNNER);
    const task = textInput(inputs, 'task');
    if (!task) return failWith('The step has no task: set its “Task” input to a task id from preflight.yml (like PAY-3).');
    const percent = percentInput(inputs, 'percent');
    if (!percent.ok) return failWith(percent.error);
    const res = await updateTask(deps, task, runner, { kind: 'progress', percent: percent.percent });
    if (!res.ok) return failWith('refusal' in res ? refusalText(res.refusal) : res.message);
    await res.after().catch((err) => deps.log.warn({ task, err: (err as Error).message }, 'task follow-ups failed; the sweeper will redo them'));
    return { ok: true, outputs: { task, percent: percent.percent, message: res.message } };
  },
};
