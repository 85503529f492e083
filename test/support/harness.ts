import type { SlackRateLimitGate } from '../../src/slack/rate-limit-gate.js';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { inject } from 'vitest';
import { fixedClock, systemClock, type Clock } from '../../src/clock.js';
import { loadEnv } from '../../src/config/env.js';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { createPreflight } from '../../src/create-preflight.js';
import type { PlanHolder } from '../../src/services/plan/holder.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { Queues } from '../../src/jobs/queues.js';
import { dueWorkSweep, standupTick } from '../../src/jobs/registry.js';
import type { RequestsFirst } from '../../src/jobs/requests-first.js';
import type { Workers } from '../../src/jobs/workers.js';
import type { Deps } from '../../src/services/deps.js';
import { createTestDatabase, uniquePrefix } from './db.js';
import { NOCK_SLACK_URL } from './slack-nock.js';
import { deleteKeysWithPrefix } from './redis.js';

/** One "bot process" on a shared database and Redis prefix: its own pool, queues, workers and Slack client. */
export interface Process {
  deps: Deps;
  /** The process's Slack rate-limit gate (src/slack/rate-limit-gate.ts), for tests that hold a limit. */
  rateLimitGate: SlackRateLimitGate;
  database: Database;
  queues: Queues;
  workers?: Workers;
  stop(): Promise<void>;
}

/**
 * Integration harness: a fresh database, a unique BullMQ prefix on the real Redis, a clock (fixed at
 * `startIso`, which the test moves, or the real one for `'real-time'`, for tests of BullMQ delayed jobs), and
 * `process()` to start as many bot processes as a test needs (workers included).
 */
export async function harness(yaml: string, startIso: string | 'real-time') {
  const { url, drop } = await createTestDatabase();
  const prefix = uniquePrefix('it');
  const fixed = startIso === 'real-time' ? null : fixedClock(startIso);
  const clock: Clock & Partial<ReturnType<typeof fixedClock>> = fixed ?? systemClock;
  const config = resolveProgram(parseWorkspaceConfig(yaml, 'test.preflight.yml'));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redisUrl = inject('redisUrl');
  const processes: Process[] = [];

  const env = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-secret', SLACK_API_URL: NOCK_SLACK_URL, DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });

  /**
   * Starts a bot process. `opts.plan`: its Deps read the plan this holder holds (as src/preflight.ts wires a
   * running process), so a reload swaps it for the later jobs; otherwise the harness's fixed config.
   */
  async function process_(opts: { workers?: boolean; tickMs?: number; sweepMs?: number; keeperMs?: number; requestsFirst?: Pick<RequestsFirst, 'idle'>; plan?: PlanHolder } = {}): Promise<Process> {
    const base = createPreflight(env, config, { clock, log, metrics: false });
    const preflight = opts.plan ? base.withConfig(opts.plan) : base;
    const { deps, database, queues } = preflight;
    const workers =
      opts.workers === false
        ? undefined
        : await preflight.startWorkers({
            tickMs: opts.tickMs ?? 3_600_000,
            sweepMs: opts.sweepMs ?? 3_600_000,
            schedulerKeeperMs: opts.keeperMs,
            requestsFirst: opts.requestsFirst,
            // BullMQ runs an `every` job scheduler's first iteration at once: a tick or sweep the test did not ask for
            // would race the one it runs itself (two runs inserted at once take two ids; a sweep's counts go to the
            // other). With no interval given, the test runs them: their first iteration is an interval away.
            holdFirstIteration: [...(opts.tickMs === undefined ? [standupTick.schedulerId] : []), ...(opts.sweepMs === undefined ? [dueWorkSweep.schedulerId] : [])],
          });
    const p: Process = {
      deps,
      rateLimitGate: preflight.rateLimitGate,
      database,
      queues,
      workers,
      stop: () => preflight.close(),
    };
    processes.push(p);
    return p;
  }

  return {
    /** The fixed clock (throws on set/advance in real-time mode). */
    clock: fixed ?? (clock as ReturnType<typeof fixedClock>),
    config,
    prefix,
    /** The test database's URL (for a client of its own, as a benchmark's checks use). */
    url,
    process: process_,
    /** Runs SQL against the test database. */
    async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
      const db = processes[0]?.database ?? openDatabase(url);
      const res = await db.pool.query(text, params);
      return res.rows as T[];
    },
    async cleanup() {
      for (const p of processes.splice(0)) await p.stop().catch(() => {});
      const r = new Redis(redisUrl);
      await deleteKeysWithPrefix(r, prefix);
      await r.quit();
      await drop();
    },
  };
}
