/**
 * The dependencies of one Preflight process, built in one place: logger, clock, Postgres pools, Redis connections,
 * BullMQ queues and wake-ups, metrics, the Slack Web API clients and the services' Deps. src/preflight.ts (the
 * production start), the test harness and the benchmarks all build them here, so they run the same wiring.
 */
import { WebClient } from '@slack/web-api';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import { type Env, rotationOn } from './config/env.js';
import type { Program } from './domain/program/program.js';
import { type ConnectionWarnings, connectionWarnings } from './connection-warnings.js';
import { type Database, LISTENER_POOL_SIZE, openDatabase } from './db/client.js';
import { redisConnection } from './jobs/connection.js';
import { createQueues, type Queues, queueDepths, queueWakeups } from './jobs/queues.js';
import { startWorkers, type Workers } from './jobs/workers.js';
import { createLogger, logFormat } from './logger.js';
import { Metrics } from './metrics/metrics.js';
import { observedSlackFetch } from './metrics/slack-adapter.js';
import { openBlockerCounts } from './services/blockers/queries.js';
import type { Deps } from './services/deps.js';
import { PlanHolder } from './services/plan/holder.js';
import type { Wakeups } from './services/wakeups.js';
import { blockKitRenderer } from './slack/blocks/renderer.js';
import { boltLogger } from './slack/logger.js';
import { gatedSlackFetch, lateBoundFetch, refusingHeldCalls, SlackRateLimitGate } from './slack/rate-limit-gate.js';
import { type TokenRotation, tokenRotation } from './services/slack-tokens/rotation.js';
import { RotatingWebClient, slackTokenRefresher } from './slack/token-rotation.js';

/** How long one Web API call of the workers' and the lookup client may take, ms (from when it leaves the rate-limit gate). */
const SLACK_CALL_TIMEOUT_MS = 10_000;

/** What a caller may set instead of the production defaults (tests and benchmarks). */
export interface PreflightOverrides {
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: `createLogger(env.LOG_LEVEL)` in `env.LOG_FORMAT`. */
  log?: Logger;
  /** BullMQ's producer connection when the caller already opened it (main.ts waits for Redis with it). */
  producer?: Redis | Cluster;
  /** Size of the workers' Postgres pool (default 10, openDatabase's). */
  poolSize?: number;
  /**
   * Prometheus metrics (default true): the Slack clients report each call, the workers each job, the services'
   * Observer hooks are set. Off in the tests and benchmarks, which measure the bot without them.
   */
  metrics?: boolean;
}

/** Options of {@link Preflight.startWorkers}: startWorkers' own, less what Preflight already holds. */
export type WorkerOptions = Omit<Parameters<typeof startWorkers>[0], 'deps' | 'queues' | 'connection' | 'prefix' | 'tickMs' | 'observe'> & {
  /** The check-in tick, ms (default `config.scheduler.tick`). */
  tickMs?: number;
};

