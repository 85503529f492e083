import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App, HTTPReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { Deps } from '../services/deps.js';
import { registerOpenStandupFormAction } from './actions/open-standup-form.js';
import { registerStandupCommand } from './commands/standup.js';
import { registerDmMessages } from './events/dm-message.js';
import type { Health } from './health.js';
import { boltLogger } from './logger.js';
import { registerEventDedupe } from './middleware/dedupe-events.js';
import { registerWorkspaceGuard, type Installation } from './middleware/workspace.js';
import { registerStandupFormSubmission } from './views/standup-form.js';
import { registerBlockerActions } from './actions/blocker-actions.js';
import { registerBlockerCommand } from './commands/blocker.js';
import { registerAppHome } from './events/app-home.js';
import { registerBlockerFormSubmission } from './views/blocker-form.js';
import { registerGateActions } from './actions/gate-actions.js';
import { registerGonogoHistoryActions } from './actions/gonogo-history.js';
import { registerGonogoCommand } from './commands/gonogo.js';
import { registerChecklistSubmission } from './views/checklist-form.js';
import type { WebClient } from '@slack/web-api';
import type { Metrics } from '../metrics/metrics.js';
import { metricsRoute } from '../metrics/route.js';
import { observedClientOptions } from '../metrics/slack-adapter.js';
import { observeAcks } from './middleware/ack-timing.js';

export interface SlackApp {
  app: App;
  /** The Web API client listeners use (Bolt's own). */
  client: WebClient;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The request listener of the small HTTP server Socket Mode runs on PORT: `GET /healthz`, and `GET /metrics`
 * when `serveMetrics` is given; 404 for anything else.
 */
export function socketModeRoutes(
  healthRoute: (res: ServerResponse) => void | Promise<void>,
  serveMetrics?: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/healthz') void healthRoute(res);
    else if (serveMetrics && req.method === 'GET' && path === '/metrics') serveMetrics(req, res);
    else res.writeHead(404).end();
  };
}

/**
 * Builds the Bolt app. HTTP mode (no SLACK_APP_TOKEN): every Slack request goes to `POST /slack/events`,
 * signatures always verified, and `GET /healthz` answers 200/503. Socket Mode (SLACK_APP_TOKEN set): same
 * listeners over a WebSocket, with `/healthz` on PORT from a small HTTP server. `GET /metrics` (with `metrics`)
 * is served on the same port in both modes.
 * @param depsFor builds the use-case deps around Bolt's WebClient (listener side).
 */
export function createSlackApp(args: {
  env: Env;
  log: Logger;
  redis: Redis | Cluster;
  health: () => Promise<Health>;
  depsFor: (client: WebClient) => Deps;
  /** When given: `GET /metrics` (bearer `env.METRICS_TOKEN` when set), ack latency and Web API call counts. */
  metrics?: Metrics;
}): SlackApp {
  const { env, log } = args;
  const logger: BoltLogger = boltLogger(log);
  const healthRoute = async (res: ServerResponse) => {
    const h = await args.health();
    res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(h));
  };
  const { metrics } = args;
  const clientOptions = { slackApiUrl: env.SLACK_API_URL, logger, ...(metrics ? observedClientOptions((m, o) => metrics.slackCall(m, o)) : {}) };
  const serveMetrics = metrics ? metricsRoute(metrics, env.METRICS_TOKEN) : undefined;
  let app: App;
  let healthServer: Server | undefined;
  if (env.SLACK_APP_TOKEN) {
    app = new App({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN, socketMode: true, logger, clientOptions });
    healthServer = createServer(socketModeRoutes(healthRoute, serveMetrics));
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: env.SLACK_SIGNING_SECRET,
      endpoints: '/slack/events',
      signatureVerification: true,
      logger,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthRoute(res) }, ...(serveMetrics ? [{ path: '/metrics', method: ['GET'], handler: serveMetrics }] : [])],
    });
    app = new App({ token: env.SLACK_BOT_TOKEN, receiver, logger, clientOptions });
  }
  if (metrics) observeAcks(app, (kind, name, seconds) => metrics.ackObserved(kind, name, seconds));
  const deps = args.depsFor(app.client);
  const ctx = { deps, redis: args.redis, keyPrefix: args.env.QUEUE_PREFIX };
  let installation: Promise<Installation> | undefined;
  const installed = () => {
    installation ??= app.client.auth.test().then(
      (r) => ({ teamId: String(r.team_id), enterpriseId: r.enterprise_id ? String(r.enterprise_id) : null }),
      (err) => {
        installation = undefined; // retry on the next request
        throw err;
      },
    );
    return installation;
  };
  registerWorkspaceGuard(app, installed, log);
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
  registerGateActions(app, ctx);
  registerGonogoHistoryActions(app, ctx);
  registerChecklistSubmission(app, ctx);
  app.error(async (err) => {
    log.error({ err: err.message, code: (err as { code?: string }).code }, 'unhandled error in a Slack listener');
  });
  return {
    app,
    client: app.client,
    async start() {
      if (healthServer) {
        await new Promise<void>((resolve) => healthServer!.listen(env.PORT, resolve));
        await app.start();
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
