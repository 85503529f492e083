import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SandboxBridge, type SandboxStep } from '../../sandbox/bridge.js';
import { functionExecutedBody, userContext } from '../../sandbox/slack-stand-in/functions.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';
import { eventually } from '../support/slack-nock.js';
import { withBot } from '../support/with-bot.js';

/*
 * Issue 24 on the real process over HTTP: a signed `function_executed` delivery is acked at once (200), the step runs
 * and completes through the stand-in's functions.completeSuccess; Slack's retry of the same delivery (same event_id,
 * X-Slack-Retry-Num) and a second delivery of the same execution (another event_id) are acked and change nothing.
 */
const CONFIG = aConfig({
  program: { name: 'Launch', pm: 'U0PM', channel: 'C0LAUNCH' },
  workstreams: [aWorkstream({ id: 'pay', name: 'Payments', channel: 'C0PAY', leads: ['U0LEAD'], members: ['U01'], tasks: [{ id: 'PAY-1', title: 'Refunds', owner: 'U01' }] })],
});

describe('a Workflow Builder step on the real process (HTTP mode, Slack stand-in)', () => {
  const t = withBot(CONFIG, { label: 'e2e-steps' });

  it('acks, records the progress once, and completes the execution with its outputs; retries change nothing', async () => {
    const body = functionExecutedBody({
      callbackId: 'record_task_progress',
      inputs: { user_context: userContext('U01'), task: 'PAY-1', percent: 35 },
      outputParameters: [
        { name: 'task', type: 'string', is_required: true },
        { name: 'percent', type: 'integer', is_required: true },
        { name: 'message', type: 'string', is_required: true },
      ],
    });
    t.fake.functions.started(body);
    const id = String(body.event.function_execution_id);
    const res = await t.post(JSON.stringify(body), 'application/json');
    expect(res.status).toBe(200);
    await eventually('the execution completed', () => t.fake.functions.executions.get(id)?.state === 'completed', 30_000);
    expect(t.fake.functions.executions.get(id)?.outputs).toMatchObject({ task: 'PAY-1', percent: 35 });

    const retried = await t.post(JSON.stringify(body), 'application/json', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retried.status).toBe(200);
    const again = await t.post(JSON.stringify({ ...body, event_id: `${body.event_id}-2` }), 'application/json');
    expect(again.status).toBe(200);
    await eventually('the second delivery answered', () => t.fake.calls.filter((c) => c.method.startsWith('functions.complete') && c.args.function_execution_id === id).length === 2, 30_000);
    const events = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`);
    expect(events.rows[0]!.n).toBe(1);
    const runs = await t.sql.query<{ status: string }>('SELECT status FROM workflow_step_runs WHERE function_execution_id = $1', [id]);
    expect(runs.rows).toEqual([{ status: 'completed' }]);
  });

  it('a failing step is answered with functions.completeError and the author-facing words', async () => {
    const body = functionExecutedBody({ callbackId: 'record_task_progress', inputs: { user_context: userContext('U01'), task: 'PAY-1', percent: 101 } });
    t.fake.functions.started(body);
    expect((await t.post(JSON.stringify(body), 'application/json')).status).toBe(200);
    const id = String(body.event.function_execution_id);
    await eventually('the execution failed', () => t.fake.functions.executions.get(id)?.state === 'failed', 30_000);
    expect(t.fake.functions.executions.get(id)?.error).toBe("“101” is not a percent: set the step's “percent” input to a whole number from 0 to 100.");
  });

  it('the sandbox’s "Run a workflow step" sends the same event: the owner records progress, a member may not start the check-in, a required input is asked for', async () => {
    type Params = Record<string, { type: string; title?: string; is_required?: boolean }>;
    const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
      functions: Record<string, { title: string; input_parameters: Params; output_parameters: Params }>;
    };
    const params = (ps: Params) => Object.entries(ps).map(([name, p]) => ({ name, ...p }));
    const steps: SandboxStep[] = Object.entries(manifest.functions).map(([callbackId, f]) => ({
      callbackId,
      title: f.title,
      inputs: params(f.input_parameters),
      outputs: params(f.output_parameters),
    }));
    const dir = { programName: 'Launch', channels: [], usersByEmail: {}, people: ['U01', 'U0LEAD', 'U0PM'].map((id) => ({ id, name: id, zone: 'UTC' })) };
    const bridge = new SandboxBridge(t.fake, dir, { url: t.bot.baseUrl, signingSecret: t.secret }, { teamId: 'T0PREFLIGHT', appId: 'A0PREFLIGHT', botUserId: 'UBOTPREFLIGHT' }, [], 10_000, steps);
    expect(await bridge.runStep('U01', 'record_task_progress', { task: 'PAY-1', percent: '80' }, 30_000)).toMatchObject({ state: 'completed', outputs: { task: 'PAY-1', percent: 80 } });
    expect(await bridge.runStep('U01', 'start_checkin', { workstream: 'pay' }, 30_000)).toEqual({
      state: 'failed',
      error: "Only Payments's leads or the PM can start its standup: <@U0LEAD>, <@U0PM>.",
    });
    await expect(bridge.runStep('U01', 'record_task_progress', { task: 'PAY-1' })).rejects.toThrow('“Percent done” is required');
  });
});