/** One process's dependencies (see {@link createPreflight}). */
export interface Preflight {
  readonly env: Env;
  readonly config: Program;
  readonly log: Logger;
  readonly clock: Clock;
  /** Connection-error warnings (at most one per dependency per 30 s) for the clients built here. */
  readonly warnings: ConnectionWarnings;
  /** The workers' and the API's pool. */
  readonly database: Database;
  /** The Slack listeners' pool: a job can hold a client across its Slack calls, and an ack must not wait for one. */
  readonly listenerDatabase: Database;
  /** BullMQ's producer connection (queues) and the workers' connection (`maxRetriesPerRequest: null`). */
  readonly redis: { producer: Redis | Cluster; worker: Redis | Cluster };
  /** The health check's connection (no offline queue), opened on first use. */
  healthRedis(): Redis | Cluster;
  readonly queues: Queues;
  readonly wakeups: Wakeups;
  /** Absent when `overrides.metrics` is false. */
  readonly metrics?: Metrics;
  /**
   * `worker`: throws on 429 (`rejectRateLimitedCalls`) and never retries by itself (only services/delivery knows to
   * look for a message before posting it again). `lookup`: users.lookupByEmail at start-up, 3 calls at a time and a
   * few minutes of retries.
   */
  readonly slack: { worker: WebClient; lookup: WebClient };
  /**
   * This process's view of Slack's rate limits (src/slack/rate-limit-gate.ts), asked before every Web API call of the
   * clients above and of Bolt's (createSlackApp's `rateLimitGate`): a 429's Retry-After holds every later call under
   * the same limit, then lets them go paced. startPreflight (src/preflight.ts) shares its holds with the other replicas
   * (src/slack/rate-limit-sharing.ts).
   */
  readonly rateLimitGate: SlackRateLimitGate;
  /**
   * Token rotation (SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET set): the current bot token, kept in
   * Postgres and shared by every replica; both clients above then carry it on every call (src/slack/token-rotation.ts).
   * Absent without those variables: the clients hold SLACK_BOT_TOKEN, as before, and nothing reads Postgres for it.
   */
  readonly tokens?: TokenRotation;
  /** The workers' Deps (worker pool, worker client). */
  readonly deps: Deps;
  /** The Slack listeners' Deps for the client Bolt hands a listener (listener pool). */
  depsFor(client: WebClient): Deps;
  /**
   * The same connections with another config (e.g. after the e-mail addresses resolved to user IDs), or with the
   * plan a {@link PlanHolder} holds: then `config` and every Deps' `config` read the holder's current plan, so a
   * reload (services/plan/reload.ts) swaps it for every later request and job.
   */
  withConfig(config: Program | PlanHolder): Preflight;
  /** Starts the job schedulers and a worker per queue (src/jobs/workers.ts); `close()` closes them. */
  startWorkers(options?: WorkerOptions): Promise<Workers>;
  /** Closes the workers started here, the queues, the Redis connections and the pools. */
  close(): Promise<void>;
}

/**
 * Builds a Preflight process's dependencies once. Nothing here talks to Slack or waits for Postgres; the Redis
 * connections start connecting at once (their errors go to `warnings`).
 * @param env the parsed environment (SLACK_BOT_TOKEN, SLACK_API_URL, DATABASE_URL, REDIS, QUEUE_PREFIX, LOG_*).
 * @param config the resolved plan (src/config/resolve.ts `resolveProgram` of what the loader returns).
 * @param overrides what tests and benchmarks set instead of the production defaults.
 */
