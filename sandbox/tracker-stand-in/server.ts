import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubRateLimited, githubWebhook, handleGithub } from './github.js';
import { handleJira, jiraWebhook } from './jira.js';
import { handleLinear, linearRateLimited, linearWebhook } from './linear.js';
import { json, type StandInReply, type StandInRequest, type WebhookDelivery } from './reply.js';
import { type StandInKind, type StoredChange, TrackerStore, type TrackerStoreOptions } from './store.js';

/*
 * The tracker stand-in (issue 21): one node:http server that answers as Jira Cloud (`/rest/api/…`), Linear
 * (`/graphql`) and GitHub (`/repos/…`) over one store of generated issues (store.ts), for tests, the sync benchmark
 * (bench/tracker-sync.ts) and the sandbox (`JIRA_API_URL`, `LINEAR_API_URL`, `GITHUB_API_URL` = its url). Every
 * change to an issue is sent as that tracker's webhook, signed with the source's secret, to the configured URL.
 */

/** Where a tracker's webhooks go (the bot's `/webhooks/<kind>`) and the secret they are signed with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface TrackerStandInOptions extends TrackerStoreOptions {
  /** Webhook targets per tracker; a tracker without one sends none. */
  webhooks?: Partial<Record<StandInKind, WebhookTarget>>;
  /**
   * Rate limiting for tests and the benchmark: every `after`-th API call (all trackers counted together) is
   * answered with that tracker's rate-limit reply (Jira and GitHub's documented 429/403 + `Retry-After`, Linear's
   * RATELIMITED) carrying `retryAfterS` seconds. Absent: never.
   */
  rateLimit?: { after: number; retryAfterS: number };
}

/** One API call the stand-in answered. */
export interface StandInCall {
  kind: StandInKind;
  method: string;
  path: string;
  status: number;
}

/** One webhook the stand-in sent: the answer's HTTP status, or the network error. */
export interface SentWebhook {
  kind: StandInKind;
  key: string;
  status?: number;
  error?: string;
}

/** Which tracker a path belongs to. */
function kindOf(path: string): StandInKind | undefined {
  if (path.startsWith('/rest/api/')) return 'jira';
  if (path === '/graphql') return 'linear';
  if (path.startsWith('/repos/')) return 'github';
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** The stand-in server. `start()` it, read `url`, `stop()` it. */
export class TrackerStandIn {
  readonly store: TrackerStore;
  readonly calls: StandInCall[] = [];
  readonly webhooksSent: SentWebhook[] = [];
  /** Emits `sent` once a webhook has been answered (or failed). */
  readonly deliveries = new EventEmitter<{ sent: [SentWebhook] }>();
  webhooks: Partial<Record<StandInKind, WebhookTarget>>;
  rateLimit: TrackerStandInOptions['rateLimit'];
  url = '';
  readonly #server: Server;
  readonly #pending = new Set<Promise<void>>();
  #count = 0;

  constructor(opts: TrackerStandInOptions) {
    this.store = new TrackerStore(opts);
    this.webhooks = { ...opts.webhooks };
    this.rateLimit = opts.rateLimit;
    this.store.changes.on('change', (c) => this.#send(c));
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      });
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  /** Listens on `port` (0: a free one) and `host`; sets `url` (no trailing slash). */
  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, resolve);
    });
    this.url = `http://${host}:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Waits for the webhooks in flight, then closes the server and its connections. */
  async stop(): Promise<void> {
    await this.settled();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves once every webhook sent so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** API calls answered per tracker. */
  callCount(kind: StandInKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  async #handle(req: IncomingMessage): Promise<StandInReply> {
    const url = new URL(req.url ?? '/', this.url || 'http://stand-in');
    const kind = kindOf(url.pathname);
    if (!kind) return json(404, { message: `the tracker stand-in has nothing at ${url.pathname}` });
    let reply: StandInReply | undefined;
    try {
      const request: StandInRequest = { method: req.method ?? 'GET', url, headers: req.headers, body: await readJson(req) };
      this.#count++;
      if (this.rateLimit && this.#count % this.rateLimit.after === 0) reply = this.#limited(kind, this.rateLimit.retryAfterS);
      else if (kind === 'jira') reply = handleJira(this.store, request, this.url);
      else if (kind === 'linear') reply = handleLinear(this.store, request);
      else reply = handleGithub(this.store, request, this.url);
    } catch (err) {
      reply = err instanceof SyntaxError ? json(400, { message: `the body is not JSON: ${err.message}` }) : json(500, { message: (err as Error).message });
    }
    reply ??= json(404, { message: `the tracker stand-in has nothing at ${req.method} ${url.pathname}` });
    this.calls.push({ kind, method: req.method ?? 'GET', path: url.pathname, status: reply.status });
    return reply;
  }

  #limited(kind: StandInKind, retryAfterS: number): StandInReply {
    if (kind === 'linear') return linearRateLimited(retryAfterS, this.store.now());
    if (kind === 'github') return githubRateLimited(retryAfterS);
    return json(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, { 'retry-after': String(retryAfterS) });
  }

  /** Sends the tracker's signed webhook for a change, when a target is configured; records the outcome. */
  #send(c: StoredChange): void {
    const target = this.webhooks[c.source.kind];
    if (!target) return;
    let delivery: WebhookDelivery;
    if (c.source.kind === 'jira') delivery = jiraWebhook(this.url, c, target.secret);
    else if (c.source.kind === 'linear') delivery = linearWebhook(c, target.secret, this.store.now());
    else delivery = githubWebhook(this.url, c, target.secret);
    const key = c.source.kind === 'github' ? `${c.source.key}#${c.issue.number}` : `${c.source.key}-${c.issue.number}`;
    const sent: SentWebhook = { kind: c.source.kind, key };
    const p = fetch(target.url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody, signal: AbortSignal.timeout(10_000) })
      .then(
        async (res) => {
          sent.status = res.status;
          await res.body?.cancel();
        },
        (err: Error) => {
          sent.error = err.message;
        },
      )
      .finally(() => {
        this.webhooksSent.push(sent);
        this.#pending.delete(p);
        this.deliveries.emit('sent', sent);
      });
    this.#pending.add(p);
  }
}
