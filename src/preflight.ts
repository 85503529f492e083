/**
 * The composition root, after main.ts's boot checks: config → logger → db (migrate) → queues → Slack app → workers.
 * SIGTERM/SIGINT: stop taking requests, let in-flight jobs finish, close queues and the pool, exit (≤ 10 s).
 */
import { WebClient } from '@slack/web-api';
import type { Cluster, Redis } from 'ioredis';
import { apiRoutes } from './api/routes.js';
import { systemClock } from './clock.js';
import type { Env } from './config/env.js';
import { ConfigError, loadWorkspaceConfig } from './config/load.js';
import { resolveProgram } from './config/resolve.js';
import { emailsByUserId } from './config/user-refs.js';
import { LISTENER_POOL_SIZE, openDatabase } from './db/client.js';
import { databaseUrlForDisplay, ensureDatabase, runMigrations } from './db/migrate.js';
import { connectionWarnings } from './connection-warnings.js';
import { redisConnection } from './jobs/connection.js';
import { createQueues, queueDepths, queueWakeups } from './jobs/queues.js';
import { RequestsFirst } from './jobs/requests-first.js';
import { startWorkers } from './jobs/workers.js';
import { createLogger, logFormat } from './logger.js';
import { Metrics } from './metrics/metrics.js';
import { observedClientOptions } from './metrics/slack-adapter.js';
import { openBlockerCounts } from './services/blockers/queries.js';
import type { Deps } from './services/deps.js';
import { EmailLookupError, resolveEmails } from './services/people/resolve-emails.js';
import { createSlackApp } from './slack/app.js';
import { checkHealth } from './slack/health.js';
import { blockKitRenderer } from './slack/blocks/renderer.js';
import { boltLogger } from './slack/logger.js';
import { SlackStartError } from './slack/start-errors.js';

import { failStart as fail } from './start-failure.js';

/**
 * Starts Preflight once main.ts has read the environment and Redis has answered: validates the config (a problem
 * ends the process with one line per problem), creates and migrates the database, then serves Slack and runs the
 * workers until SIGTERM/SIGINT.
 * @param env the parsed environment.
 * @param producer the Redis connection main.ts waited for (BullMQ's producer connection from now on).
 * @param onRedisError sets what the producer's connection errors do from now on (main.ts drops them while booting).
 */
