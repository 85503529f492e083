import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { createPreflight } from '../../src/create-preflight.js';
import { PlanHolder } from '../../src/services/plan/holder.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { deleteKeysWithPrefix } from '../support/redis.js';
import { nockSlack } from '../support/slack-nock.js';

describe('createPreflight builds one process’s dependencies (real Postgres and Redis)', () => {
  let db: { url: string; drop: () => Promise<void> };
  const prefix = uniquePrefix('create');
  const log = pino({ level: 'silent' });
  const env = () =>
    loadEnv({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'https://slack.test/api/', DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
  const config = resolveProgram(parseWorkspaceConfig(aConfig(), 'test.yml'));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    const redis = new Redis(inject('redisUrl'));
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await db?.drop();
  });

  it('hands the services one Deps: the workers’ pool for jobs, the listeners’ pool for Slack requests, metrics observed', async () => {
    const preflight = createPreflight(env(), config, { log });
    try {
      // identities (toBe), not toMatchObject: a deep walk over the pool, the WebClient and the logger took 9 s
      const { deps } = preflight;
      expect(deps.config).toBe(config);
      expect(deps.db).toBe(preflight.database.db);
      expect(deps.slack).toBe(preflight.slack.worker);
      expect(deps.wakeups).toBe(preflight.wakeups);
      expect(deps.log).toBe(log);
      expect(deps.observer).toBe(preflight.metrics?.observer);
      const client = new WebClient('xoxb-test');
      const listening = preflight.depsFor(client);
      expect(listening.db).toBe(preflight.listenerDatabase.db);
      expect(listening.slack).toBe(client);
      expect(listening.config).toBe(config);
      expect((await preflight.database.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await preflight.wakeups.withdrawSignOffs([7]);
      expect(await preflight.queues.escalation.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await preflight.close();
    }
  });

  it('withConfig keeps the connections and swaps the config; without metrics there is no observer', async () => {
    const preflight = createPreflight(env(), config, { log, metrics: false });
    try {
      const other = resolveProgram(parseWorkspaceConfig(aConfig({ workstreams: [aWorkstream({ id: 'omega' })] }), 'other.yml'));
      const swapped = preflight.withConfig(other);
      expect(swapped.config).toBe(other);
      expect(swapped.deps.config).toBe(other);
      expect(swapped.queues).toBe(preflight.queues);
      expect(swapped.database).toBe(preflight.database);
      expect(preflight.metrics).toBeUndefined();
      expect(preflight.deps.observer).toBeUndefined();
      const workers = await swapped.startWorkers({ tickMs: 3_600_000, sweepMs: 3_600_000 });
      expect(workers.workers.length).toBeGreaterThan(0);
    } finally {
      await preflight.close(); // closes the workers started through withConfig's value too
    }
  });

  it('withConfig(holder): every Deps reads the holder’s current plan; a copy of the Deps (one per job) keeps the plan it copied', async () => {
    const preflight = createPreflight(env(), config, { log, metrics: false });
    try {
      const holder = new PlanHolder({ program: config, version: 'v1', serial: 1, appliedAt: new Date(), appliedBy: 'startup' });
      const live = preflight.withConfig(holder);
      const listening = live.depsFor(new WebClient('xoxb-test'));
      const job = { ...live.deps };
      const other = resolveProgram(parseWorkspaceConfig(aConfig({ workstreams: [aWorkstream({ id: 'omega' })] }), 'other.yml'));
      expect(holder.apply({ program: other, version: 'v2', serial: 2, appliedAt: new Date(), appliedBy: 'file' })).toBe(true);
      expect(live.config).toBe(other);
      expect(live.deps.config).toBe(other);
      expect(listening.config).toBe(other);
      expect(job.config).toBe(config);
      expect({ ...live.deps }.config).toBe(other);
      // a Slack request runs pinned: a swap while it runs applies from the next one
      const third = resolveProgram(parseWorkspaceConfig(aConfig({ workstreams: [aWorkstream({ id: 'sigma' })] }), 'third.yml'));
      await holder.pin(async () => {
        holder.apply({ program: third, version: 'v3', serial: 3, appliedAt: new Date(), appliedBy: 'sighup' });
        await new Promise((r) => setTimeout(r, 1));
        expect(listening.config).toBe(other);
        expect(holder.current.version).toBe('v3');
      });
      expect(listening.config).toBe(third);
    } finally {
      await preflight.close();
    }
  });
  it("one rate-limit gate for the process: after the workers' client gets a 429, the lookup client's next post waits for its Retry-After too", async () => {
    const slack = nockSlack();
    const preflight = createPreflight(env(), config, { log, metrics: false });
    try {
      slack.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      await expect(preflight.slack.worker.chat.postMessage({ channel: 'U1', text: 'first' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
      const refused = Date.now();
      const held = preflight.rateLimitGate.state();
      expect(held).toEqual([{ key: 'chat.postMessage', closedForMs: expect.any(Number), spacingMs: 1_000 }]);
      expect(held[0]!.closedForMs).toBeGreaterThan(0);
      // another client of the same process, another channel: the workspace's limit holds it
      await preflight.slack.lookup.chat.postMessage({ channel: 'U2', text: 'second' });
      expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args.text)).toEqual(['second']);
      // not before the Retry-After ran out (1 ms: timers' rounding)
      expect(Date.now() - refused).toBeGreaterThanOrEqual(held[0]!.closedForMs - 1);
    } finally {
      await preflight.close();
      slack.done();
    }
  });
});
