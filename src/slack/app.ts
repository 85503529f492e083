import { createServer, type Server } from 'node:http';
import { App, HTTPReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Redis } from 'ioredis';
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
import { registerPreflightCommand } from './commands/preflight.js';
import { registerTaskCommand } from './commands/task.js';
import { registerChecklistSubmission } from './views/checklist-form.js';
import type { WebClient } from '@slack/web-api';

export interface SlackApp {
  app: App;
  /** The Web API client listeners use (Bolt's own). */
  client: WebClient;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the Bolt app. HTTP mode (no SLACK_APP_TOKEN): every Slack request goes to `POST /slack/events`,
 * signatures always verified, and `GET /healthz` answers 200/503. Socket Mode (SLACK_APP_TOKEN set): same
 * listeners over a WebSocket, with `/healthz` on PORT from a small HTTP server.
 * @param depsFor builds the use-case deps around Bolt's WebClient (listener side).
 */
export function createSlackApp(args: { env: Env; log: Logger; redis: Redis; health: () => Promise<Health>; depsFor: (client: WebClient) => Deps }): SlackApp {
  const { env, log } = args;
  const logger: BoltLogger = boltLogger(log);
  const healthRoute = async (res: import('node:http').ServerResponse) => {
    const h = await args.health();
    res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(h));
  };
  const clientOptions = { slackApiUrl: env.SLACK_API_URL, logger };
  let app: App;
  let healthServer: Server | undefined;
  if (env.SLACK_APP_TOKEN) {
    app = new App({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN, socketMode: true, logger, clientOptions });
    healthServer = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/healthz') void healthRoute(res);
      else res.writeHead(404).end();
    });
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: env.SLACK_SIGNING_SECRET,
      endpoints: '/slack/events',
      signatureVerification: true,
      logger,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthRoute(res) }],
    });
    app = new App({ token: env.SLACK_BOT_TOKEN, receiver, logger, clientOptions });
  }
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
  registerPreflightCommand(app, ctx);
  registerGateActions(app, ctx);
  registerGonogoHistoryActions(app, ctx);
  registerChecklistSubmission(app, ctx);
  registerTaskCommand(app, ctx);
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