export async function startPreflight(env: Env, producer: Redis | Cluster, onRedisError: (handler: (err: Error) => void) => void): Promise<void> {
  const parsedConfig = (() => {
    try {
      return loadWorkspaceConfig(env.PREFLIGHT_CONFIG);
    } catch (err) {
      if (err instanceof ConfigError) {
        fail(`Preflight cannot start: ${env.PREFLIGHT_CONFIG} has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:\n${err.message}`);
      }
      throw err;
    }
  })();

  const log = createLogger(env.LOG_LEVEL, undefined, logFormat(env.LOG_FORMAT));
  const warnings = connectionWarnings(log);
  const onError = (what: string) => warnings.onError(what);

  onRedisError(onError('redis'));

  try {
    await ensureDatabase(env.DATABASE_URL);
    await runMigrations(env.DATABASE_URL);
  } catch (err) {
    fail(
      `Preflight cannot start: could not create or migrate the database at DATABASE_URL (${databaseUrlForDisplay(env.DATABASE_URL)}): ${(err as Error).message}. Check DATABASE_URL and that Postgres is running.`,
    );
  }

  const database = openDatabase(env.DATABASE_URL, onError('postgres'));
  database.pool.on('connect', () => warnings.recovered('postgres'));
  // Slack listeners get a pool of their own: a job can hold a client across its Slack calls, and an ack must not wait for one
  const listenerDatabase = openDatabase(env.DATABASE_URL, onError('postgres'), LISTENER_POOL_SIZE);
  listenerDatabase.pool.on('connect', () => warnings.recovered('postgres'));
  const workerConnection = redisConnection(env.REDIS, 'worker', onError('redis'));
  const healthRedis = redisConnection(env.REDIS, 'health', onError('redis'));
  healthRedis.on('ready', () => warnings.recovered('redis'));
  const queues = createQueues(producer, env.QUEUE_PREFIX);
  const wakeups = queueWakeups(queues, (what, err) => log.warn({ what, err: err.message }, 'could not queue a wake-up; the sweeper will pick it up'));
  const metrics = new Metrics({ openBlockersBySeverity: () => openBlockerCounts(database.db), queueDepths: () => queueDepths(queues) }, (what, err) =>
    log.warn({ what, err: err.message }, 'metrics scrape: could not read a gauge'),
  );
  const observeSlack = observedClientOptions((method, outcome) => metrics.slackCall(method, outcome));

  // The read-only API (src/api) reads the config resolved below (people by email); its routes are served only from
  // slack.start() on, after that.
  const apiDeps: { current?: Pick<Deps, 'db' | 'config'> } = {};
  const routes = apiRoutes({
    deps: () => {
      if (!apiDeps.current) throw new Error('the API is not ready yet');
      return apiDeps.current;
    },
    token: env.PREFLIGHT_API_TOKEN,
    log,
  });
  // background jobs start only when no Slack request has arrived for 50 ms (at most 2 s late): acks come first
  const requestsFirst = new RequestsFirst();
  const slack = createSlackApp({
    env,
    log,
    redis: producer,
    health: () => checkHealth(database.pool, healthRedis),
    metrics,
    routes,
    onRequest: () => requestsFirst.begin(),
  });
  /** A token Slack refuses (or no way to reach Slack) ends start-up with one line naming the variable. */
  const orFail = (err: unknown): never => {
    if (err instanceof SlackStartError) fail(err.message);
    throw err;
  };
  await slack.init().catch(orFail);

  // People given by email in preflight.yml become user IDs here (users.lookupByEmail, cached in Postgres). Its own
  // client: 3 calls at a time (the method is Tier 3, ~50 a minute; a 429 pauses the client's queue for Retry-After),
  // and a few minutes of retries at most, after which an address resolved before keeps its stored ID.
  const lookupClient = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    logger: boltLogger(log),
    maxRequestConcurrency: 3,
    retryConfig: { retries: 10, factor: 1.5, minTimeout: 1_000, maxTimeout: 30_000 },
    timeout: 10_000,
    ...observeSlack,
  });
  const configWithIds = await resolveEmails({ db: database.db, slack: lookupClient, clock: systemClock, log }, parsedConfig, env.PREFLIGHT_CONFIG).catch((err: unknown): never => {
    if (err instanceof ConfigError) fail(`Preflight cannot start: ${env.PREFLIGHT_CONFIG} has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:\n${err.message}`);
    if (err instanceof EmailLookupError) fail(err.message);
    throw err;
  });
  const config = resolveProgram(configWithIds, emailsByUserId(parsedConfig, configWithIds));
  apiDeps.current = { db: database.db, config };
  const depsFor = (client: WebClient): Deps => ({ db: listenerDatabase.db, config, clock: systemClock, slack: client, wakeups, renderer: blockKitRenderer, log, observer: metrics.observer });
  slack.registerListeners(depsFor);

  // Workers throw on 429 and re-delay the job by Retry-After instead of blocking inside the client. The client
  // never retries by itself: a chat.postMessage that timed out may have been posted, and only the delivery module
  // (services/delivery) knows to look for it before posting again; its job is retried with BullMQ's backoff.
  const workerClient = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    logger: boltLogger(log),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
    ...observeSlack,
  });
  const workers = await startWorkers({
    deps: { ...depsFor(workerClient), db: database.db },
    queues,
    connection: workerConnection,
    prefix: env.QUEUE_PREFIX,
    tickMs: config.scheduler.tick,
    observe: metrics,
    requestsFirst,
  });

  await slack.start().catch(orFail);
  log.info(
    { mode: env.SLACK_APP_TOKEN ? 'socket' : 'http', port: env.PORT, api: routes.length > 0, workstreams: Object.keys(config.workstreams).length, config: env.PREFLIGHT_CONFIG },
    'Preflight is running',
  );

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 9 s; exiting anyway');
      process.exit(1);
    }, 9_000);
    force.unref();
    try {
      await slack.stop().catch((err) => log.warn({ err: err.message }, 'stopping the Slack app'));
      await workers.close();
      await queues.close();
      await Promise.all([producer.quit(), workerConnection.quit(), healthRedis.quit()].map((p) => p.catch(() => {})));
      await Promise.all([database.pool.end(), listenerDatabase.pool.end()]);
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'error during shutdown');
      process.exit(1);
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