export function createPreflight(env: Env, config: Program, overrides: PreflightOverrides = {}): Preflight {
  const log = overrides.log ?? createLogger(env.LOG_LEVEL, undefined, logFormat(env.LOG_FORMAT));
  const clock = overrides.clock ?? systemClock;
  const warnings = connectionWarnings(log);
  const onError = (what: string) => warnings.onError(what);

  const database = openDatabase(env.DATABASE_URL, onError('postgres'), overrides.poolSize);
  database.pool.on('connect', () => warnings.recovered('postgres'));
  const listenerDatabase = openDatabase(env.DATABASE_URL, onError('postgres'), LISTENER_POOL_SIZE);
  listenerDatabase.pool.on('connect', () => warnings.recovered('postgres'));
  const producer = overrides.producer ?? redisConnection(env.REDIS, 'producer', onError('redis'));
  const worker = redisConnection(env.REDIS, 'worker', onError('redis'));
  let health: Redis | Cluster | undefined;
  const healthRedis = () => {
    if (!health) {
      health = redisConnection(env.REDIS, 'health', onError('redis'));
      health.on('ready', () => warnings.recovered('redis'));
    }
    return health;
  };
  const queues = createQueues(producer, env.QUEUE_PREFIX);
  const wakeups = queueWakeups(queues, (what, err) => log.warn({ what, err: err.message }, 'could not queue a wake-up; the sweeper will pick it up'));
  const metrics =
    overrides.metrics === false
      ? undefined
      : new Metrics({ openBlockersBySeverity: () => openBlockerCounts(database.db), queueDepths: () => queueDepths(queues) }, (what, err) =>
          log.warn({ what, err: err.message }, 'metrics scrape: could not read a gauge'),
        );
  const rateLimitGate = new SlackRateLimitGate();
  const observedFetch = metrics ? observedSlackFetch((method, outcome) => metrics.slackCall(method, outcome)) : lateBoundFetch;
  // the gate's wait is not part of a call's 10 s: the request's own timeout starts when it leaves the gate
  const slackFetch = { fetch: gatedSlackFetch(rateLimitGate, observedFetch, SLACK_CALL_TIMEOUT_MS), timeout: 0 };

  // token rotation: the token comes from Postgres (refreshed by one replica at a time), asked for on every call
  const tokens = rotationOn(env)
    ? tokenRotation({
        db: database.db,
        clock,
        log,
        seed: env.SLACK_REFRESH_TOKEN,
        refresher: slackTokenRefresher({ clientId: env.SLACK_CLIENT_ID, clientSecret: env.SLACK_CLIENT_SECRET, clientOptions: { slackApiUrl: env.SLACK_API_URL, logger: boltLogger(log) } }),
      })
    : undefined;
  const client = (options: ConstructorParameters<typeof WebClient>[1]) => (tokens ? new RotatingWebClient(tokens, options) : new WebClient(env.SLACK_BOT_TOKEN, options));
  const slack = {
    worker: client({
      slackApiUrl: env.SLACK_API_URL,
      logger: boltLogger(log),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      ...slackFetch,
    }),
    // users.lookupByEmail is Tier 3 (~50 a minute); a 429 pauses the client's queue for Retry-After
    lookup: client({
      slackApiUrl: env.SLACK_API_URL,
      logger: boltLogger(log),
      maxRequestConcurrency: 3,
      retryConfig: { retries: 10, factor: 1.5, minTimeout: 1_000, maxTimeout: 30_000 },
      ...slackFetch,
    }),
  };
  const started: Workers[] = [];

  const withConfig = (source: Program | PlanHolder): Preflight => {
    // a PlanHolder: every read of Deps.config (and Preflight.config) gets the plan current then (a reload swaps it)
    const current = source instanceof PlanHolder ? () => source.program : () => source;
    const depsOn = (db: Deps['db'], client: WebClient): Deps => {
      const deps = { db, clock, slack: client, wakeups, renderer: blockKitRenderer, log, refusingHeldSlackCalls: refusingHeldCalls, ...(metrics ? { observer: metrics.observer } : {}) };
      return Object.defineProperty(deps, 'config', { get: current, enumerable: true }) as Deps;
    };
    const depsFor = (client: WebClient): Deps => depsOn(listenerDatabase.db, client);
    const deps = depsOn(database.db, slack.worker);
    return {
      env,
      get config() {
        return current();
      },
      log,
      clock,
      warnings,
      database,
      listenerDatabase,
      redis: { producer, worker },
      healthRedis,
      queues,
      wakeups,
      metrics,
      slack,
      rateLimitGate,
      ...(tokens ? { tokens } : {}),
      deps,
      depsFor,
      withConfig,
      async startWorkers(options = {}) {
        const workers = await startWorkers({
          ...options,
          deps,
          queues,
          connection: worker,
          prefix: env.QUEUE_PREFIX,
          tickMs: options.tickMs ?? current().scheduler.tick,
          observe: metrics,
        });
        started.push(workers);
        return workers;
      },
      async close() {
        for (const w of started.splice(0)) await w.close();
        await queues.close();
        await Promise.all([producer, worker, health].map((r) => r?.quit().catch(() => {})));
        await Promise.all([database.pool.end(), listenerDatabase.pool.end()]);
      },
    };
  };
  return withConfig(config);
}
