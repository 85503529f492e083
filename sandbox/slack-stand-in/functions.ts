/**
 * Slack's side of Workflow Builder custom steps (issue 24), as Slack documents it, shared by the in-process nock fake
 * (test/support/slack-nock.ts) and the stand-in (web-api.ts):
 * - {@link functionExecutedBody}: the Events API delivery of a `function_executed` event
 *   (docs.slack.dev/reference/events/function_executed): `event.function` (its `callback_id`, declared parameters),
 *   `event.inputs`, `event.function_execution_id`, `event.workflow_execution_id`, `event.bot_access_token` (a
 *   workflow token, `xwfp-…`, that Bolt's client uses for the step's calls);
 * - {@link FunctionExecutions}: `functions.completeSuccess` / `functions.completeError`
 *   (docs.slack.dev/reference/methods/functions.completeSuccess, .completeError): an execution is completed once;
 *   again → `execution_not_in_running_state`; unknown → `function_execution_not_found`; a success missing a required
 *   output → `parameter_validation_failed`.
 */

/** One parameter as Slack lists it in `event.function.input_parameters` / `output_parameters`. */
export interface FunctionParameter {
  name: string;
  type: string;
  title?: string;
  is_required?: boolean;
}

/** What the workflow's step was given, to build its delivery. */
export interface FunctionExecutedArgs {
  callbackId: string;
  inputs: Record<string, unknown>;
  /** Default a fresh `Fx…` id; pass the same one to stand for Slack retrying the same execution. */
  functionExecutionId?: string;
  /** Default a fresh `Ev…` id; Slack's retry of a lost delivery repeats it. */
  eventId?: string;
  teamId?: string;
  appId?: string;
  /** The step's declared outputs (from the manifest): required ones are checked on completeSuccess. */
  outputParameters?: FunctionParameter[];
  inputParameters?: FunctionParameter[];
  /** Epoch ms of the event (default now). */
  now?: number;
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(++seq).toString(36).toUpperCase().padStart(4, '0')}`;

/** The input of type `slack#/types/user_context` for `userId`, as Slack sends it (`{ id, secret }`). */
export const userContext = (userId: string) => ({ id: userId, secret: `secret-${userId}` });

/**
 * The JSON body Slack POSTs for a `function_executed` event (Events API `event_callback` wrapper with `event_id`,
 * `team_id`, `authorizations`), documented at docs.slack.dev/reference/events/function_executed.
 */
export function functionExecutedBody(args: FunctionExecutedArgs): Record<string, any> {
  const now = args.now ?? Date.now();
  const teamId = args.teamId ?? 'T0PREFLIGHT';
  const appId = args.appId ?? 'A0PREFLIGHT';
  const eventTs = (now / 1000).toFixed(6);
  return {
    token: 'verification-token-unused',
    team_id: teamId,
    api_app_id: appId,
    event: {
      type: 'function_executed',
      function: {
        id: `Fn${args.callbackId
          .replace(/[^a-z]/gi, '')
          .toUpperCase()
          .slice(0, 8)}`,
        callback_id: args.callbackId,
        title: args.callbackId,
        description: '',
        type: 'app',
        input_parameters: args.inputParameters ?? Object.keys(args.inputs).map((name) => ({ name, type: 'string', is_required: false })),
        output_parameters: args.outputParameters ?? [],
        app_id: appId,
        date_created: Math.floor(now / 1000) - 86_400,
        date_updated: Math.floor(now / 1000) - 86_400,
        date_deleted: 0,
      },
      inputs: args.inputs,
      function_execution_id: args.functionExecutionId ?? nextId('Fx'),
      workflow_execution_id: nextId('Wx'),
      event_ts: eventTs,
      bot_access_token: `xwfp-${teamId}-${nextId('')}`,
    },
    type: 'event_callback',
    event_id: args.eventId ?? nextId('Ev'),
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'UBOTPREFLIGHT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** How an execution stands on Slack's side. */
export interface StoredExecution {
  callbackId: string;
  state: 'running' | 'completed' | 'failed';
  outputs?: Record<string, unknown>;
  error?: string;
  requiredOutputs: string[];
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export class FunctionExecutions {
  readonly executions = new Map<string, StoredExecution>();

  /** Records that Slack started this execution (call with the body {@link functionExecutedBody} built); a repeat keeps its state. */
  started(body: Record<string, any>): void {
    const e = body.event ?? {};
    const id = String(e.function_execution_id ?? '');
    if (!id || this.executions.has(id)) return;
    const required = ((e.function?.output_parameters ?? []) as FunctionParameter[]).filter((p) => p.is_required).map((p) => p.name);
    this.executions.set(id, { callbackId: String(e.function?.callback_id ?? ''), state: 'running', requiredOutputs: required });
  }

  /** The answer to a functions.* method, or null for any other method. */
  answer(method: string, args: Record<string, unknown>): Record<string, unknown> | null {
    if (method !== 'functions.completeSuccess' && method !== 'functions.completeError') return null;
    const id = String(args.function_execution_id ?? '');
    const execution = this.executions.get(id);
    if (!execution) return { ok: false, error: 'function_execution_not_found' };
    if (execution.state !== 'running') return { ok: false, error: 'execution_not_in_running_state' };
    if (method === 'functions.completeError') {
      if (typeof args.error !== 'string' || !args.error) return { ok: false, error: 'invalid_arguments' };
      execution.state = 'failed';
      execution.error = args.error;
      return { ok: true };
    }
    const outputs = (json(args.outputs) ?? {}) as Record<string, unknown>;
    const missing = execution.requiredOutputs.filter((n) => outputs[n] === undefined || outputs[n] === null || outputs[n] === '');
    if (missing.length) return { ok: false, error: 'parameter_validation_failed', errors: missing.map((n) => ({ code: 'required_output_missing', pointer: `/outputs/${n}` })) };
    execution.state = 'completed';
    execution.outputs = outputs;
    return { ok: true };
  }
}
