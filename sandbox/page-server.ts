import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ActionWhere, type SandboxBridge, UserError } from './bridge.js';
import { mrkdwnToPlain } from './render/mrkdwn.js';
import { contextFor, screenFor } from './screen.js';
import type { SlackApiFake } from './slack-stand-in/web-api.js';
import { editTrackerIssue, trackerView } from './tracker-page.js';
import type { TrackerStandIn } from './tracker-stand-in/server.js';
import type { StandInKind } from './tracker-stand-in/store.js';
import type { SandboxDirectory } from './workspace/people.js';

/*
 * The sandbox page's HTTP server: static files from sandbox/web/, JSON endpoints the page calls, and a
 * Server-Sent Events stream (`GET /api/events`) that says when something changed so the page re-reads its screen.
 *   GET  /api/workspace                  program name, people, channels, slash commands
 *   GET  /api/screen?as=&conv=&thread=   rendered HTML of what that person sees (screen.ts)
 *   POST /api/compose   { as, conv, text, thread? }
 *   POST /api/home      { as }                         the Home tab was opened
 *   POST /api/action    { as, where, blockId, actionId, selected?, values? }
 *   POST /api/submit    { as, viewId, values }
 *   POST /api/close     { as }
 *   POST /api/step      { as, step, inputs }             run a Workflow Builder step; answers how it ended (an error with names for mentions)
 *   GET  /api/tracker                    the tracker stand-in's issues and the last webhooks (tracker-page.ts)
 *   POST /api/tracker/issue { ref, status?, assigneeEmail?, due? }   a visitor's edit; the stand-in sends the webhook
 * Errors answer `{ error }` with 400 (a bad request from the page) or 502 (Preflight could not be reached).
 */

const STATIC: Record<string, string> = { '/': 'index.html', '/app.js': 'app.js', '/style.css': 'style.css' };
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const webDir = new URL('./web/', import.meta.url);

async function body(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1_000_000) throw new UserError('request too large');
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new UserError('expected a JSON body');
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

/**
 * Starts the page server.
 * @param port TCP port (3100 by default in main.ts; 0 picks a free one); @param host interface to bind.
 * @returns the server and its base URL (http://host:port).
 */
export async function startPageServer(args: {
  standIn: SlackApiFake;
  bridge: SandboxBridge;
  dir: SandboxDirectory;
  port: number;
  host: string;
  /** The tracker stand-in and the workstream each tracker feeds; absent: no Tracker view (`/api/tracker` answers 404). */
  tracker?: { standIn: TrackerStandIn; workstreams: Partial<Record<StandInKind, string>> };
}): Promise<{ server: Server; url: string }> {
  const { standIn, bridge, dir, tracker } = args;
  const clients = new Set<ServerResponse>();
  const push = (c: unknown) => {
    for (const res of clients) res.write(`data: ${JSON.stringify(c)}\n\n`);
  };
  standIn.changes.on('change', push);
  tracker?.standIn.store.changes.on('change', (c) => push({ kind: 'tracker', ref: `${c.source.key}-${c.issue.number}` }));
  tracker?.standIn.deliveries.on('sent', (w) => push({ kind: 'tracker', webhook: w.key }));
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const file = STATIC[url.pathname];
      if (req.method === 'GET' && file) {
        res.writeHead(200, { 'content-type': TYPES[file.split('.').pop()!]!, 'cache-control': 'no-store' });
        return void res.end(await readFile(new URL(file, webDir)));
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/workspace') return send(res, 200, { ...dir, commands: bridge.commands, steps: bridge.steps, tracker: tracker !== undefined });
      if (url.pathname.startsWith('/api/tracker') && !tracker) return send(res, 404, { error: 'the sandbox runs without the tracker stand-in' });
      if (req.method === 'GET' && url.pathname === '/api/tracker') return send(res, 200, trackerView(tracker!.standIn, tracker!.workstreams));
      if (req.method === 'GET' && url.pathname === '/api/screen') {
        const as = url.searchParams.get('as') ?? '';
        if (!dir.people.some((p) => p.id === as)) return send(res, 400, { error: `unknown person ${as}` });
        return send(res, 200, screenFor(standIn, dir, as, url.searchParams.get('conv') ?? 'dm', url.searchParams.get('thread') ?? undefined));
      }
      if (req.method !== 'POST') return send(res, 404, { error: 'not found' });
      const b = await body(req);
      switch (url.pathname) {
        case '/api/compose':
          await bridge.compose(String(b.as), String(b.conv), String(b.text ?? ''), b.thread ? String(b.thread) : undefined);
          break;
        case '/api/home':
          await bridge.openHome(String(b.as));
          break;
        case '/api/action':
          await bridge.act(String(b.as), b.where as ActionWhere, String(b.blockId), String(b.actionId), b.selected === undefined ? undefined : String(b.selected), b.values);
          break;
        case '/api/submit':
          await bridge.submit(String(b.as), String(b.viewId), (b.values ?? {}) as Record<string, string | string[]>);
          break;
        case '/api/close':
          bridge.close(String(b.as));
          break;
        case '/api/step': {
          const run = await bridge.runStep(String(b.as), String(b.step), (b.inputs ?? {}) as Record<string, string>);
          // the page shows a refusal as text: its mentions as the people's names, not raw U… / C… ids
          return send(res, 200, run.state === 'failed' ? { ...run, error: mrkdwnToPlain(run.error, contextFor(dir, String(b.as))) } : run);
        }
        case '/api/tracker/issue':
          return send(res, 200, { issue: editTrackerIssue(tracker!.standIn, b) });
        default:
          return send(res, 404, { error: 'not found' });
      }
      send(res, 200, { ok: true });
    })().catch((err: Error) => {
      if (!res.headersSent) send(res, err instanceof UserError ? 400 : 502, { error: err instanceof UserError ? err.message : `Preflight did not answer: ${err.message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, args.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://${args.host === '0.0.0.0' || args.host === '127.0.0.1' ? 'localhost' : args.host}:${port}` };
}
