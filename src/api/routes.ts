import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { dateRange, DateRangeError } from '../domain/records/range.js';
import type { Deps } from '../services/deps.js';
import { CursorError } from '../services/records/cursor.js';
import { MAX_PAGE, readPage } from '../services/records/read.js';
import { RECORD_KINDS, type RecordKind } from '../services/records/schemas.js';
import { bearerMatches } from './auth.js';
import { openApiDocument } from './openapi.js';

/** A GET route on the bot's HTTP server (Bolt's customRoutes in HTTP mode, the small server in Socket Mode). */
export interface HttpRoute {
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

const querySchema = z.strictObject(
  {
    from: z.string().optional(),
    to: z.string().optional(),
    limit: z.coerce
      .number({ error: `limit must be a whole number from 1 to ${MAX_PAGE}` })
      .int(`limit must be a whole number from 1 to ${MAX_PAGE}`)
      .min(1, `limit must be a whole number from 1 to ${MAX_PAGE}`)
      .max(MAX_PAGE, `limit must be at most ${MAX_PAGE}`)
      .default(50),
    cursor: z.string().optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown query parameter ${iss.keys.join(', ')}: use from, to, limit and cursor` : undefined) },
);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The read-only API under `/api/v1/`: one GET route per record kind and `/api/v1/openapi.json`, or none at all when
 * `token` is unset (the server then answers 404, as for any unknown path).
 * Every data route needs `Authorization: Bearer <token>` (401 with nothing of the data otherwise, checked before the
 * query is even parsed); answers `{ data, next_cursor }` (200), or `{ error, message }` with 400 for a bad query.
 * The OpenAPI document holds no data and is served without a token.
 * Query: `from`/`to` are inclusive dates in the program's zone (`program.timezone`), `limit` 1–200 (default 50),
 * `cursor` the previous page's `next_cursor`.
 * @param args.deps called per request: the database and the config (resolved after the routes are built).
 */
export function apiRoutes(args: { deps: () => Pick<Deps, 'db' | 'config'>; token: string | undefined; log: Logger }): HttpRoute[] {
  const { deps, token, log } = args;
  if (!token) return [];
  const document = JSON.stringify(openApiDocument());
  const list = (kind: RecordKind) => async (req: IncomingMessage, res: ServerResponse) => {
    if (!bearerMatches(req.headers.authorization, token)) {
      send(res, 401, { error: 'unauthorized', message: 'send Authorization: Bearer <PREFLIGHT_API_TOKEN>' }, { 'www-authenticate': 'Bearer realm="preflight"' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      send(res, 400, { error: 'bad_request', message: parsed.error.issues.map((i) => i.message).join('; ') });
      return;
    }
    try {
      const d = deps();
      const range = dateRange(parsed.data.from, parsed.data.to, d.config.program.timezone);
      const page = await readPage(d, kind, { range, cursor: parsed.data.cursor, limit: parsed.data.limit });
      send(res, 200, { data: page.records, next_cursor: page.next });
    } catch (err) {
      if (err instanceof DateRangeError || err instanceof CursorError) {
        send(res, 400, { error: 'bad_request', message: err.message });
        return;
      }
      log.error({ err: (err as Error).message, kind }, 'API request failed');
      send(res, 500, { error: 'internal', message: 'the request failed; try again' });
    }
  };
  return [
    {
      path: '/api/v1/openapi.json',
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(document);
      },
    },
    ...RECORD_KINDS.map((kind) => ({ path: `/api/v1/${kind}`, handler: (req: IncomingMessage, res: ServerResponse) => void list(kind)(req, res) })),
  ];
}
