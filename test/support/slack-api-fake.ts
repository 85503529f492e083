import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackMessageStore, uploadedBytes } from './slack-messages.js';

/** One Web API call the fake received, with its arguments parsed (blocks/view JSON decoded). */
export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  at: number;
  status: number;
}

export interface SlackApiFakeOptions {
  /** Workspace-wide cap on chat.postMessage per window (429 with Retry-After beyond it). */
  postMessageCap?: number;
  /** Window of that cap, ms (default 60 000: "per minute"). */
  capWindowMs?: number;
  /** Extra latency per call, ms. */
  latencyMs?: number;
  botUserId?: string;
  teamId?: string;
}

/**
 * A small HTTP fake of the Slack Web API for tests and benchmarks that run the real process
 * (`SLACK_API_URL=<fake.url>`). Answers like Slack for the methods Preflight calls, records every call, and
 * can enforce a fixed-window cap on chat.postMessage answering HTTP 429 + Retry-After (seconds), as Slack
 * documents for rate-limited calls (docs.slack.dev/apis/web-api/rate-limits). Posted messages (with their
 * metadata) are kept in `messages` and listed by conversations.history / conversations.replies
 * (see slack-messages.ts). A scripted successful chat.postMessage (e.g. one answered too late) is posted
 * when it is received, as Slack would.
 */
export class SlackApiFake {
  readonly calls: RecordedCall[] = [];
  readonly messages = new SlackMessageStore();
  private server: Server;
  private seq = 0;
  private windowStart = 0;
  private windowCount = 0;
  private scripted = new Map<string, { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }[]>();
  rateLimited = 0;
  url = '';

  constructor(private readonly opts: SlackApiFakeOptions = {}) {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    this.server.keepAliveTimeout = 1_000;
  }

  /** Starts listening on 127.0.0.1 (random port); `url` becomes e.g. http://127.0.0.1:40123/api/ */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    this.messages.uploadBase = this.url.replace(/api\/$/, 'upload/');
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next call(s) to `method` get this answer instead (e.g. a 500 or a 429), in order. */
  script(method: string, ...answers: { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }[]): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...answers]);
  }

  /** Successful calls to `method`, optionally filtered. */
  ok(method: string, where: (args: Record<string, any>) => boolean = () => true): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200 && where(c.args));
  }

  /** Polls until `predicate` holds, or throws after `timeoutMs` with `what` in the message. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if ((req.url ?? '').startsWith('/upload/')) {
      // step 2 of files.uploadV2: the file's bytes, POSTed to the upload_url getUploadURLExternal gave
      const fileId = (req.url ?? '').replace(/^\/upload\//, '');
      const bytes = uploadedBytes(Buffer.concat(chunks));
      const found = this.messages.receiveUpload(fileId, bytes);
      this.calls.push({ method: 'upload', args: { fileId, length: bytes.length }, at: Date.now(), status: found ? 200 : 404 });
      return { status: found ? 200 : 404, body: found ? `OK - ${bytes.length}` : 'Not Found' };
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    const record = (status: number) => this.calls.push({ method, args, at: Date.now(), status });
    const auth = req.headers.authorization ?? args.token;
    if (!auth) {
      record(200);
      return { status: 200, body: { ok: false, error: 'not_authed' } };
    }
    const scripted = this.scripted.get(method)?.shift();
    if (scripted) {
      let body = scripted.body ?? { ok: false, error: 'fake_error' };
      if (method === 'chat.postMessage' && scripted.status === 200 && (body as { ok?: boolean }).ok) {
        const m = this.messages.post(args); // Slack posts it, however late the answer comes
        body = { ...(body as object), channel: m.channel, ts: m.ts };
      }
      if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
      record(scripted.status);
      return { status: scripted.status, body, headers: scripted.headers };
    }
    if (method === 'chat.postMessage' && this.opts.postMessageCap) {
      const now = Date.now();
      const windowMs = this.opts.capWindowMs ?? 60_000;
      if (now - this.windowStart >= windowMs) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      if (this.windowCount >= this.opts.postMessageCap) {
        this.rateLimited++;
        record(429);
        const retryAfter = Math.max(1, Math.ceil((this.windowStart + windowMs - now) / 1000));
        return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(retryAfter) } };
      }
      this.windowCount++;
    }
    record(200);
    return { status: 200, body: this.answer(method, args) };
  }

  private answer(method: string, args: Record<string, any>): unknown {
    const ts = () => this.messages.nextTs();
    const stored = this.messages.answer(method, args);
    if (stored) return stored;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'preflight',
          team_id: this.opts.teamId ?? 'T0PREFLIGHT',
          user_id: this.opts.botUserId ?? 'UBOTPREFLIGHT',
          bot_id: 'BPREFLIGHT',
        };
      case 'chat.postMessage': {
        const m = this.messages.post(args);
        return { ok: true, channel: m.channel, ts: m.ts, message: { text: m.text, ts: m.ts, blocks: m.blocks, ...(m.metadata ? { metadata: m.metadata } : {}) } };
      }
      case 'chat.update':
        this.messages.update(args);
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${++this.seq}`, ...(args.view ?? {}) } };
      default:
        return { ok: true };
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, any> {
  let out: Record<string, any> = {};
  if (contentType.includes('application/json')) out = raw ? JSON.parse(raw) : {};
  else out = Object.fromEntries(new URLSearchParams(raw));
  for (const k of ['blocks', 'view', 'attachments', 'metadata']) {
    if (typeof out[k] === 'string') {
      try {
        out[k] = JSON.parse(out[k]);
      } catch {
        /* keep the raw string */
      }
    }
  }
  return out;
}
