import type { StepOutcome } from '../../services/workflow-steps/runs.js';

/** A step's `inputs` as Slack sends them in the `function_executed` event (keys: the manifest's `input_parameters`). */
export type StepInputs = Record<string, unknown>;

/** A failed outcome: what the workflow's author reads in Slackbot's message. */
export const failWith = (error: string): StepOutcome => ({ ok: false, error });

/**
 * A text input, trimmed; undefined when absent or blank (Workflow Builder sends an optional input left empty as
 * absent or as an empty string).
 */
export function textInput(inputs: StepInputs, name: string): string | undefined {
  const v = inputs[name];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * The person running the workflow: the `user_context` input (type `slack#/types/user_context`, which Slack sends as
 * `{ id: "U…", secret: "…" }`; docs.slack.dev/reference/objects/user-context), or null when the workflow gives none.
 */
export function runnerOf(inputs: StepInputs): string | null {
  const v = inputs.user_context;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return typeof v === 'string' && v ? v : null;
}

/** The failure when a step that checks who may act has no `user_context` input mapped. */
export const NO_RUNNER = 'This step needs to know who runs the workflow: set its “Person running the workflow” input to “Person who used this workflow”.';

/**
 * A percent input: an integer 0–100 (Slack sends an `integer` input as a number; a number typed as text is read too).
 * @returns the percent, or the error naming the input and the range.
 */
export function percentInput(inputs: StepInputs, name: string): { ok: true; percent: number } | { ok: false; error: string } {
  const raw = inputs[name];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 100) {
    return { ok: false, error: `“${raw === undefined || raw === '' ? '(empty)' : String(raw)}” is not a percent: set the step's “${name}” input to a whole number from 0 to 100.` };
  }
  return { ok: true, percent: n };
}

/**
 * A workstream id input checked against preflight.yml's workstreams.
 * @returns the id, or the error listing the valid ids (with names), as the author needs them in Workflow Builder.
 */
export function workstreamInput(workstreams: Record<string, { name: string }>, id: string): { ok: true; id: string } | { ok: false; error: string } {
  if (workstreams[id]) return { ok: true, id };
  const valid = Object.entries(workstreams).map(([k, w]) => `${k} (${w.name})`);
  return { ok: false, error: `There is no workstream “${id}” in preflight.yml. Set the step's workstream to one of: ${valid.join(', ') || 'none configured'}.` };
}
