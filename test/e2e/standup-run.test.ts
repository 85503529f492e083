import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { blockActionBody, dmEventBody, slashCommandBody, viewSubmissionBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { PROMPT_STATES } from '../support/prompt-states.js';

const SECRET = 'e2e-signing-secret-0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded' as const;
const JSON_TYPE = 'application/json' as const;

// The scheduled run is never due during the test (any hour, any day, DST or not): the lead starts the run.
// Timing tolerance: U02 answers five DM questions before the reminder (remind_after); that takes ~4 s on an idle
// 2-core box and up to ~3x that under load (load average ~4.5), so the reminder comes at 15 s and the run closes at 25 s.
const CONFIG = aConfig({
  program: { name: 'Phase 11', timezone: 'America/New_York' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s' },
  workstreams: [
    aWorkstream({
      name: 'Broker Integration',
      members: ['U01', 'U02', 'U03'],
      standup: { at: standupTimeAwayFromNow('America/New_York'), remind_after: '15s', close_after: '25s' },
    }),
  ],
});

describe('the real process (npm start, HTTP mode) against real Postgres and Redis', () => {
  const t = withBot(CONFIG, {
    label: 'e2e',
    secret: SECRET,
    token: 'xoxb-e2e-token',
    env: { LOG_LEVEL: 'debug' }, // the most verbose logs, so the secret grep below means something
    // tokens and signing secrets never reach the logs
    afterStop: (bot) => {
      expect(bot.output()).not.toContain('xoxb-e2e-token');
      expect(bot.output()).not.toContain(SECRET);
    },
  });
  const post = (body: string, type: typeof FORM | typeof JSON_TYPE, opts?: Parameters<typeof postToSlackEndpoint>[4]) => postToSlackEndpoint(t.bot.baseUrl, SECRET, body, type, opts);
  const dmsTo = (channel: string) => t.fake.ok('chat.postMessage', (a) => a.channel === channel);
  const isReport = (a: Record<string, any>) => a.channel === 'C0WS1' && String(a.text).includes('standup');

  it('answers /healthz and refuses unsigned or wrongly signed requests with 401', async () => {
    expect((await fetch(`${t.bot.baseUrl}/healthz`)).status).toBe(200);
    const body = slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' });
    expect((await post(body, FORM, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await post(body, FORM, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect(await t.sql.query('SELECT * FROM standup_runs')).toMatchObject({ rowCount: 0 });
  });

  it('refuses a correctly signed request from another workspace', async () => {
    const res = await post(slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD', teamId: 'T0ELSEWHERE' }), FORM);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('serves another Slack workspace') });
    expect(await t.sql.query('SELECT * FROM standup_runs')).toMatchObject({ rowCount: 0 });
  });

  it('a member who is not lead or PM cannot start a run; malformed input gets usage', async () => {
    const res = await post(slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U02' }), FORM);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining("Only Broker Integration's leads or the PM") });
    const bad = await (await post(slashCommandBody({ command: '/standup', text: 'ooo someday', userId: 'U02' }), FORM)).json();
    expect(bad.text).toMatch(/\/standup ooo <until>/);
  });

  it('runs a whole standup: prompts, a modal answer, DM answers (with a retried event), a reminder, the report', async () => {
    // the lead starts the run
    const started = await post(slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }), FORM);
    expect(await started.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('prompting 3 members') });
    await t.fake.waitFor('three prompts and a report', () => ['U01', 'U02', 'U03'].every((u) => dmsTo(u).length === 1) && t.fake.ok('chat.postMessage', isReport).length === 1);
    const firstReport = JSON.stringify(t.fake.ok('chat.postMessage', isReport)[0]!.args.blocks);
    expect(firstReport).toContain('0/3* answered');

    // U01 clicks "Open the form" in the DM and submits the modal
    const prompt = t.fake.ok('chat.postMessage', (a) => a.channel === 'U01')[0]!;
    const button = (prompt.args.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'standup_open_form');
    const promptTs = '1700000000.000001'; // the bot does not use the message ts of the click
    expect((await post(blockActionBody({ userId: 'U01', actionId: 'standup_open_form', value: button.value, channelId: 'D01', messageTs: promptTs! }), FORM)).status).toBe(200);
    await t.fake.waitFor('modal opened', () => t.fake.ok('views.open').length === 1);
    const view = t.fake.ok('views.open')[0]!.args.view;
    expect(view.callback_id).toBe('standup_form');

    // a stale or tampered payload gets a helpful answer, never a stack trace: a forged button value…
    await post(blockActionBody({ userId: 'U01', actionId: 'standup_open_form', value: '1 OR 1=1', channelId: 'D01', messageTs: promptTs, responseUrl: `${t.fake.url}response/forged` }), FORM);
    await t.fake.waitFor('answer to the forged click', () => t.fake.calls.some((c) => c.method.includes('response/forged')));
    expect(t.fake.calls.find((c) => c.method.includes('response/forged'))!.args).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Type `/standup` to open your form') });
    // …and a form whose private_metadata does not decode keeps the modal open with the reason
    const damaged = await post(
      viewSubmissionBody({ userId: 'U01', callbackId: view.callback_id, privateMetadata: '{"runId":"1"}', values: { q_yesterday: { answer: { type: 'plain_text_input', value: 'x' } } } }),
      FORM,
    );
    expect(damaged.status).toBe(200);
    expect(await damaged.json()).toEqual({ response_action: 'errors', errors: { q_yesterday: expect.stringContaining('close the form and type `/standup`') } });
    expect(t.fake.ok('views.open')).toHaveLength(1);
    const submitted = await post(
      viewSubmissionBody({
        userId: 'U01',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          q_yesterday: { answer: { type: 'plain_text_input', value: 'OAuth callback done' } },
          q_today: { answer: { type: 'plain_text_input', value: 'Token refresh' } },
          q_blockers: { answer: { type: 'plain_text_input', value: 'Waiting on Alpaca credentials <!channel>' } },
          q_progress: { answer: { type: 'number_input', value: '70' } },
          q_risk: { answer: { type: 'static_select', selected_option: { value: 'red' } } },
        },
      }),
      FORM,
    );
    expect(submitted.status).toBe(200);
    // the ack replaces the form with the confirmation (issue 25: no Web API call, no receipt DM)
    const confirmation = await submitted.json();
    expect(confirmation).toMatchObject({ response_action: 'update', view: { type: 'modal', close: { text: 'Done' } } });
    expect(confirmation.view.submit).toBeUndefined();
    expect(JSON.stringify(confirmation.view.blocks)).toContain('Thanks! Your answer is in the');
    expect(JSON.stringify(confirmation.view.blocks)).toContain('report in <#C0WS1>');

    // U02 answers in the DM; Slack re-delivers one event (X-Slack-Retry-Num: 1, same event_id)
    const replies = ['Sync tests green', 'Reconciliation', 'none', '85', 'green'];
    for (const [i, text] of replies.entries()) {
      const body = dmEventBody({ eventId: `Ev0E2E${i}`, userId: 'U02', channel: 'D02', text });
      expect((await post(body, JSON_TYPE)).status).toBe(200);
      if (i === 1) expect((await post(body, JSON_TYPE, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
      await t.fake.waitFor(`bot answered DM ${i}`, () => dmsTo('D02').length === i + 1);
    }
    expect(dmsTo('D02').map((c) => String(c.args.text).slice(0, 5))).toEqual(['*2/5*', '*3/5*', '*4/5*', '*5/5*', 'Thank']);

    // U03 never answers: one reminder, nobody else is reminded
    await t.fake.waitFor('reminder to U03', () => dmsTo('D03').length === 1, 25_000);
    expect(JSON.stringify(dmsTo('D03')[0]!.args.blocks)).toContain('Reminder');

    // the report was updated in place as answers arrived, then closed
    await t.fake.waitFor('closed report', () => t.fake.ok('chat.update', (a) => isReport(a) && JSON.stringify(a.blocks ?? []).includes('Did not answer (1):* <@U03>')).length > 0, 30_000);
    const final = JSON.stringify(t.fake.ok('chat.update', isReport).at(-1)!.args.blocks);
    expect(final).toContain('2/3* answered');
    expect(final).toContain('Waiting on Alpaca credentials &lt;!channel&gt;');
    expect(final).toContain('🔴 <@U01>');
    expect(t.fake.ok('chat.postMessage', (a) => isReport(a) && !a.thread_ts)).toHaveLength(1);
    // U01's blocker from the form became B-1, posted in the workstream channel (no blockers_channel configured)
    expect(t.fake.ok('chat.postMessage', (a) => a.channel === 'C0WS1' && String(a.text).startsWith('B-1 (P1)'))).toHaveLength(1);
    expect(dmsTo('D01')).toHaveLength(0); // U01 answered: no reminder
    expect(dmsTo('U01')).toHaveLength(1); // the prompt only: the form confirmed the answer, no receipt DM
    expect(dmsTo('D02').length).toBe(5); // 4 questions + thanks, nothing more

    const answers = await t.sql.query('SELECT user_id, source, complete, answers FROM standup_answers ORDER BY user_id');
    expect(answers.rows).toEqual([
      {
        user_id: 'U01',
        source: 'modal',
        complete: true,
        answers: { yesterday: 'OAuth callback done', today: 'Token refresh', blockers: 'Waiting on Alpaca credentials <!channel>', progress: 70, risk: 'red' },
      },
      { user_id: 'U02', source: 'dm', complete: true, answers: { yesterday: 'Sync tests green', today: 'Reconciliation', blockers: 'none', progress: 85, risk: 'green' } },
    ]);
    const prompts = await t.sql.query(`SELECT user_id, status, attempts, reminder_status FROM ${PROMPT_STATES} p ORDER BY user_id`);
    expect(prompts.rows.map((r) => [r.user_id, r.status, r.attempts, r.reminder_status])).toEqual([
      ['U01', 'sent', 1, 'none'],
      ['U02', 'sent', 1, 'none'],
      ['U03', 'sent', 1, 'sent'],
    ]);
  }, 90_000);
});
