/**
 * The composition root, after main.ts's boot checks: config → dependencies (create-preflight.ts) → db (migrate) →
 * Slack app → workers.
 * SIGHUP, a change of PREFLIGHT_CONFIG or `/preflight reload`: reload the plan (plan-reload.ts, services/plan/reload.ts).
 * SIGTERM/SIGINT: stop taking requests, let in-flight jobs finish, close queues and the pool, exit (≤ 10 s).
 */
import type { Cluster, Redis } from 'ioredis';
import { apiRoutes } from './api/routes.js';
import type { Env } from './config/env.js';
import { ConfigError, loadWorkspaceConfig } from './config/load.js';
import { resolveProgram } from './config/resolve.js';
import { emailsByUserId } from './config/user-refs.js';
import { createPreflight } from './create-preflight.js';
import { redisConnection } from './jobs/connection.js';
import { announceOn, startPlanTriggers } from './plan-reload.js';
import { shareRateLimits } from './slack/rate-limit-sharing.js';
import { PlanHolder } from './services/plan/holder.js';
import { loadPlanConfig } from './services/plan/overrides.js';
import { createReloader, startupPlan } from './services/plan/reload.js';
import { databaseUrlForDisplay, ensureDatabase, runMigrations } from './db/migrate.js';
import { RequestsFirst } from './jobs/requests-first.js';
import type { Deps } from './services/deps.js';
import { EmailLookupError, resolveEmails } from './services/people/resolve-emails.js';
import { createSlackApp } from './slack/app.js';
import { checkHealth } from './slack/health.js';
import { SlackStartError, slackStartError } from './slack/start-errors.js';
import { TokenRotationError } from './services/slack-tokens/errors.js';
import { checkChannels } from './services/workspace/channel-check.js';

