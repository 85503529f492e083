import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { countBy, reportFigures } from './report.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

const SECRET = 'webapi-signing-secret';
const MEMBERS = Array.from({ length: 12 }, (_, i) => `U${String(i + 200)}`);
// the scheduled run is never due during the test (any hour, any day): the run here is started by /standup start
const CONFIG = aConfig({
  program: { name: 'Faults' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s', reclaim_after: '20s' },
  escalation: { sweep_every: '1s', ladders: { P1: [{ after: '1s', notify: 'lead' }] } },
  workstreams: [aWorkstream({ name: 'Broker', members: MEMBERS, standup: { at: standupTimeAwayFromNow('UTC'), remind_after: '30m', close_after: '2h' } })],
});

describe('faults: the Web API answers 429 with Retry-After, 500s and times out', () => {
  const t = withBot(CONFIG, { label: 'webapi', secret: SECRET, token: 'xoxb-webapi', expectCleanExit: false });

  it('retries with backoff and delivers every prompt and ping once, even the one Slack posted after the client timed out', async () => {
    const err500 = { status: 500, body: { ok: false, error: 'internal_error' } };
    const err429 = { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '2' } };
    const timeout = { status: 200, body: { ok: true, channel: 'D0SLOW', ts: '1700000000.999999' }, delayMs: 11_000 }; // > the workers' 10 s timeout
    t.fake.script('chat.postMessage', err500, err429, err500, err500, timeout, err429, err500, err500, err500);
    const t0 = Date.now();
    await postToSlackEndpoint(t.bot.baseUrl, SECRET, slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }), 'application/x-www-form-urlencoded');
    await postToSlackEndpoint(t.bot.baseUrl, SECRET, slashCommandBody({ command: '/blocker', text: 'API flaky', userId: 'U200' }), 'application/x-www-form-urlencoded');
    const prompts = () => t.fake.calls.filter((c) => c.method === 'chat.postMessage' && MEMBERS.includes(c.args.channel) && c.status === 200);
    const pings = () => t.fake.ok('chat.postMessage', (a) => a.channel === 'U0LEAD' && String(a.text).includes('needs you'));
    await t.fake.waitFor('every member prompted and the lead pinged', () => new Set(prompts().map((c) => c.args.channel)).size === MEMBERS.length && pings().length >= 1, 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const dup = [...countBy(prompts(), (c) => c.args.channel).values()].reduce((n, c) => n + (c - 1), 0);
    const failures = t.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status !== 200).length;
    reportFigures('web API 429/500/timeout', {
      promptsExpected: MEMBERS.length,
      promptsDelivered: new Set(prompts().map((c) => c.args.channel)).size,
      promptsDuplicated: dup,
      pingsExpected: 1,
      pingsDelivered: pings().length,
      errorsInjected: 9,
      errorAnswersSeen: failures,
      timeouts: 1,
      deliveredAfterMs: Date.now() - t0,
    });
    expect(pings()).toHaveLength(1);
    // the call that timed out was posted by Slack: its retry found it by its message metadata instead of re-posting
    expect(t.fake.ok('conversations.history').length).toBeGreaterThanOrEqual(1);
    expect(dup).toBe(0);
  }, 90_000);
});
