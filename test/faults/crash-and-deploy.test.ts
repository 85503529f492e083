import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postToSlackEndpoint, startBot, type BotProcess } from '../support/bot-process.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { SlackApiFake } from '../support/slack-api-fake.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { countBy, reportFigures } from './report.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { PROMPT_STATES } from '../support/prompt-states.js';

const SECRET = 'crash-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;
const MEMBERS = Array.from({ length: 40 }, (_, i) => `U${String(i + 100)}`);
// the scheduled runs are never due during the test (any hour, any day): each run here is started by /standup start
const AT = standupTimeAwayFromNow('UTC');
const CONFIG = aConfig({
  program: { name: 'Faults' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s', reclaim_after: '15s' },
  escalation: {
    sweep_every: '1s',
    ladders: {
      P1: [
        { after: '2s', notify: 'lead' },
        { after: '4s', notify: 'pm' },
      ],
    },
  },
  workstreams: [
    aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: MEMBERS, standup: { at: AT, remind_after: '30m', close_after: '2h' } }),
    aWorkstream({ id: 'ws2', name: 'AI', channel: 'C0WS2', leads: ['U0LEAD2'], members: MEMBERS.map((m) => m.replace('U', 'W')), standup: { at: AT, remind_after: '30m', close_after: '2h' } }),
  ],
});

describe('faults: kill -9, a rolling deploy, SIGTERM (the real process, shared Postgres/Redis, own database and prefix)', () => {
  let fake: SlackApiFake;
  let db: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  const bots: BotProcess[] = [];
  const start = async () => {
    const b = await startBot(env, CONFIG);
    bots.push(b);
    return b;
  };
  const post = (bot: BotProcess, body: string) => postToSlackEndpoint(bot.baseUrl, SECRET, body, FORM);
  const promptsTo = (prefix: 'U' | 'W') => fake.ok('chat.postMessage', (a) => new RegExp(`^${prefix}1\\d\\d$`).test(a.channel));
  const pings = () => fake.ok('chat.postMessage', (a) => /^U0(LEAD|PM)$/.test(a.channel) && String(a.text).includes('needs you'));

  beforeAll(async () => {
    // 120 ms per Web API call: prompts and pings are still pending or in flight when the bot is killed
    fake = await new SlackApiFake({ latencyMs: 120 }).start();
    db = await createTestDatabase();
    env = { SLACK_BOT_TOKEN: 'xoxb-crash', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: uniquePrefix('crash') };
  });
  afterAll(async () => {
    for (const b of bots) await b.stop('SIGKILL').catch(() => {});
    await fake?.stop();
    await db?.drop();
  });

  it('kill -9 mid-fan-out (dm concurrency 16, the default): after a restart every prompt and ping is delivered exactly once, none lost', async () => {
    const first = await start();
    for (let i = 1; i <= 5; i++) await post(first, slashCommandBody({ command: '/blocker', text: `crash ${i}`, userId: 'U100' }));
    await post(first, slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }));
    await fake.waitFor('some prompts out', () => promptsTo('U').length >= 8, 15_000);
    await first.stop('SIGKILL');
    const deliveredBeforeKill = promptsTo('U').length;
    const second = await start();
    await fake.waitFor(
      'every member prompted and every blocker pinged at both levels',
      () => new Set(promptsTo('U').map((c) => c.args.channel)).size === MEMBERS.length && pings().length >= 10,
      80_000,
    );
    await new Promise((r) => setTimeout(r, 16_000)); // past reclaim_after: anything re-sent would show now
    const promptDup = [...countBy(promptsTo('U'), (c) => c.args.channel).values()].reduce((n, c) => n + (c - 1), 0);
    const pingDup = [...countBy(pings(), (c) => `${c.args.channel}:${String(c.args.text).slice(0, 4)}`).values()].reduce((n, c) => n + (c - 1), 0);
    reportFigures('kill -9 mid-fan-out', {
      promptsExpected: MEMBERS.length,
      promptsDeliveredBeforeKill: deliveredBeforeKill,
      promptsDelivered: new Set(promptsTo('U').map((c) => c.args.channel)).size,
      promptsSentOnceMore: promptDup,
      pingsExpected: 10,
      pingsDelivered: pings().length - pingDup,
      pingsSentOnceMore: pingDup,
    });
    // the DMs in flight when the process died (up to 16: the dm worker's concurrency) were posted by Slack but
    // never recorded; their reclaimed reservations find them by their message metadata instead of re-posting
    expect(deliveredBeforeKill).toBeGreaterThanOrEqual(8);
    expect({ promptDup, pingDup, promptsLost: MEMBERS.length - new Set(promptsTo('U').map((c) => c.args.channel)).size, pingsDelivered: pings().length }).toEqual({
      promptDup: 0,
      pingDup: 0,
      promptsLost: 0,
      pingsDelivered: 10,
    });
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const stuck = (await sql.query(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status IN ('pending', 'sending')`)).rows[0].n;
    // how many reservations were reclaimed after the kill and found their message in Slack instead of posting
    const reclaimed = (await sql.query(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE attempts > 1`)).rows[0].n;
    await sql.end();
    reportFigures('kill -9 mid-fan-out: reclaimed', {
      promptsReclaimed: reclaimed,
      historySearches: fake.ok('conversations.history').length,
      conversationsOpened: fake.ok('conversations.open').length,
    });
    expect(stuck).toBe(0);
    await second.stop();
  }, 150_000);

  it('two bot processes at once (a rolling deploy): no duplicate prompts, pings or reports', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const before = fake.calls.length;
    await post(a, slashCommandBody({ command: '/standup', text: 'start ws2', userId: 'U0LEAD2' }));
    await post(b, slashCommandBody({ command: '/blocker', text: 'deploy test', userId: 'W100', channelId: 'C0WS2' }));
    await post(a, slashCommandBody({ command: '/blocker', text: 'deploy test 2', userId: 'W101', channelId: 'C0WS2' }));
    await fake.waitFor('every ws2 member prompted', () => new Set(promptsTo('W').map((c) => c.args.channel)).size === MEMBERS.length, 40_000);
    const newPings = () => fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && /^U0(LEAD2|PM)$/.test(c.args.channel) && String(c.args.text).includes('needs you'));
    await fake.waitFor('both blockers pinged at both levels', () => newPings().length >= 4, 20_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const promptDup = [...countBy(promptsTo('W'), (c) => c.args.channel).values()].filter((n) => n > 1).length;
    const reports = fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0WS2' && String(c.args.text).includes('standup')).length;
    reportFigures('two processes at once', {
      promptsExpected: MEMBERS.length,
      promptsDelivered: new Set(promptsTo('W').map((c) => c.args.channel)).size,
      promptsDuplicated: promptDup,
      pingsExpected: 4,
      pingsDelivered: newPings().length,
      reports,
    });
    expect([promptDup, newPings().length, reports]).toEqual([0, 4, 1]);
    // SIGTERM while both are busy: stop taking requests, finish in-flight jobs, close, exit 0 within 10 s
    const t0 = Date.now();
    const codes = await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    const ms = Date.now() - t0;
    reportFigures('SIGTERM', { exitCodes: codes, shutdownMs: ms });
    expect(codes).toEqual([0, 0]);
    expect(ms).toBeLessThan(10_000);
  }, 90_000);
});
