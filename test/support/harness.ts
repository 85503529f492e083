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
import type { RequestsFirst } from '../../src/jobs/requests-first.js';
import type { Workers } from '../../src/jobs/workers.js';
import type { Deps } from '../../src/services/deps.js';
import { createTestDatabase, uniquePrefix } from './db.js';
import { NOCK_SLACK_URL } from './slack-nock.js';
import { deleteKeysWithPrefix } from './redis.js';

/** One "bot process" on a shared database and Redis prefix: its own pool, queues, workers and Slack client. */
export interface Process {
  deps: Deps;
  database: Database;
  queues: Queues;
  workers?: Workers;
  stop(): Promise<void>;
}

/**
 * Waits until the scheduler queue holds no job waiting or running (its iterations due now are done; the next ones
 * are delayed). Polls every 20 ms; throws after 30 s, naming what is still there.
 */
async function schedulerSettled(queues: Queues): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await queues.scheduler.getJobCounts('waiting', 'active', 'prioritized');
    if (Object.values(counts).every((n) => !n)) return;
    if (Date.now() > deadline) throw new Error(`the job schedulers' first iterations did not finish within 30 s: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
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
          });
    // BullMQ runs an `every` job scheduler's first iteration at once (addJobScheduler: nextMillis = now), so a
    // process starts with a tick and a sweep on the test's clock. With the hour-long defaults the test means "no tick
    // unless I call it": wait for those first ones, or one would race the test's own tick (two runs inserted at once
    // take two ids from the sequence, and the run a test names as 1 can be 2).
    if (workers && (opts.tickMs ?? 3_600_000) >= 60_000 && (opts.sweepMs ?? 3_600_000) >= 60_000) await schedulerSettled(queues);
    const p: Process = {
      deps,
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