import { failStart as fail } from './start-failure.js';
import { redisSourceLock } from './jobs/tracker-lock.js';
import { startTrackerPolls } from './jobs/tracker-poll.js';
import { checkTrackerTokens } from './services/trackers/start-check.js';
import { createAdapter } from './services/trackers/adapters.js';
import { configuredSources, createTrackerSync, type TrackerSync } from './services/trackers/sync.js';
import { trackerWebhookRoutes } from './slack/webhooks.js';

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

  // the Program before e-mail addresses resolve (its Deps go unused): swapped below with withConfig
  const preflight = createPreflight(env, resolveProgram(parsedConfig), { producer });
  const { log, database, metrics } = preflight;
  onRedisError(preflight.warnings.onError('redis'));
  const healthRedis = preflight.healthRedis();

  try {
    await ensureDatabase(env.DATABASE_URL);
    await runMigrations(env.DATABASE_URL);
  } catch (err) {
    fail(
      `Preflight cannot start: could not create or migrate the database at DATABASE_URL (${databaseUrlForDisplay(env.DATABASE_URL)}): ${(err as Error).message}. Check DATABASE_URL and that Postgres is running.`,
    );
  }

  // token rotation (issue 24): the current bot token before anything calls Slack (at the first start, or when it is
  // due, it is refreshed now); a refused refresh token stops start-up with a line naming the variable to fix
  if (preflight.tokens) {
    await preflight.tokens.current().catch((err: unknown): never => {
      if (err instanceof TokenRotationError) fail(`Preflight cannot start: ${err.message}`);
      throw err;
    });
  }

  // the plan runs with the overrides made from Slack (issue 20), applied to the file before validation as a reload
  // does; an override the file now overrules is dropped (file wins)
  const planConfig = await loadPlanConfig({ db: database.db, log, clock: preflight.clock, lookup: preflight.slack.lookup }, env.PREFLIGHT_CONFIG).catch((err: unknown): never => {
    if (err instanceof ConfigError)
      fail(`Preflight cannot start: ${env.PREFLIGHT_CONFIG} with the plan overrides made from Slack has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:\n${err.message}`);
    fail(`Preflight cannot start: could not read the plan overrides from the database (${(err as Error).message}).`);
  });

  // The read-only API (src/api) reads the config resolved below (people by email); its routes are served only from
  // slack.start() on, after that.
  const apiDeps: { current?: Pick<Deps, 'db' | 'config'> } = {};
  // the trackers' webhooks (issue 21) answer 503 until the sync exists (below)
  let trackerSync: TrackerSync | undefined;
  const routes = [
    ...apiRoutes({
      deps: () => {
        if (!apiDeps.current) throw new Error('the API is not ready yet');
        return apiDeps.current;
      },
      token: env.PREFLIGHT_API_TOKEN,
      log,
    }),
    ...trackerWebhookRoutes({ sync: () => trackerSync, env: process.env, log }),
  ];
  // background jobs start only when no Slack request has arrived for 10 ms, 50 ms while requests come faster than
  // 100 a second (at most 2 s late): acks come first
  const requestsFirst = new RequestsFirst();
  const slack = createSlackApp({
    env,
    log,
    redis: producer,
    health: () => checkHealth(database.pool, healthRedis),
    metrics: metrics!,
    routes,
    onRequest: () => requestsFirst.begin(),
    rateLimitGate: preflight.rateLimitGate,
    ...(preflight.tokens ? { tokens: preflight.tokens } : {}),
  });
  /** A token Slack refuses (or no way to reach Slack) ends start-up with one line naming the variable. */
  const orFail = (err: unknown): never => {
    if (err instanceof SlackStartError) fail(err.message);
    throw err;
  };
  await slack.init().catch(orFail);

  // People given by email in preflight.yml become user IDs here (users.lookupByEmail, cached in Postgres), with the
  // lookup client (3 calls at a time, a few minutes of retries at most, after which an address resolved before keeps
  // its stored ID).
  const configWithIds = await resolveEmails({ db: database.db, slack: preflight.slack.lookup, clock: preflight.clock, log }, planConfig, env.PREFLIGHT_CONFIG).catch((err: unknown): never => {
    if (err instanceof ConfigError) fail(`Preflight cannot start: ${env.PREFLIGHT_CONFIG} has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:\n${err.message}`);
    if (err instanceof EmailLookupError) fail(err.message);
    throw err;
  });
  // the plan lives in one holder from now on: a reload (SIGHUP, the file, /preflight reload, another replica) swaps
  // it whole, and every later request and job reads the new one (services/plan/holder.ts)
  const started = await startupPlan({ db: database.db, clock: preflight.clock, path: env.PREFLIGHT_CONFIG }, resolveProgram(configWithIds, emailsByUserId(planConfig, configWithIds)));
  const holder = new PlanHolder(started);
  // Enterprise Grid (issue 24): every channel of the plan must be reachable in its workspace before anything is sent
  if (env.SLACK_ENTERPRISE_ID) {
    const checked = await checkChannels(slack.client, started.program, env.PREFLIGHT_CONFIG).catch((err: unknown): never => orFail(slackStartError(err, 'SLACK_BOT_TOKEN') ?? err));
    if (checked.kind === 'stop') fail(checked.message);
  }
  const running = preflight.withConfig(holder);
  const config = running.config;
  metrics?.configVersion(started.version);
  apiDeps.current = running.deps;
  const reloader = createReloader({
    deps: running.deps,
    lookup: preflight.slack.lookup,
    holder,
    path: env.PREFLIGHT_CONFIG,
    onFailure: () => metrics?.configReloadFailed(),
    onApplied: (plan) => metrics?.configVersion(plan.version),
    announce: announceOn(producer, env.QUEUE_PREFIX),
  });
  slack.registerListeners(running.depsFor, { holder, reloader });

  // Tasks from trackers (issue 21): a refused token or a missing variable stops start-up like Slack's token; a
  // tracker that does not answer does not (its tasks come from the last sync, and the sync retries on its own)
  const sync = createTrackerSync({
    deps: () => running.deps,
    adapterFor: (s) => createAdapter(s.kind, s.settings, process.env),
    reload: () => reloader.reload('tracker'),
    lock: redisSourceLock(producer, env.QUEUE_PREFIX),
  });
  if (configuredSources(holder.program).length) {
    const checked = await checkTrackerTokens(sync, env.PREFLIGHT_CONFIG);
    if (checked.kind === 'stop') fail(checked.message);
    if (checked.kind === 'warn') log.warn({ reason: checked.reason }, 'a tracker did not answer the token check; starting with the tasks of the last sync');
  }
  trackerSync = sync;
  const triggers = startPlanTriggers({
    path: env.PREFLIGHT_CONFIG,
    reloader,
    log,
    subscriber: redisConnection(env.REDIS, 'worker', preflight.warnings.onError('redis')),
    queuePrefix: env.QUEUE_PREFIX,
  });
  // a 429 to this replica holds the other replicas' calls under the same limit too, and theirs hold this one's
  const rateLimitSharing = shareRateLimits({
    gate: preflight.rateLimitGate,
    publisher: producer,
    subscriber: redisConnection(env.REDIS, 'worker', preflight.warnings.onError('redis')),
    queuePrefix: env.QUEUE_PREFIX,
    log,
  });

  // Workers throw on 429 and re-delay the job by Retry-After instead of blocking inside the client; their jobs are
  // retried with BullMQ's backoff (see createPreflight's worker client).
  await running.startWorkers({ requestsFirst });
  const trackerPolls = await startTrackerPolls({
    connection: producer,
    workerConnection: preflight.redis.worker,
    prefix: env.QUEUE_PREFIX,
    sync,
    sources: () => configuredSources(holder.program),
    log,
  });

  await slack.start().catch(orFail);
  log.info(
    {
      mode: env.SLACK_APP_TOKEN ? 'socket' : 'http',
      port: env.PORT,
      api: routes.length > 0,
      workstreams: Object.keys(config.workstreams).length,
      config: env.PREFLIGHT_CONFIG,
      version: started.version,
    },
    'Preflight is running',
  );
  // the first sync of every tracker source, in the background: start-up never waits on a tracker; a source that
  // fails is tried again with backoff (services/trackers/sync.ts firstSync) until shutdown
  const firstSyncStop = new AbortController();
  void sync.firstSync(firstSyncStop.signal).catch((err: Error) => log.error({ err: err.message }, 'the first tracker sync failed; the polls retry'));

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    firstSyncStop.abort();
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 9 s; exiting anyway');
      process.exit(1);
    }, 9_000);
    force.unref();
    try {
      await triggers.close().catch((err) => log.warn({ err: err.message }, 'stopping the config watcher'));
      await slack.stop().catch((err) => log.warn({ err: err.message }, 'stopping the Slack app'));
      await trackerPolls.close().catch((err) => log.warn({ err: err.message }, 'stopping the tracker polls'));
      await sync.idle();
      await running.close();
      await rateLimitSharing.close();
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
