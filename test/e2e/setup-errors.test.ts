import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort, runBotToExit, spawnBot, startBot, type BotProcess } from '../support/bot-process.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { SlackApiFake } from '../support/slack-api-fake.js';
import { SocketModeFake } from '../support/socket-mode-fake.js';

/*
 * What a new user sees when a setting is wrong: the real process (`npm start`), the Slack Web API faked over HTTP
 * (SLACK_API_URL), real Postgres and Redis. Each failure is one line on stderr naming the variable, exit code 1,
 * and no stack trace.
 */

const CONFIG = `
program: { name: Setup, timezone: America/New_York, pm: U0PM, channel: C0PROG }
workstreams:
  web: { name: Web, channel: C0WEB, members: [U01] }
`;

const STACK_FRAME = /^\s+at /m;

describe('npm start with a setting Slack or a service refuses', () => {
  let fake: SlackApiFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    [fake, db] = await Promise.all([new SlackApiFake().start(), createTestDatabase()]);
    env = {
      SLACK_BOT_TOKEN: 'xoxb-setup',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.url,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniquePrefix('setup'),
    };
  });
  afterAll(async () => {
    await fake?.stop();
    await db?.drop();
  });

  it('a bot token Slack answers invalid_auth to: one line naming SLACK_BOT_TOKEN, exit code 1', async () => {
    fake.script('auth.test', { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const res = await runBotToExit({ ...env, SLACK_BOT_TOKEN: 'xoxb-revoked-or-mistyped' }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe(
      'Preflight cannot start: Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page (reinstall the app if it was revoked) into SLACK_BOT_TOKEN.',
    );
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
    expect(res.stdout + res.stderr).not.toContain('xoxb-revoked-or-mistyped');
  }, 90_000);

  it('an app-level token Slack refuses (Socket Mode): one line naming SLACK_APP_TOKEN, exit code 1', async () => {
    fake.socketModeUrl = ''; // apps.connections.open answers invalid_auth
    const res = await runBotToExit({ ...env, SLACK_APP_TOKEN: 'xapp-1-wrong' }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe(
      'Preflight cannot start: Slack rejected SLACK_APP_TOKEN (invalid_auth): generate an app-level token with the connections:write scope under "Basic Information" → "App-Level Tokens" and set it as SLACK_APP_TOKEN, or leave SLACK_APP_TOKEN empty to receive Slack\'s requests over HTTP.',
    );
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
    expect(res.stdout + res.stderr).not.toContain('xapp-1-wrong');
  }, 90_000);

  it('a SLACK_API_URL nothing answers on: one line within 20 s naming what to check, exit code 1', async () => {
    const port = await freePort();
    const res = await runBotToExit({ ...env, SLACK_API_URL: `http://127.0.0.1:${port}/api/` }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe('Preflight cannot start: could not reach Slack to check SLACK_BOT_TOKEN (no answer within 20 s): check the network, and SLACK_API_URL if you set it.');
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
  }, 90_000);

  it('a REDIS_URL nothing answers on: one line, and nothing before it, after waiting up to 6 s from start-up, exit code 1', async () => {
    // a port that was free a moment ago and that nothing listens on
    const port = await freePort();
    const res = await runBotToExit({ ...env, REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe(
      `Preflight cannot start: Redis at REDIS_URL (redis://127.0.0.1:${port}) did not answer within 6 s of start-up (connect ECONNREFUSED 127.0.0.1:${port}): check REDIS_URL and that Redis is running.`,
    );
    // the one line is all there is: ioredis's reconnect errors while it is waited for are not logged
    expect(res.stdout.trim()).toBe('');
    expect(res.stdout + res.stderr).not.toContain('hunter2');
    // a sanity bound only (the wait is measured from the process start, see redisBootWaitMs): minutes would mean it never gave up
    expect(res.ms).toBeLessThan(30_000);
  }, 90_000);

  it('a DATABASE_URL nothing answers on: one line naming DATABASE_URL, without its password, exit code 1', async () => {
    const port = await freePort(); // free a moment ago; nothing listens on it
    const res = await runBotToExit({ ...env, DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/preflight` }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe(
      `Preflight cannot start: could not create or migrate the database at DATABASE_URL (postgres://127.0.0.1:${port}/preflight): connect ECONNREFUSED 127.0.0.1:${port}. Check DATABASE_URL and that Postgres is running.`,
    );
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
    expect(res.stdout + res.stderr).not.toContain('hunter2');
  }, 90_000);

  it('a DATABASE_URL whose server accepts the connection and never answers: the same line after 10 s, not a hang', async () => {
    const silent = createServer(() => {}); // accepts TCP connections, never speaks Postgres
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const res = await runBotToExit({ ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/preflight` }, CONFIG);
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr.trim()).toMatch(
        new RegExp(
          `^Preflight cannot start: could not create or migrate the database at DATABASE_URL \\(postgres://127\\.0\\.0\\.1:${port}/preflight\\): .*timeout.*\\. Check DATABASE_URL and that Postgres is running\\.$`,
        ),
      );
      // the connection is given up after 10 s (CONNECT_TIMEOUT_MS); the rest is tsx loading the bot on a loaded box
      expect(res.ms).toBeLessThan(45_000);
    } finally {
      silent.close();
    }
  }, 90_000);

  it('a person given by an email no member has: the file, line, key path and address, exit code 1', async () => {
    const config = CONFIG.replace('members: [U01]', 'members: [U01, nobody@example.com]');
    const res = await runBotToExit(env, config);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    const [first, second, ...rest] = res.stderr.trim().split('\n');
    expect(first).toMatch(/^Preflight cannot start: \S+preflight\.yml has 1 problem:$/);
    expect(second).toMatch(
      /^\S+preflight\.yml:4:\d+ workstreams\.web\.members\.1: nobody@example\.com: no member of this Slack workspace has this email address \(users\.lookupByEmail: users_not_found\); check the spelling, or use their user ID$/,
    );
    expect(rest).toEqual([]);
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
  }, 90_000);

  it('people given by email run like user IDs: resolved at start-up with users.lookupByEmail and stored in Postgres', async () => {
    fake.usersByEmail.set('ana@example.com', 'U0ANA');
    const bot = await startBot(env, CONFIG.replace('pm: U0PM', 'pm: Ana@Example.com'));
    try {
      expect(fake.ok('users.lookupByEmail', (a) => a.email === 'ana@example.com')).toHaveLength(1);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const rows = (await client.query('SELECT email, user_id FROM slack_user_emails')).rows;
      await client.end();
      expect(rows).toEqual([{ email: 'ana@example.com', user_id: 'U0ANA' }]);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 90_000);
});

describe('Socket Mode: /healthz reports the WebSocket to Slack', () => {
  let fake: SlackApiFake;
  let socketFake: SocketModeFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let bot: BotProcess | undefined;
  beforeAll(async () => {
    [fake, socketFake, db] = await Promise.all([new SlackApiFake().start(), new SocketModeFake().start(), createTestDatabase()]);
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([fake?.stop(), socketFake?.stop()]);
    await db?.drop();
  });

  const healthz = async () => {
    const res = await fetch(`${bot!.baseUrl}/healthz`).catch(() => undefined);
    return res ? { status: res.status, body: (await res.json()) as Record<string, unknown> } : undefined;
  };
  /** Polls /healthz until `want` holds; 20 s covers a loaded box (tsx start-up, the client's reconnect back-off). */
  const waitForHealth = async (want: (h: { status: number; body: Record<string, unknown> }) => boolean) => {
    const end = Date.now() + 45_000;
    let last: Awaited<ReturnType<typeof healthz>>;
    while (Date.now() < end) {
      last = await healthz();
      if (last && want(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`/healthz never answered as expected; last: ${JSON.stringify(last)}\n${bot!.output()}`);
  };

  it('503 with slack "disconnected" until Slack says hello, 200 "connected" after, 503 when the WebSocket drops, 200 again after reconnecting', async () => {
    socketFake.sayHello = false; // the socket opens but Slack's hello never comes
    fake.socketModeUrl = socketFake.url;
    bot = await spawnBot(
      {
        SLACK_BOT_TOKEN: 'xoxb-socket',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_APP_TOKEN: 'xapp-1-socket',
        SLACK_API_URL: fake.url,
        DATABASE_URL: db.url,
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: uniquePrefix('socket'),
      },
      CONFIG,
    );
    const waiting = await waitForHealth((h) => h.status === 503);
    expect(waiting.body).toEqual({ ok: false, postgres: 'ok', redis: 'ok', slack: 'disconnected' });

    socketFake.sayHello = true;
    socketFake.dropAll(); // the client reconnects and, this time, gets its hello
    const up = await waitForHealth((h) => h.status === 200);
    expect(up.body).toEqual({ ok: true, postgres: 'ok', redis: 'ok', slack: 'connected' });

    // Slack goes away: the next reconnect finds no WebSocket server until it is back
    socketFake.sayHello = false;
    socketFake.dropAll();
    const down = await waitForHealth((h) => h.status === 503);
    expect(down.body).toMatchObject({ ok: false, slack: 'disconnected' });
    socketFake.sayHello = true;
    socketFake.dropAll();
    await waitForHealth((h) => h.status === 200);
    expect(bot.child.exitCode).toBeNull();
  }, 120_000);
});
