import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToSlackEndpoint, startBot, type BotProcess } from '../support/bot-process.js';
import { privatePostgres, privateRedis } from '../support/private-services.js';
import { SlackApiFake } from '../support/slack-api-fake.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { countBy, reportFigures } from './report.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

const SECRET = 'faults-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;
// the scheduled run is never due during the test (any hour, any day): the run here is started by /standup start
const CONFIG = aConfig({
  program: { name: 'Faults' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s' },
  escalation: {
    sweep_every: '1s',
    ladders: {
      P1: [
        { after: '3s', notify: 'lead' },
        { after: '6s', notify: 'pm' },
      ],
    },
  },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', 'U02', 'U03'], standup: { at: standupTimeAwayFromNow('UTC'), remind_after: '5s', close_after: '60s' } })],
});

describe('faults: Redis flushed and restarted, Postgres restarted (private servers, the real process)', () => {
  let fake: SlackApiFake;
  let bot: BotProcess;
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let postgres: Awaited<ReturnType<typeof privatePostgres>>;
  const post = (body: string) => postToSlackEndpoint(bot.baseUrl, SECRET, body, FORM);
  const health = async () => (await fetch(`${bot.baseUrl}/healthz`).catch(() => ({ status: 0 }))).status;
  const pings = () => fake.ok('chat.postMessage', (a) => /^U0(LEAD|PM)$/.test(a.channel) && String(a.text).includes('needs you'));
  // prompts go to the user id; reminders to the DM channel the prompt opened (D…)
  const prompts = () => fake.ok('chat.postMessage', (a) => /^[UD]0[123]$/.test(a.channel));

  beforeAll(async () => {
    [redis, postgres, fake] = await Promise.all([privateRedis(), privatePostgres(), new SlackApiFake().start()]);
    bot = await startBot({ SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, DATABASE_URL: postgres.url, REDIS_URL: redis.url }, CONFIG);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
    await redis?.stop();
    await postgres?.destroy();
  });

  it('FLUSHALL with blockers open and a run in progress: every due prompt, reminder and ping still happens, once', async () => {
    for (let i = 1; i <= 3; i++)
      expect(await (await post(slashCommandBody({ command: '/blocker', text: `flush test ${i}`, userId: 'U01' }))).json()).toMatchObject({ text: expect.stringContaining(`Raised *B-${i}*`) });
    await post(slashCommandBody({ command: '/standup', text: 'start ws1', userId: 'U0LEAD' }));
    redis.flushAll(); // every queued wake-up, delayed job and job scheduler is gone
    await fake.waitFor('every ping (3 blockers × lead + PM), every prompt and every reminder', () => pings().length >= 6 && prompts().length >= 6, 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const pingDup = [...countBy(pings(), (c) => `${c.args.channel}:${String(c.args.text).slice(0, 5)}`).values()].filter((n) => n > 1).length;
    const promptDup = [...countBy(prompts(), (c) => c.args.channel).values()].filter((n) => n > 1).length;
    reportFigures('redis FLUSHALL', { pingsExpected: 6, pingsDelivered: pings().length, pingsDuplicated: pingDup, promptsAndRemindersExpected: 6, delivered: prompts().length, duplicated: promptDup });
    expect([pings().length, pingDup, prompts().length, promptDup]).toEqual([6, 0, 6, 0]);
  }, 60_000);

  it('Redis restart: /healthz says 503 while it is gone and 200 after, without restarting the bot; work resumes', async () => {
    expect(await health()).toBe(200);
    await redis.stop();
    const down = Date.now();
    while ((await health()) !== 503) {
      if (Date.now() - down > 10_000) throw new Error('healthz never reported 503');
      await new Promise((r) => setTimeout(r, 100));
    }
    await redis.start();
    const back = Date.now();
    while ((await health()) !== 200) {
      if (Date.now() - back > 20_000) throw new Error('healthz never came back to 200');
      await new Promise((r) => setTimeout(r, 100));
    }
    const healthRecoveryMs = Date.now() - back;
    const before = pings().length;
    const res = await (await post(slashCommandBody({ command: '/blocker', text: 'after the Redis restart', userId: 'U01' }))).json();
    expect(res.text).toContain('Raised *B-4*');
    await fake.waitFor('the new blocker escalates', () => pings().length === before + 2, 30_000);
    const workRecoveryMs = Date.now() - back;
    reportFigures('redis restart', { healthRecoveryMs, blockerRaisedAndBothLevelsPingedAfterMs: workRecoveryMs, botRestarted: false });
  }, 60_000);

  it('Postgres restarted under load: every request gets an answer (saved, or "try again"), no half-written blocker, the bot recovers on its own', async () => {
    const answers: { status: number; text: string }[] = [];
    // a request with no answer within 10 s counts as unanswered (status 0) instead of hanging the test; the bot
    // waits at most 5 s for a Postgres connection, so 10 s leaves room for a loaded 2-core box
    const sender = (async () => {
      for (let i = 0; i < 60; i++) {
        const started = Date.now();
        const body = slashCommandBody({ command: '/blocker', text: `load ${i}`, userId: 'U02' });
        const res = await postToSlackEndpoint(bot.baseUrl, SECRET, body, FORM, { signal: AbortSignal.timeout(10_000) }).catch(
          (err) => ({ status: 0, json: async () => ({ text: `no answer: ${String(err)}` }) }) as Response,
        );
        answers.push({ status: res.status, text: String(((await res.json().catch(() => ({}))) as { text?: string }).text ?? '') });
        await new Promise((r) => setTimeout(r, Math.max(0, 150 - (Date.now() - started))));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_500));
    await postgres.stop('fast');
    await new Promise((r) => setTimeout(r, 2_500));
    await postgres.start();
    const back = Date.now();
    while ((await health()) !== 200) {
      if (Date.now() - back > 30_000) {
        const said = await fetch(`${bot.baseUrl}/healthz`).then(
          (r) => r.text(),
          (err: Error) => `no answer (${err.message}); bot exit code ${bot.child.exitCode}, last output:\n${bot.output().slice(-3_000)}`,
        );
        throw new Error(`healthz never came back to 200 after the Postgres restart: ${said}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const recoveryMs = Date.now() - back;
    await sender;
    const saved = answers.filter((a) => /Raised \*B-\d+\*/.test(a.text)).length;
    const tryAgain = answers.filter((a) => String(a.text ?? '').includes('try again')).length;
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(saved + tryAgain).toBe(answers.length); // no silent failure
    expect(tryAgain).toBeGreaterThan(0);
    const sql = new pg.Client({ connectionString: postgres.url });
    await sql.connect();
    const rows = (await sql.query("SELECT count(*)::int AS n FROM blockers WHERE text LIKE 'load %'")).rows[0].n;
    const orphans = (await sql.query("SELECT count(*)::int AS n FROM blockers b WHERE NOT EXISTS (SELECT 1 FROM blocker_events e WHERE e.blocker_id = b.id AND e.kind = 'raised')")).rows[0].n;
    await sql.end();
    reportFigures('postgres restart under load', { requests: answers.length, saved, tryAgain, stored: rows, halfWritten: orphans, healthRecoveryMs: recoveryMs });
    expect(rows).toBe(saved);
    expect(orphans).toBe(0);
  }, 90_000);
});
