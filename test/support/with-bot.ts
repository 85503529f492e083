import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { type BotProcess, postToSlackEndpoint, type SpawnOptions, startBot } from './bot-process.js';
import { createTestDatabase, uniquePrefix } from './db.js';
import { SlackApiFake, type SlackApiFakeOptions } from './slack-api-fake.js';

/** What {@link withBot} started for a test file; read it inside tests and hooks (it throws before `beforeAll` ran). */
export interface BotUnderTest {
  /** The Slack Web API fake the bot calls (SLACK_API_URL). */
  readonly fake: SlackApiFake;
  /** The bot process (`npm start`). */
  readonly bot: BotProcess;
  /** The file's own database (cloned from the migrated template). */
  readonly db: { url: string; drop: () => Promise<void> };
  /** A pool on that database, for the test's own queries. */
  readonly sql: pg.Pool;
  /** The signing secret the bot verifies requests with. */
  readonly secret: string;
  /** The preflight.yml the bot runs (PREFLIGHT_CONFIG, from its "Preflight is running" log line): rewrite it to reload. */
  configPath(): string;
  /**
   * Sends SIGHUP to the bot itself (a reload, issue 20). `npm start` forwards only SIGINT and SIGTERM, so the signal
   * goes to the children of the npm process (`exec node` under npm).
   */
  sighup(): void;
  /** POSTs `body` to the bot's /slack/events, signed with {@link secret} (form-encoded unless told). */
  post(body: string, contentType?: 'application/x-www-form-urlencoded' | 'application/json', opts?: Parameters<typeof postToSlackEndpoint>[4]): Promise<Response>;
}

/** Options of {@link withBot}. */
export interface WithBotOptions {
  /** Label of the file's unique BullMQ prefix (QUEUE_PREFIX), e.g. `e2e`. */
  label: string;
  /** SLACK_SIGNING_SECRET (default `e2e-signing-secret`). */
  secret?: string;
  /** SLACK_BOT_TOKEN (default `xoxb-e2e`). */
  token?: string;
  /** More environment (PREFLIGHT_API_TOKEN, METRICS_TOKEN, LOG_LEVEL…); wins over the defaults. */
  env?: Record<string, string>;
  /** The fake's options (a posting cap, keep-alive…). */
  fake?: SlackApiFakeOptions;
  /** How the bot is run instead of `npm start` (see startBot). */
  spawn?: SpawnOptions;
  /** Whether stopping the bot (SIGTERM) must end it with exit code 0, a graceful shutdown (default true). */
  expectCleanExit?: boolean;
  /** Runs once the bot has stopped, before the rest is torn down (e.g. to check its whole output). */
  afterStop?: (bot: BotProcess) => void | Promise<void>;
  /** How long start-up may take, ms (the `beforeAll` hook's timeout; default 60 s). */
  startTimeoutMs?: number;
}

/**
 * The shared e2e fixture: registers the file's `beforeAll` (a Slack Web API fake, a fresh database and a pool on it,
 * then the real bot process with `config` as its preflight.yml, healthy) and `afterAll` (SIGTERM the bot and expect
 * exit code 0, then stop the fake, close the pool and drop the database, whatever failed). Call it once in a
 * `describe` body.
 * @param config the preflight.yml text (e.g. from test/support/config-factories.ts).
 */
export function withBot(config: string, opts: WithBotOptions): BotUnderTest {
  const secret = opts.secret ?? 'e2e-signing-secret';
  let started: { fake: SlackApiFake; bot?: BotProcess; db?: BotUnderTest['db']; sql?: pg.Pool } | undefined;
  const get = <K extends 'fake' | 'bot' | 'db' | 'sql'>(key: K): NonNullable<NonNullable<typeof started>[K]> => {
    const value = started?.[key];
    if (!value) throw new Error(`withBot: ${key} is not started yet (read it inside a test or hook)`);
    return value as NonNullable<NonNullable<typeof started>[K]>;
  };

  beforeAll(async () => {
    started = { fake: await new SlackApiFake(opts.fake).start() };
    started.db = await createTestDatabase();
    started.sql = new pg.Pool({ connectionString: started.db.url });
    started.bot = await startBot(
      {
        SLACK_BOT_TOKEN: opts.token ?? 'xoxb-e2e',
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: started.fake.url,
        DATABASE_URL: started.db.url,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: uniquePrefix(opts.label),
        ...opts.env,
      },
      config,
      undefined,
      opts.spawn,
    );
  }, opts.startTimeoutMs ?? 60_000);

  afterAll(async () => {
    const s = started;
    if (!s) return;
    let code: number | null | undefined;
    try {
      code = await s.bot?.stop();
      if (s.bot) await opts.afterStop?.(s.bot);
    } finally {
      await s.sql?.end();
      await s.fake.stop();
      await s.db?.drop();
    }
    if (s.bot && opts.expectCleanExit !== false) expect(code).toBe(0); // SIGTERM: graceful shutdown
  });

  return {
    get fake() {
      return get('fake');
    },
    get bot() {
      return get('bot');
    },
    get db() {
      return get('db');
    },
    get sql() {
      return get('sql');
    },
    secret,
    configPath: () => {
      const running = get('bot')
        .output()
        .split('\n')
        .find((l) => l.includes('Preflight is running'));
      if (!running) throw new Error('withBot: the bot has not logged "Preflight is running" yet');
      return (JSON.parse(running) as { config: string }).config;
    },
    sighup: () => {
      for (const pid of execFileSync('pgrep', ['-P', String(get('bot').child.pid)])
        .toString()
        .trim()
        .split('\n'))
        process.kill(Number(pid), 'SIGHUP');
    },
    post: (body, contentType = 'application/x-www-form-urlencoded', postOpts) => postToSlackEndpoint(get('bot').baseUrl, secret, body, contentType, postOpts),
  };
}
