import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The `GET /metrics` handler: Prometheus text format. With `token` (METRICS_TOKEN) set, a request must send
 * `Authorization: Bearer <token>` (compared in constant time) or gets 401 with `WWW-Authenticate: Bearer`;
 * without it the endpoint is open (keep it on a private network). A failed collection answers 500, never a stack.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return (req, res) => {
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="preflight metrics"' });
      res.end('401 Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      },
      (err: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`could not collect metrics: ${err.message}\n`);
      },
    );
  };
}
