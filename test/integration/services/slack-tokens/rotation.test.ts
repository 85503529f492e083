import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { loadEnv } from '../../../../src/config/env.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { createPreflight, type Preflight } from '../../../../src/create-preflight.js';
import { createLogger } from '../../../../src/logger.js';
import { TokenRotationError } from '../../../../src/services/slack-tokens/errors.js';
import { createSlackApp } from '../../../../src/slack/app.js';
import { SlackStartError } from '../../../../src/slack/start-errors.js';
import { RotatingWebClient } from '../../../../src/slack/token-rotation.js';
import { aConfig } from '../../../support/config-factories.js';
import { createTestDatabase, uniquePrefix } from '../../../support/db.js';
import { deleteKeysWithPrefix } from '../../../support/redis.js';
import { NOCK_SLACK_URL, nockSlack } from '../../../support/slack-nock.js';
import { slashCommandBody } from '../../../support/slack-payloads.js';

/**
 * Token rotation (issue 24) on real Postgres and Redis, Slack faked at the HTTP boundary (nock, with Slack's
 * oauth.v2.access refresh and `token_expired`), the clock injected: the test moves it across the token's 12 hours.
 */
const SEED = 'xoxe-1-seed-refresh-token-from-env';
const FIRST_BOT_TOKEN = 'xoxe.xoxb-1-first-bot-token-from-env';
const CLIENT_ID = '1234567890.0987654321';
const CLIENT_SECRET = 'client-secret-never-logged-0123';

