import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { TRACKER_KINDS } from '../domain/trackers/tracker-issue.js';
import type { TrackerSync } from '../services/trackers/sync.js';
import type { GetRoute } from './app.js';

/** The largest webhook body read, bytes (Jira's issue payloads are a few tens of KB). */
export const WEBHOOK_MAX_BYTES = 5 * 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `POST /webhooks/jira`, `/webhooks/linear`, `/webhooks/github` on the bot's HTTP port (issue 21), in both Socket Mode
 * and HTTP mode. The raw body goes to the sync (services/trackers/sync.ts `receiveWebhook`), which verifies the
 * signature with each source of that kind that has a secret: 202 once verified (applied in the background), 401 for a
 * bad or missing signature, 404 when no source of that kind has `webhook_secret_env`, 413 over
 * {@link WEBHOOK_MAX_BYTES}, 503 before the sync has started.
 * @param sync the sync once start-up built it (undefined before).
 */
export function trackerWebhookRoutes(args: { sync: () => TrackerSync | undefined; env: NodeJS.ProcessEnv; log: Logger }): GetRoute[] {
  return TRACKER_KINDS.map((kind) => ({
    path: `/webhooks/${kind}`,
    method: 'POST' as const,
    handler: (req, res) => {
      const answer = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      void (async () => {
        const sync = args.sync();
        if (!sync) return answer(503, 'starting');
        const raw = await readBody(req, WEBHOOK_MAX_BYTES);
        if (!raw) return answer(413, 'too large');
        const out = await sync.receiveWebhook(kind, req.headers, raw, args.env);
        if (out.status === 401) args.log.info({ kind }, 'tracker webhook refused: bad or missing signature');
        answer(out.status, out.body);
      })().catch((err: Error) => {
        args.log.error({ kind, err: err.message }, 'tracker webhook failed');
        if (!res.headersSent) answer(500, 'error');
      });
    },
  }));
}
