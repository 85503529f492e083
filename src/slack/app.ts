import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { PlanControl } from '../services/plan/reload.js';
import type { Deps } from '../services/deps.js';
import { registerOpenStandupFormAction } from './actions/open-standup-form.js';
import { registerStandupCommand } from './commands/standup.js';
import { registerDmMessages } from './events/dm-message.js';
import { type Health, withSlackConnection } from './health.js';
import { type SocketConnection, trackSocketConnection } from './socket-connection.js';
import { enterpriseMismatchError, SlackStartError, slackNoAnswerError, slackStartError } from './start-errors.js';
import { boltLogger } from './logger.js';
import { registerEventDedupe } from './middleware/dedupe-events.js';
import { registerWorkspaceGuard, type Installation } from './middleware/workspace.js';
import { connectRoster, planTeams } from './middleware/roster.js';
import { registerStandupFormSubmission } from './views/standup-form.js';
import { registerBlockerActions } from './actions/blocker-actions.js';
import { registerBlockerCommand } from './commands/blocker.js';
import { registerAppHome } from './events/app-home.js';
import { registerBlockerFormSubmission } from './views/blocker-form.js';
import { registerGateActions } from './actions/gate-actions.js';
import { registerGonogoHistoryActions } from './actions/gonogo-history.js';
import { registerGonogoCommand } from './commands/gonogo.js';
import { registerPreflightCommand } from './commands/preflight.js';
import { registerTaskCommand } from './commands/task.js';
import { registerChecklistSubmission } from './views/checklist-form.js';
import { registerWorkflowSteps } from './functions/index.js';
import type { AuthTestResponse, WebClient } from '@slack/web-api';
import pTimeout from 'p-timeout';
import type { Metrics } from '../metrics/metrics.js';
import { metricsRoute } from '../metrics/route.js';
import { observedClientOptions } from '../metrics/slack-adapter.js';
import { observeAcks } from './middleware/ack-timing.js';
import { reportRequests } from './middleware/requests-in-flight.js';
import type { TokenRotation } from '../services/slack-tokens/rotation.js';
import { TokenRotationError } from '../services/slack-tokens/errors.js';
import { RotatingWebClient } from './token-rotation.js';
import { gatedSlackFetch, lateBoundFetch, type SlackRateLimitGate } from './rate-limit-gate.js';

/** How long start-up waits for Slack to answer auth.test, ms (it answers in well under a second when reachable). */
export const SLACK_INIT_TIMEOUT_MS = 20_000;