describe('Slack token rotation (real Postgres and Redis, Slack faked at the HTTP boundary)', () => {
  let db: { url: string; drop: () => Promise<void> };
  const prefix = uniquePrefix('rotation');
  const config = resolveProgram(parseWorkspaceConfig(aConfig(), 'test.yml'));
  // the test's own clock (any instant: nothing here depends on the hour or the date)
  const clock = fixedClock('2026-04-01T08:00:00Z');
  let slack: ReturnType<typeof nockSlack>;
  let logged: string[];
  let processes: Preflight[];

  const rotationEnv = (over: Record<string, string> = {}) =>
    loadEnv({
      SLACK_BOT_TOKEN: FIRST_BOT_TOKEN,
      SLACK_REFRESH_TOKEN: SEED,
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: NOCK_SLACK_URL,
      DATABASE_URL: db.url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      ...over,
    });
  /** A replica: its own pools, clients and token holder, logging everything (trace) into `logged`. */
  const replica = (env = rotationEnv()) => {
    const log = createLogger(
      'trace',
      new Writable({
        write(chunk, _enc, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    );
    const p = createPreflight(env, config, { clock, log, metrics: false });
    processes.push(p);
    return p;
  };
  const oauthCalls = () => slack.of('oauth.v2.access');
  const posts = () => slack.of('chat.postMessage');
  const tokenRow = async (p: Preflight) => (await p.database.pool.query('SELECT access_token, refresh_token, expires_at FROM slack_tokens')).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  beforeEach(async () => {
    clock.set('2026-04-01T08:00:00Z');
    logged = [];
    processes = [];
    slack = nockSlack({ now: () => clock.now().toMillis() });
    slack.rotation.start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: SEED });
  });
  afterEach(async () => {
    // every token and secret of the test, from the environment and from Slack's answers: none is in any log line
    const secrets = new Set([SEED, FIRST_BOT_TOKEN, CLIENT_SECRET]);
    for (const c of slack.calls) {
      if (c.token) secrets.add(c.token);
      if (typeof c.args.refresh_token === 'string') secrets.add(c.args.refresh_token);
    }
    for (const p of processes) for (const row of await tokenRow(p).catch(() => [])) secrets.add(row.access_token).add(row.refresh_token);
    for (const p of processes.splice(0)) await p.close();
    slack.done();
    const leaks = logged.filter((line) => [...secrets].some((s) => line.includes(s)));
    expect(leaks, 'log lines with a token or secret').toEqual([]);
  });
  afterAll(async () => {
    const redis = new Redis(inject('redisUrl'));
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await db?.drop();
  });

  it('exchanges SLACK_REFRESH_TOKEN at the first call, then refreshes only when less than 30 minutes are left; the jobs’ client carries the new token', async () => {
    const p = replica();
    await p.database.pool.query('DELETE FROM slack_tokens');
    expect(p.slack.worker).toBeInstanceOf(RotatingWebClient);

    await p.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'one' });
    expect(oauthCalls().map((c) => c.args.refresh_token)).toEqual([SEED]);
    const first = posts()[0]!.token!;
    expect(first).toMatch(/^xoxe\.xoxb-/);
    expect(first).not.toBe(FIRST_BOT_TOKEN);
    const [row] = await tokenRow(p);
    expect(row.access_token).toBe(first);
    expect(new Date(row.expires_at).getTime()).toBe(clock.now().plus({ hours: 12 }).toMillis());

    // 11 h 29 min later: 31 minutes left, no refresh
    clock.advance({ hours: 11, minutes: 29 });
    await p.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'two' });
    await p.slack.lookup.users.lookupByEmail({ email: 'a@example.com' }).catch(() => {});
    expect(oauthCalls()).toHaveLength(1);
    expect(posts()[1]!.token).toBe(first);

    // 2 minutes on: 29 minutes left, refreshed with the refresh token Slack gave last time
    clock.advance({ minutes: 2 });
    await p.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'three' });
    expect(oauthCalls()).toHaveLength(2);
    expect(oauthCalls()[1]!.args.refresh_token).toBe(row.refresh_token);
    const second = posts()[2]!.token!;
    expect(second).not.toBe(first);
    expect((await tokenRow(p))[0].access_token).toBe(second);
    expect(slack.refused).toEqual([]);
  });

  it('two replicas: one refresh between them, both call Slack with the same token, and a restart keeps the chain', async () => {
    const a = replica();
    const b = replica();
    await a.database.pool.query('DELETE FROM slack_tokens');
    await Promise.all([a.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'a' }), b.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'b' })]);
    expect(oauthCalls()).toHaveLength(1);
    expect(new Set(posts().map((c) => c.token)).size).toBe(1);

    clock.advance({ hours: 11, minutes: 45 });
    await Promise.all([a.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'a2' }), b.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'b2' })]);
    expect(oauthCalls()).toHaveLength(2);
    const later = posts().slice(2);
    expect(later).toHaveLength(2);
    expect(later[0]!.token).toBe(later[1]!.token);
    expect(later[0]!.token).not.toBe(posts()[0]!.token);

    // a third replica started later (same SLACK_REFRESH_TOKEN, already exchanged) reads the row and refreshes nothing
    const c = replica();
    await c.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'c' });
    expect(oauthCalls()).toHaveLength(2);
    expect(posts()[4]!.token).toBe(later[0]!.token);
  });

  it('Slack answers token_expired: the call is made again with a refreshed token; a replica another one refreshed for reads the row', async () => {
    const a = replica();
    const b = replica();
    await a.database.pool.query('DELETE FROM slack_tokens');
    await a.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'a' });
    await b.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'b' });
    const first = posts()[0]!.token!;
    expect(oauthCalls()).toHaveLength(1);

    slack.rotation.expire(first); // revoked early, as Slack may
    await a.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'a again' });
    expect(slack.refused.map((c) => c.token)).toEqual([first]);
    expect(oauthCalls()).toHaveLength(2);
    const second = posts()[2]!.token!;
    expect(second).not.toBe(first);

    // b still holds the first token: Slack refuses it, b finds the second in Postgres without a refresh of its own
    await b.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'b again' });
    expect(oauthCalls()).toHaveLength(2);
    expect(posts()[3]!.token).toBe(second);
    expect(posts().map((c) => c.args.text)).toEqual(['a', 'b', 'a again', 'b again']);
  });

  it('Bolt’s listeners get the current token (authorize) and their Deps’ client too, before and after a refresh', async () => {
    const p = replica();
    await p.database.pool.query('DELETE FROM slack_tokens');
    const app = createSlackApp({ env: p.env, log: p.log, redis: p.redis.producer, health: async () => ({ ok: true, postgres: 'ok', redis: 'ok' }), tokens: p.tokens! });
    await app.init();
    expect(app.client).toBeInstanceOf(RotatingWebClient);
    app.app.command('/rotation-test', async ({ ack, client }) => {
      await ack();
      await client.chat.postMessage({ channel: 'C0LAUNCH', text: 'from the listener' });
      await app.client.chat.postMessage({ channel: 'C0LAUNCH', text: 'from the Deps client' });
    });
    const send = () => app.app.processEvent({ body: Object.fromEntries(new URLSearchParams(slashCommandBody({ command: '/rotation-test', text: '', userId: 'U01' }))), ack: async () => {} });

    await send();
    const first = posts()[0]!.token!;
    expect(posts().map((c) => c.token)).toEqual([first, first]);
    clock.advance({ hours: 11, minutes: 31 });
    await send();
    const second = posts()[2]!.token!;
    expect(second).not.toBe(first);
    expect(posts().map((c) => c.token)).toEqual([first, first, second, second]);
    expect(oauthCalls()).toHaveLength(2);
  });

  it('a refresh token Slack refuses: a clear error naming SLACK_REFRESH_TOKEN (and start-up stops with it); a wrong secret names SLACK_CLIENT_SECRET', async () => {
    const refused = replica(rotationEnv({ SLACK_REFRESH_TOKEN: 'xoxe-1-revoked-refresh-token' }));
    await refused.database.pool.query('DELETE FROM slack_tokens');
    const err = await refused.tokens!.current().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRotationError);
    expect((err as TokenRotationError).variable).toBe('SLACK_REFRESH_TOKEN');
    expect((err as Error).message).toMatch(/^Slack refused SLACK_REFRESH_TOKEN \(invalid_refresh_token\): .*reinstall the app/);
    expect((err as Error).message).not.toContain('xoxe-1-revoked');

    const app = createSlackApp({ env: refused.env, log: refused.log, redis: refused.redis.producer, health: async () => ({ ok: true, postgres: 'ok', redis: 'ok' }), tokens: refused.tokens! });
    const startErr = await app.init().catch((e: unknown) => e);
    expect(startErr).toBeInstanceOf(SlackStartError);
    expect((startErr as Error).message).toMatch(/^Preflight cannot start: Slack refused SLACK_REFRESH_TOKEN \(invalid_refresh_token\)/);
    expect(await tokenRow(refused)).toEqual([]);
    expect(posts()).toEqual([]);

    const badSecret = replica(rotationEnv({ SLACK_CLIENT_SECRET: 'not-the-secret-of-this-app' }));
    await expect(badSecret.tokens!.current()).rejects.toThrow(/SLACK_CLIENT_SECRET \(bad_client_secret\)/);
  });

  it('a new SLACK_REFRESH_TOKEN (a reinstall) starts a new chain; an old one Slack refuses (a replica left from before) follows the row', async () => {
    const first = replica();
    await first.database.pool.query('DELETE FROM slack_tokens');
    await first.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'first chain' });
    expect(oauthCalls()).toHaveLength(1);

    // reinstalled: Slack gave a new refresh token, set in the environment of the new replica
    const NEW_SEED = 'xoxe-1-after-reinstall';
    slack.rotation.start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: NEW_SEED });
    const reinstalled = replica(rotationEnv({ SLACK_REFRESH_TOKEN: NEW_SEED }));
    await reinstalled.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'new chain' });
    expect(oauthCalls().map((c) => c.args.refresh_token)).toEqual([SEED, NEW_SEED]);
    const current = posts()[1]!.token!;
    expect((await tokenRow(reinstalled))[0].access_token).toBe(current);

    // a replica still started with the first SLACK_REFRESH_TOKEN (spent): Slack refuses it, the row serves
    const old = replica();
    await old.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'old replica' });
    expect(posts()[2]!.token).toBe(current);
    expect(logged.some((l) => l.includes('SLACK_REFRESH_TOKEN was already exchanged; using the tokens kept in Postgres'))).toBe(true);
    // and it refreshes the row's chain when due, like any replica
    const chained = (await tokenRow(reinstalled))[0].refresh_token;
    expect(oauthCalls().at(-1)!.args.refresh_token).toBe(SEED); // the refused attempt
    clock.advance({ hours: 11, minutes: 40 });
    await old.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'old replica later' });
    expect(oauthCalls().at(-1)!.args.refresh_token).toBe(chained);
    expect(posts()[3]!.token).not.toBe(current);
    expect(slack.refused).toEqual([]);
  });

  it('without the rotation variables nothing changes: SLACK_BOT_TOKEN on every call, no token holder, no slack_tokens row', async () => {
    const p = replica(
      loadEnv({ SLACK_BOT_TOKEN: 'xoxb-plain-bot-token', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: NOCK_SLACK_URL, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix }),
    );
    await p.database.pool.query('DELETE FROM slack_tokens');
    expect(p.tokens).toBeUndefined();
    expect(p.slack.worker).not.toBeInstanceOf(RotatingWebClient);
    await p.deps.slack.chat.postMessage({ channel: 'C0LAUNCH', text: 'plain' });
    expect(posts().map((c) => c.token)).toEqual(['xoxb-plain-bot-token']);
    expect(oauthCalls()).toEqual([]);
    expect(await tokenRow(p)).toEqual([]);
  });
});
