import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { createPreflight } from '../../src/create-preflight.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { deleteKeysWithPrefix } from '../support/redis.js';

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
      expect(preflight.deps).toMatchObject({ config, db: preflight.database.db, slack: preflight.slack.worker, wakeups: preflight.wakeups, log });
      expect(preflight.deps.observer).toBe(preflight.metrics?.observer);
      const client = new WebClient('xoxb-test');
      expect(preflight.depsFor(client)).toMatchObject({ db: preflight.listenerDatabase.db, slack: client, config });
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
});