export interface SlackApp {
  app: App;
  /** The Web API client listeners use (Bolt's own). */
  client: WebClient;
  /**
   * Checks SLACK_BOT_TOKEN with Slack (`auth.test`, through Bolt's `app.init()`; the app is built with
   * `deferInitialization` so a rejected token is an error here instead of an unhandled rejection).
   * With token rotation: first gets the current token (refreshing it when due, at the first start at once), then
   * auth.test's it. With SLACK_ENTERPRISE_ID set (Enterprise Grid, issue 24), also checks that auth.test's
   * `enterprise_id` is it.
   * @throws SlackStartError naming SLACK_BOT_TOKEN (with rotation: SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID or
   *   SLACK_CLIENT_SECRET) when Slack refuses it or does not answer within {@link SLACK_INIT_TIMEOUT_MS}; naming
   *   SLACK_ENTERPRISE_ID when the token belongs to another org (or none); other errors as thrown by the client.
   */
  init(): Promise<void>;
  /**
   * Registers every listener (slash commands, actions, views, events) with the deps built around Bolt's
   * WebClient by `depsFor`, and `plan` (the running plan and its reloader) for `/preflight plan` and `/preflight reload`.
   * Call once, after `init()` (the config may depend on Slack, e.g. people by email).
   */
  registerListeners(depsFor: (client: WebClient) => Deps, plan?: PlanControl): void;
  /**
   * Serves HTTP (HTTP mode) or opens the WebSocket (Socket Mode; `/healthz` is served first).
   * @throws SlackStartError naming SLACK_APP_TOKEN when Slack refuses the app-level token.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A route on the bot's HTTP server (the read-only API, src/api; the trackers' webhooks, POST), matched on the path alone. */
export interface GetRoute {
  path: string;
  /** GET unless given. */
  method?: 'GET' | 'POST';
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The request listener of the small HTTP server Socket Mode runs on PORT: `GET /healthz`, `GET /metrics`
 * when `serveMetrics` is given, and `GET` on each of `routes`; 404 for anything else.
 */
export function socketModeRoutes(
  healthRoute: (res: ServerResponse) => void | Promise<void>,
  serveMetrics?: (req: IncomingMessage, res: ServerResponse) => void,
  routes: GetRoute[] = [],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = req.url?.split('?')[0];
    const route = routes.find((r) => r.path === path && (r.method ?? 'GET') === req.method);
    if (req.method === 'GET' && path === '/healthz') void healthRoute(res);
    else if (serveMetrics && req.method === 'GET' && path === '/metrics') serveMetrics(req, res);
    else if (route) route.handler(req, res);
    else res.writeHead(404).end();
  };
}

/**
 * Builds the Bolt app. HTTP mode (no SLACK_APP_TOKEN): every Slack request goes to `POST /slack/events`,
 * signatures always verified, and `GET /healthz` answers 200/503. Socket Mode (SLACK_APP_TOKEN set): same
 * listeners over a WebSocket, with `/healthz` on PORT from a small HTTP server. Built with Bolt's
 * `deferInitialization`: call `init()`, then `registerListeners()`, then `start()`. With `metrics`: `GET /metrics`
 * on the same port in both modes (bearer `env.METRICS_TOKEN` when set), ack latency and Web API call counts.
 * `routes` (the read-only API) are served on the same port in both modes too.
 */
export function createSlackApp(args: {
  env: Env;
  log: Logger;
  redis: Redis | Cluster;
  health: () => Promise<Health>;
  metrics?: Metrics;
  /** More GET routes on the same port in both modes (the read-only API, src/api), matched on the path without its query. */
  routes?: GetRoute[];
  /** Told when each Slack request arrives; the function it returns is called when it is handled (src/jobs/requests-first.ts). */
  onRequest?: () => () => void;
  /**
   * Token rotation (issue 24; Preflight.tokens): Bolt authorizes each request with the current bot token and the
   * listeners' client is a {@link RotatingWebClient}. Absent: SLACK_BOT_TOKEN, as before.
   */
  tokens?: TokenRotation;
  /** The process's rate-limit gate (Preflight.rateLimitGate): Bolt's clients ask it before each call. */
  rateLimitGate?: SlackRateLimitGate;
}): SlackApp {
  const { env, log } = args;
  const logger: BoltLogger = boltLogger(log);
  // Socket Mode: the WebSocket's state, reported by /healthz next to Postgres and Redis
  let socket: SocketConnection | undefined;
  const healthRoute = async (res: ServerResponse) => {
    const h = withSlackConnection(await args.health(), socket?.connected());
    res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(h));
  };
  const { metrics } = args;
  const observed = metrics ? observedClientOptions((m, o) => metrics.slackCall(m, o)).fetch : lateBoundFetch;
  // the listeners' calls wait for the same 429s as the workers' (no timeout of their own, as before)
  const clientOptions = { slackApiUrl: env.SLACK_API_URL, logger, ...(args.rateLimitGate ? { fetch: gatedSlackFetch(args.rateLimitGate, observed, 0) } : metrics ? { fetch: observed } : {}) };
  const serveMetrics = metrics ? metricsRoute(metrics, env.METRICS_TOKEN) : undefined;
  const extraRoutes = args.routes ?? [];
  const { tokens } = args;
  // with token rotation: every request gets the current token (Bolt's per-request client), and the client the
  // listeners' Deps hold asks for it on every call; the bot's IDs (for Bolt's ignoreSelf) come from one auth.test
  const rotating = tokens ? new RotatingWebClient(tokens, clientOptions) : undefined;
  // auth.test, once (again after a failure): the bot's IDs and the installation (workspace, Grid org) it answers for
  let authTest: Promise<AuthTestResponse> | undefined;
  const authTested = (): Promise<AuthTestResponse> => {
    authTest ??= (rotating ?? app.client).auth.test().catch((err: unknown) => {
      authTest = undefined;
      throw err;
    });
    return authTest;
  };
  const identity = async () => {
    const r = await authTested();
    return { botId: r.bot_id, botUserId: r.user_id };
  };
  const installed = async (): Promise<Installation> => {
    const r = await authTested();
    return { teamId: String(r.team_id ?? ''), enterpriseId: r.enterprise_id ? String(r.enterprise_id) : null };
  };
  const auth = tokens ? { authorize: async () => ({ botToken: await tokens.current(), ...(await identity()) }) } : { token: env.SLACK_BOT_TOKEN };
  // Both apps run with `convoStore: false`: Preflight keeps no conversation state in Bolt (listeners read Postgres),
  // and Bolt's default in-memory store ran a middleware on every request for nothing.
  let app: App;
  let healthServer: Server | undefined;
  if (env.SLACK_APP_TOKEN) {
    // Our own receiver, so its client (apps.connections.open) also goes to SLACK_API_URL and we can watch the
    // WebSocket's state; Bolt's default one would take neither from the App's options.
    const receiver = new SocketModeReceiver({ appToken: env.SLACK_APP_TOKEN, logger, installerOptions: { clientOptions: { slackApiUrl: env.SLACK_API_URL } } });
    socket = trackSocketConnection(receiver.client);
    app = new App({ ...auth, receiver, socketMode: true, logger, clientOptions, deferInitialization: true, convoStore: false });
    healthServer = createServer(socketModeRoutes(healthRoute, serveMetrics, extraRoutes));
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: env.SLACK_SIGNING_SECRET,
      endpoints: '/slack/events',
      signatureVerification: true,
      logger,
      customRoutes: [
        { path: '/healthz', method: ['GET'], handler: (_req, res) => void healthRoute(res) },
        ...(serveMetrics ? [{ path: '/metrics', method: ['GET'], handler: serveMetrics }] : []),
        ...extraRoutes.map((r) => ({ path: r.path, method: [r.method ?? 'GET'], handler: r.handler })),
      ],
    });
    app = new App({ ...auth, receiver, logger, clientOptions, deferInitialization: true, convoStore: false });
  }
  if (metrics) observeAcks(app, (kind, name, seconds) => metrics.ackObserved(kind, name, seconds));
  if (args.onRequest) reportRequests(app, args.onRequest);
  const client: WebClient = rotating ?? app.client;
  /** With token rotation: the current token (refreshed first if due) and Slack's auth.test of it, in place of app.init()'s check. */
  const checkRotatedToken = async () => {
    await tokens!.current().catch((err: unknown) => {
      if (err instanceof TokenRotationError) throw new SlackStartError(err.variable, err.slackError, `Preflight cannot start: ${err.message}`);
      throw err;
    });
    await app.init();
    await identity().catch((err: unknown) => {
      throw slackStartError(err, 'SLACK_REFRESH_TOKEN') ?? err;
    });
  };
  return {
    app,
    client,
    async init() {
      let timedOut = false;
      const checks = async () => {
        if (tokens) await checkRotatedToken();
        else
          await app.init().catch((err: unknown) => {
            throw slackStartError(err, 'SLACK_BOT_TOKEN') ?? err;
          });
        // past the deadline start-up has failed already: no further call
        if (env.SLACK_ENTERPRISE_ID && !timedOut) {
          const inst = await installed().catch((err: unknown) => {
            throw slackStartError(err, 'SLACK_BOT_TOKEN') ?? err;
          });
          const mismatch = enterpriseMismatchError(env.SLACK_ENTERPRISE_ID, inst.enterpriseId);
          if (mismatch) throw mismatch;
        }
      };
      // one deadline for all of start-up's calls to Slack
      await pTimeout(checks(), {
        milliseconds: SLACK_INIT_TIMEOUT_MS,
        fallback: () => {
          timedOut = true;
          throw slackNoAnswerError(tokens ? 'SLACK_REFRESH_TOKEN' : 'SLACK_BOT_TOKEN', SLACK_INIT_TIMEOUT_MS);
        },
      });
    },
    registerListeners(depsFor, plan) {
      const deps = depsFor(client);
      const ctx = { deps, redis: args.redis, keyPrefix: args.env.QUEUE_PREFIX, ...(plan ? { plan } : {}) };
      // one plan per request: a reload while a listener runs applies from the next request on
      if (plan) app.use(({ next }) => plan.holder.pin(next));
      registerWorkspaceGuard(
        app,
        async () => ({ installation: await installed(), ...(env.SLACK_ENTERPRISE_ID ? { enterpriseId: env.SLACK_ENTERPRISE_ID } : {}), teams: planTeams(deps.config) }),
        () => connectRoster(deps.config),
        log,
      );
      registerEventDedupe(app, deps, log);
      registerStandupCommand(app, ctx);
      registerOpenStandupFormAction(app, ctx);
      registerStandupFormSubmission(app, ctx);
      registerDmMessages(app, ctx);
      registerBlockerCommand(app, ctx);
      registerBlockerActions(app, ctx);
      registerBlockerFormSubmission(app, ctx);
      registerAppHome(app, ctx);
      registerGonogoCommand(app, ctx);
      registerPreflightCommand(app, ctx);
      registerGateActions(app, ctx);
      registerGonogoHistoryActions(app, ctx);
      registerChecklistSubmission(app, ctx);
      registerTaskCommand(app, ctx);
      registerWorkflowSteps(app, ctx);
      app.error(async (err) => {
        log.error({ err: err.message, code: (err as { code?: string }).code }, 'unhandled error in a Slack listener');
      });
    },
    async start() {
      if (healthServer) {
        await new Promise<void>((resolve) => healthServer!.listen(env.PORT, resolve));
        await app.start().catch(async (err: unknown) => {
          await new Promise<void>((resolve) => healthServer!.close(() => resolve()));
          throw slackStartError(err, 'SLACK_APP_TOKEN') ?? err;
        });
      } else {
        await app.start(env.PORT);
      }
    },
    async stop() {
      await app.stop();
      if (healthServer) await new Promise<void>((resolve) => healthServer!.close(() => resolve()));
    },
  };
}
