import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { userContext } from '../../../../sandbox/slack-stand-in/functions.js';
import { INTERRUPTED, STALE_RUN_MS } from '../../../../src/services/workflow-steps/runs.js';
import { registerWorkflowSteps } from '../../../../src/slack/functions/index.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';
import { uniquePrefix } from '../../../support/db.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

/*
 * Issue 24: each Workflow Builder step driven as Slack drives it (a `function_executed` delivery handed to Bolt in this
 * process; functions.completeSuccess / completeError answered by the nock fake as Slack documents them), on a real
 * Postgres. For each step: success, not allowed (where Preflight has a rule), bad input, and Slack delivering the
 * same execution again (it acts once and answers with the stored outcome).
 */
const YAML = aConfig({
  program: { name: 'Launch', pm: 'U0PM', channel: 'C0LAUNCH' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  checkins: { questions: [{ id: 'status', prompt: 'Status?', kind: 'text' }] },
  gates: [{ id: 'sec', name: 'Security review', sign_off: ['U0SEC'] }],
  workstreams: [
    aWorkstream({
      id: 'pay',
      name: 'Payments',
      channel: 'C0PAY',
      leads: ['U0LEAD'],
      members: ['U01', 'U02'],
      checkins: [{ id: 'daily', name: 'Daily', at: '10:00' }],
      tasks: [{ id: 'PAY-1', title: 'Refunds', owner: 'U01' }],
    }),
    aWorkstream({ id: 'web', name: 'Website', channel: 'C0WEB', leads: ['U0WL'], members: ['U03'] }),
  ],
});

describe('Workflow Builder steps (in process; real Postgres, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let slack: ReturnType<typeof boltInProcess>;
  const nocked = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-03-02T15:00:00Z');
    bot = await h.process({ workers: false });
    redis = new Redis(inject('redisUrl'));
    slack = boltInProcess((app) => registerWorkflowSteps(app, { deps: bot.deps, redis, keyPrefix: uniquePrefix('steps') }));
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await h.cleanup();
    nocked.done();
  });

  /** Slack runs a step: its delivery handed to Bolt; resolves to how Slack holds the execution afterwards. */
  const run = async (callbackId: string, inputs: Record<string, unknown>, functionExecutionId?: string) => {
    const body = nocked.startFunction({ callbackId, inputs, functionExecutionId });
    await slack.event(body);
    const id = String(body.event.function_execution_id);
    return { id, execution: nocked.functions.executions.get(id), body };
  };
  /** Slack delivers the same execution again (a new delivery, as after a lost ack, or to another replica). */
  const retry = (body: Record<string, any>) => slack.event({ ...body, event_id: `${body.event_id}-retry` });
  const completions = (id: string) =>
    nocked.of('functions.completeSuccess', (a) => a.function_execution_id === id).length + nocked.of('functions.completeError', (a) => a.function_execution_id === id).length;
  const count = async (sql: string) => (await h.sql<{ n: number }>(sql))[0]!.n;

  describe('Raise a blocker', () => {
    it('raises it for the person running the workflow, posts its message, outputs its id and link', async () => {
      const { execution } = await run('raise_blocker', { user_context: userContext('U01'), text: 'Card vault is down', severity: 'p1', workstream: 'pay', owner: 'U0LEAD' });
      expect(execution).toMatchObject({ state: 'completed', outputs: { blocker_id: expect.stringMatching(/^B-\d+$/), permalink: expect.stringMatching(/^https:\/\//) } });
      const [b] = await h.sql<{ id: number; reporter: string; owner: string; severity: string; source: string; workstream_id: string }>(
        `SELECT id, reporter, owner, severity, source, workstream_id FROM blockers WHERE text = 'Card vault is down'`,
      );
      expect(b).toMatchObject({ reporter: 'U01', owner: 'U0LEAD', severity: 'P1', source: 'workflow', workstream_id: 'pay' });
      expect(execution!.outputs!.blocker_id).toBe(`B-${b!.id}`);
      expect(nocked.of('chat.postMessage', (a) => JSON.stringify(a.blocks ?? '').includes('Card vault is down'))).toHaveLength(1);
    });

    it('bad input: an unknown workstream fails with the valid ones; an unknown severity names P0, P1, P2; nothing is raised', async () => {
      const before = await count('SELECT count(*)::int AS n FROM blockers');
      const ws = await run('raise_blocker', { user_context: userContext('U01'), text: 'x', workstream: 'payments' });
      expect(ws.execution).toMatchObject({ state: 'failed', error: "There is no workstream “payments” in preflight.yml. Set the step's workstream to one of: pay (Payments), web (Website)." });
      const sev = await run('raise_blocker', { user_context: userContext('U01'), text: 'x', severity: 'urgent' });
      expect(sev.execution).toMatchObject({ state: 'failed', error: '“urgent” is not a severity: set the step’s severity to P0, P1, P2.' });
      const empty = await run('raise_blocker', { user_context: userContext('U01'), text: '  ' });
      expect(empty.execution?.state).toBe('failed');
      expect(await count('SELECT count(*)::int AS n FROM blockers')).toBe(before);
    });

    it('not allowed without knowing who runs it: no user_context input → fails saying how to map it', async () => {
      const { execution } = await run('raise_blocker', { text: 'x', workstream: 'pay' });
      expect(execution?.state).toBe('failed');
      expect(execution?.error).toContain('“Person who used this workflow”');
    });

    it('Slack retrying the same execution: one blocker; when the first answer was lost, the retry completes with the same outputs', async () => {
      nocked.failNext('functions.completeSuccess', 200, { ok: false, error: 'internal_error' }); // the answer lost on Slack's side
      const first = await run('raise_blocker', { user_context: userContext('U02'), text: 'Acquirer sandbox down', workstream: 'pay' });
      expect(first.execution?.state).toBe('running'); // Slack never got the answer
      await retry(first.body);
      await retry(first.body); // and once more, after it was answered
      expect(await count(`SELECT count(*)::int AS n FROM blockers WHERE text = 'Acquirer sandbox down'`)).toBe(1);
      const [b] = await h.sql<{ id: number }>(`SELECT id FROM blockers WHERE text = 'Acquirer sandbox down'`);
      expect(nocked.functions.executions.get(first.id)).toMatchObject({ state: 'completed', outputs: { blocker_id: `B-${b!.id}` } });
      expect(nocked.of('chat.postMessage', (a) => JSON.stringify(a.blocks ?? '').includes('Acquirer sandbox down'))).toHaveLength(1);
    });
  });

  describe('Sign off a gate', () => {
    it('not allowed: someone without the gate’s authority gets the /gonogo words; the gate stays pending', async () => {
      const { execution } = await run('sign_off_gate', { user_context: userContext('U01'), gate: 'sec' });
      expect(execution).toMatchObject({ state: 'failed', error: 'Only the sign-off authority of “Security review” can sign it off: <@U0SEC>.' });
      expect(await count(`SELECT count(*)::int AS n FROM gate_states WHERE gate_id = 'sec' AND status = 'passed'`)).toBe(0);
    });

    it('bad input: an unknown gate names the gates', async () => {
      const { execution } = await run('sign_off_gate', { user_context: userContext('U0SEC'), gate: 'security' });
      expect(execution?.state).toBe('failed');
      expect(execution?.error).toMatch(/sec/);
    });

    it('the authority signs it off (passed); the same execution again signs nothing more; another run says it already passed', async () => {
      const first = await run('sign_off_gate', { user_context: userContext('U0SEC'), gate: 'sec', note: 'pen test clean' });
      expect(first.execution).toMatchObject({ state: 'completed', outputs: { status: 'passed', message: expect.stringContaining('Security review') } });
      await retry(first.body);
      expect(await count(`SELECT count(*)::int AS n FROM gonogo_audit WHERE gate_id = 'sec' AND kind = 'gate_passed'`)).toBe(1);
      expect(completions(first.id)).toBe(2); // the retry answered with the stored outcome; Slack said it was already complete
      const again = await run('sign_off_gate', { user_context: userContext('U0SEC'), gate: 'sec' });
      expect(again.execution?.state).toBe('failed');
      expect(again.execution?.error).toMatch(/already/i);
    });
  });

  describe('Get the go/no-go verdict', () => {
    it('outputs the verdict, percent and reasons, and links the summary posted once in the program channel (also when Slack retries)', async () => {
      const first = await run('gonogo_verdict', { user_context: userContext('U03') });
      expect(first.execution).toMatchObject({
        state: 'completed',
        outputs: { verdict: expect.stringMatching(/^(GO|CONDITIONAL GO|NO-GO)$/), percent: expect.any(Number), reasons: expect.any(String), permalink: expect.stringContaining('C0LAUNCH') },
      });
      const summaries = () => nocked.messages.in('C0LAUNCH').filter((m) => !m.thread_ts && /^Launch: /.test(m.text ?? ''));
      expect(summaries()).toHaveLength(1);
      expect(summaries()[0]!.text).toContain(String(first.execution!.outputs!.verdict));
      await retry(first.body);
      expect(summaries()).toHaveLength(1);
    });
  });

  describe('Start a check-in', () => {
    it('not allowed: a member who is not a lead gets the /standup words; no run', async () => {
      const { execution } = await run('start_checkin', { user_context: userContext('U01'), workstream: 'pay' });
      expect(execution?.state).toBe('failed');
      expect(execution?.error).toMatch(/^Only Payments.s leads or the PM can start its standup: <@U0LEAD>, <@U0PM>\.$/);
    });

    it('bad input: an unknown workstream lists the valid ones; an unknown check-in lists the workstream’s', async () => {
      const ws = await run('start_checkin', { user_context: userContext('U0LEAD'), workstream: 'payments' });
      expect(ws.execution?.error).toBe("There is no workstream “payments” in preflight.yml. Set the step's workstream to one of: pay (Payments), web (Website).");
      const ci = await run('start_checkin', { user_context: userContext('U0LEAD'), workstream: 'pay', checkin: 'weekly' });
      expect(ci.execution?.error).toBe('pay has no check-in “weekly”. Set the step’s check-in to one of: daily.');
    });

    it('the lead starts it: members prompted; the same execution again starts nothing more', async () => {
      const first = await run('start_checkin', { user_context: userContext('U0LEAD'), workstream: 'pay' });
      expect(first.execution).toMatchObject({ state: 'completed', outputs: { prompted: 2, run_id: expect.any(String) } });
      await retry(first.body);
      expect(await count(`SELECT count(*)::int AS n FROM standup_runs WHERE workstream_id = 'pay'`)).toBe(1);
    });
  });

  describe("Record a task's progress", () => {
    it('the owner records 40%', async () => {
      const { execution } = await run('record_task_progress', { user_context: userContext('U01'), task: 'PAY-1', percent: 40 });
      expect(execution).toMatchObject({ state: 'completed', outputs: { task: 'PAY-1', percent: 40 } });
      expect((await h.sql<{ progress: number }>(`SELECT progress FROM task_states WHERE task_id = 'PAY-1'`))[0]?.progress).toBe(40);
    });

    it('not allowed: another member gets the /task words', async () => {
      const { execution } = await run('record_task_progress', { user_context: userContext('U02'), task: 'PAY-1', percent: 90 });
      expect(execution?.state).toBe('failed');
      expect(execution?.error).toMatch(/^Only PAY-1's owner, Payments's leads or the PM can update it/);
    });

    it('bad input: a percent out of range or not a number, an unknown task', async () => {
      for (const percent of [140, -1, 'half', 12.5]) {
        const { execution } = await run('record_task_progress', { user_context: userContext('U01'), task: 'PAY-1', percent });
        expect(execution?.error, String(percent)).toContain("set the step's “percent” input to a whole number from 0 to 100");
      }
      const unknown = await run('record_task_progress', { user_context: userContext('U01'), task: 'PAY-9', percent: 10 });
      expect(unknown.execution?.error).toBe('There is no task `PAY-9`.');
      expect((await h.sql<{ progress: number }>(`SELECT progress FROM task_states WHERE task_id = 'PAY-1'`))[0]?.progress).toBe(40);
    });

    it('the same execution again records it once', async () => {
      const before = await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`);
      const first = await run('record_task_progress', { user_context: userContext('U01'), task: 'PAY-1', percent: 60 });
      await retry(first.body);
      expect(await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`)).toBe(before + 1);
    });
  });

  it('two deliveries of one execution at once (two replicas): it acts once and the execution completes with its outputs', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`);
    const body = nocked.startFunction({ callbackId: 'record_task_progress', inputs: { user_context: userContext('U01'), task: 'PAY-1', percent: 65 } });
    await Promise.all([slack.event(body), retry(body)]);
    const id = String(body.event.function_execution_id);
    expect(nocked.functions.executions.get(id)).toMatchObject({ state: 'completed', outputs: { percent: 65 } });
    expect(await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`)).toBe(before + 1);
    expect(completions(id)).toBeGreaterThanOrEqual(1);
  });

  it('a run left running by a crash is answered as interrupted by a later delivery, never done twice', async () => {
    const id = 'FxCRASHED0001';
    await h.sql(`INSERT INTO workflow_step_runs (function_execution_id, callback_id, user_id, status, started_at) VALUES ($1, 'record_task_progress', 'U01', 'running', $2)`, [
      id,
      new Date(h.clock.now().toMillis() - STALE_RUN_MS - 1_000),
    ]);
    const before = await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`);
    const { execution } = await run('record_task_progress', { user_context: userContext('U01'), task: 'PAY-1', percent: 70 }, id);
    expect(execution).toMatchObject({ state: 'failed', error: INTERRUPTED });
    expect(await count(`SELECT count(*)::int AS n FROM task_events WHERE task_id = 'PAY-1'`)).toBe(before);
  });
});
