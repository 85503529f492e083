/**
 * Composition root: env → config → logger → db (migrate) → queues → Slack app → workers.
 * SIGTERM/SIGINT: stop taking requests, let in-flight jobs finish, close queues and the pool, exit (≤ 10 s).
 */
import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { systemClock } from './clock.js';
import { EnvError, loadEnv } from './config/env.js';
import { ConfigError, loadWorkspaceConfig } from './config/load.js';
import { LISTENER_POOL_SIZE, openDatabase } from './db/client.js';
import { ensureDatabase, runMigrations } from './db/migrate.js';
import { redisConnection } from './jobs/connection.js';
import { createQueues, queueWakeups } from './jobs/queues.js';
import { startWorkers } from './jobs/workers.js';
import { createLogger } from './logger.js';
import type { Deps } from './services/deps.js';
import { createSlackApp } from './slack/app.js';
import { checkHealth } from './slack/health.js';
import { blockKitRenderer } from './slack/blocks/renderer.js';
import { boltLogger } from './slack/logger.js';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

// `.env` in the working directory, when there is one (variables already set win): the quick start's `cp .env.example .env`
if (existsSync('.env')) process.loadEnvFile('.env');

const env = (() => {
  try {
    return loadEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(`Preflight cannot start. ${err.message}\nSee .env.example for what each variable means.`);
    throw err;
  }
})();

const config = (() => {
  try {
    return loadWorkspaceConfig(env.PREFLIGHT_CONFIG);
  } catch (err) {
    if (err instanceof ConfigError) {
      fail(`Preflight cannot start: ${env.PREFLIGHT_CONFIG} has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:\n${err.message}`);
    }
    throw err;
  }
})();

const log = createLogger(env.LOG_LEVEL);

try {
  await ensureDatabase(env.DATABASE_URL);
  await runMigrations(env.DATABASE_URL);
} catch (err) {
  fail(`Preflight cannot start: database migration failed: ${(err as Error).message}`);
}

const onError = (what: string) => (err: Error) => log.warn({ err: err.message }, `${what} connection error`);
const database = openDatabase(env.DATABASE_URL, onError('postgres'));
// Slack listeners get a pool of their own: a job can hold a client across its Slack calls, and an ack must not wait for one
const listenerDatabase = openDatabase(env.DATABASE_URL, onError('postgres'), LISTENER_POOL_SIZE);
const producer = redisConnection(env.REDIS_URL, 'producer', onError('redis'));
const workerConnection = redisConnection(env.REDIS_URL, 'worker', onError('redis'));
const healthRedis = redisConnection(env.REDIS_URL, 'health', onError('redis'));
const queues = createQueues(producer, env.QUEUE_PREFIX);
const wakeups = queueWakeups(queues, (what, err) => log.warn({ what, err: err.message }, 'could not queue a wake-up; the sweeper will pick it up'));
const depsFor = (slack: WebClient): Deps => ({ db: listenerDatabase.db, config, clock: systemClock, slack, wakeups, renderer: blockKitRenderer, log });

const slack = createSlackApp({ env, log, redis: producer, health: () => checkHealth(database.pool, healthRedis), depsFor });

// Workers throw on 429 and re-delay the job by Retry-After instead of blocking inside the client. The client
// never retries by itself: a chat.postMessage that timed out may have been posted, and only the delivery module
// (services/delivery) knows to look for it before posting again; its job is retried with BullMQ's backoff.
const workerClient = new WebClient(env.SLACK_BOT_TOKEN, {
  slackApiUrl: env.SLACK_API_URL,
  logger: boltLogger(log),
  rejectRateLimitedCalls: true,
  retryConfig: { retries: 0 },
  timeout: 10_000,
});
const workers = await startWorkers({ deps: { ...depsFor(workerClient), db: database.db }, queues, connection: workerConnection, prefix: env.QUEUE_PREFIX, tickMs: config.scheduler.tick });

await slack.start();
log.info({ mode: env.SLACK_APP_TOKEN ? 'socket' : 'http', port: env.PORT, workstreams: Object.keys(config.workstreams).length, config: env.PREFLIGHT_CONFIG }, 'Preflight is running');

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
