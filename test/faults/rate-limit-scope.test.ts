import { describe, expect, it } from 'vitest';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { blockActionBody, slashCommandBody, viewSubmissionBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { withBot } from '../support/with-bot.js';

const SECRET = 'rate-limit-scope-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;
/** The report edit's Retry-After, s: long enough that a prompt held by it could not pass for one sent at once. */
const RETRY_AFTER_S = 20;
const SECOND_TEAM = ['U11', 'U12', 'U13'];
// the scheduled runs are never due while the test runs (any hour, any day): the lead starts each run
const CONFIG = aConfig({
  program: { name: 'Rate limits' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s' },
  workstreams: [
    aWorkstream({ id: 'ws1', name: 'API', channel: 'C0WS1', members: ['U01', 'U02', 'U03'], standup: { at: standupTimeAwayFromNow('UTC'), remind_after: '30m', close_after: '2h' } }),
    aWorkstream({ id: 'ws2', name: 'Web', channel: 'C0WS2', members: SECOND_TEAM, standup: { at: standupTimeAwayFromNow('UTC'), remind_after: '30m', close_after: '2h' } }),
  ],
});

/*
 * Issue 25: a 429 holds the calls under the limit that refused, not every Slack call. A report edit (chat.update,
 * Tier 3) answered 429 used to pause every Slack queue for its Retry-After, so a fan-out's prompts (chat.postMessage)
 * waited for a limit they do not spend. Timing: the prompts take well under a second on an idle box; the test only
 * asks that they come before the 20 s Retry-After ends.
 */
describe("faults: a chat.update 429 holds the report's edits, not the prompts", () => {
  const t = withBot(CONFIG, { label: 'ratescope', secret: SECRET, token: 'xoxb-ratescope' });
  const isReport = (channel: string) => (a: Record<string, any>) => a.channel === channel && String(a.text).includes('standup');

  it("the second team's prompts go out during the report edit's Retry-After; the edit comes after it, once", async () => {
    await t.post(slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }), FORM);
    await t.fake.waitFor(
      'the first report and U01 prompted',
      () => t.fake.ok('chat.postMessage', isReport('C0WS1')).length === 1 && t.fake.ok('chat.postMessage', (a) => a.channel === 'U01').length === 1,
    );

    // U01 answers by the form; the report's edit is answered 429
    t.fake.script('chat.update', { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(RETRY_AFTER_S) } });
    const prompt = t.fake.ok('chat.postMessage', (a) => a.channel === 'U01')[0]!;
    const button = ((prompt.args.blocks as any[]) ?? []).flatMap((b) => b?.elements ?? []).find((e: any) => e?.action_id === 'standup_open_form');
    expect(button, 'the prompt has an Open the form button').toBeDefined();
    await t.post(blockActionBody({ userId: 'U01', actionId: 'standup_open_form', value: button.value, channelId: 'D01', messageTs: '1700000000.000001' }), FORM);
    await t.fake.waitFor('the form opened', () => t.fake.ok('views.open').length === 1);
    const view = t.fake.ok('views.open')[0]!.args.view;
    const submitted = await t.post(
      viewSubmissionBody({
        userId: 'U01',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          q_yesterday: { answer: { type: 'plain_text_input', value: 'Rate limiter' } },
          q_today: { answer: { type: 'plain_text_input', value: 'Load tests' } },
          q_blockers: { answer: { type: 'plain_text_input', value: 'none' } },
          q_progress: { answer: { type: 'number_input', value: '60' } },
          q_risk: { answer: { type: 'static_select', selected_option: { value: 'green' } } },
        },
      }),
      FORM,
    );
    expect(submitted.status).toBe(200);
    const refusedEdit = () => t.fake.calls.find((c) => c.method === 'chat.update' && c.status === 429);
    await t.fake.waitFor('the report edit answered 429', () => refusedEdit() !== undefined, 30_000);
    const refusedAt = refusedEdit()!.at;

    // the second team's run starts inside the Retry-After: its prompts are not held by chat.update's limit
    await t.post(slashCommandBody({ command: '/standup', text: 'start ws2', userId: 'U0LEAD' }), FORM);
    const secondPrompts = () => t.fake.ok('chat.postMessage', (a) => SECOND_TEAM.includes(a.channel));
    await t.fake.waitFor("the second team's prompts", () => secondPrompts().length === SECOND_TEAM.length, 60_000);
    expect(
      secondPrompts()
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual(SECOND_TEAM);
    expect(Math.max(...secondPrompts().map((c) => c.at))).toBeLessThan(refusedAt + RETRY_AFTER_S * 1_000);

    // the report's edit waits out the Retry-After (never early), then shows U01's answer
    const edits = () => t.fake.ok('chat.update', isReport('C0WS1'));
    await t.fake.waitFor('the report edited after the Retry-After', () => edits().some((c) => JSON.stringify(c.args.blocks ?? []).includes('1/3')), 60_000);
    const after = edits().filter((c) => c.at > refusedAt);
    expect(Math.min(...after.map((c) => c.at))).toBeGreaterThanOrEqual(refusedAt + RETRY_AFTER_S * 1_000);
    expect(t.fake.calls.filter((c) => c.method === 'chat.update' && c.status === 429)).toHaveLength(1);
  }, 120_000);
});
