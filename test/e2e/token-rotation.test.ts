import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, runBotToExit, startBot } from '../support/bot-process.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { SlackApiFake } from '../support/slack-api-fake.js';

/*
 * Token rotation (issue 24) in the real process (`npm start`), the Web API faked over HTTP by the stand-in with
 * rotation on (oauth.v2.access refreshes; expired bot tokens get token_expired), real Postgres and Redis.
 */

const CONFIG = `
program: { name: Rotation, timezone: UTC, pm: U0PM, channel: C0PROG }
workstreams:
  web: { name: Web, channel: C0WEB, members: [U01] }
`;
const SEED = 'xoxe-1-e2e-seed-refresh-token';
const CLIENT = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'e2e-client-secret-value' };

describe('npm start with token rotation on', () => {
  let fake: SlackApiFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    [fake, db] = await Promise.all([new SlackApiFake().start(), createTestDatabase()]);
    fake.rotation.start({ clientId: CLIENT.SLACK_CLIENT_ID, clientSecret: CLIENT.SLACK_CLIENT_SECRET, refreshToken: SEED });
    env = {
      SLACK_BOT_TOKEN: 'xoxe.xoxb-1-e2e-first-bot-token',
      SLACK_REFRESH_TOKEN: SEED,
      ...CLIENT,
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.url,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniquePrefix('rotation-e2e'),
      LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    for (const b of bots) await b.stop().catch(() => {});
    await fake?.stop();
    await db?.drop();
  });

  it('a refresh token Slack refuses: one line naming SLACK_REFRESH_TOKEN, exit code 1, no token printed', async () => {
    const res = await runBotToExit({ ...env, SLACK_REFRESH_TOKEN: 'xoxe-1-e2e-revoked' }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toMatch(/^Preflight cannot start: Slack refused SLACK_REFRESH_TOKEN \(invalid_refresh_token\): .*reinstall the app/);
    expect(res.stdout + res.stderr).not.toMatch(/^\s+at /m);
    expect(res.stdout + res.stderr).not.toContain('xoxe-1-e2e-revoked');
    expect(res.stdout + res.stderr).not.toContain(CLIENT.SLACK_CLIENT_SECRET);
  }, 90_000);

  it('two replicas starting together: one refresh between them, the chain in Postgres, no token in their logs', async () => {
    const before = fake.calls.filter((c) => c.method === 'oauth.v2.access' && c.status === 200).length;
    bots.push(...(await Promise.all([startBot(env, CONFIG, 90_000), startBot(env, CONFIG, 90_000)])));
    const refreshes = fake.calls.filter((c) => c.method === 'oauth.v2.access').slice(before);
    expect(refreshes).toHaveLength(1);
    expect(fake.rotation.refreshes).toBe(1);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT access_token, refresh_token, expires_at FROM slack_tokens');
    await client.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].access_token).toMatch(/^xoxe\.xoxb-1-rotated/);
    const output = bots.map((b) => b.output()).join('\n');
    for (const secret of [SEED, env.SLACK_BOT_TOKEN!, CLIENT.SLACK_CLIENT_SECRET, rows[0].access_token, rows[0].refresh_token]) expect(output).not.toContain(secret);
    expect(output).toContain('Slack token rotation: refreshed the bot token');
  }, 120_000);
});
