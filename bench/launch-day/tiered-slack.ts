import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackApiFake } from '../../test/support/slack-api-fake.js';
import { DEFAULT_TIER, METHOD_TIERS, TIER_PER_MINUTE } from './slack-rate-tiers.js';

/** One Web API call as the tiered front saw it: `at` is when it was answered (ms since the epoch). */
export interface TieredCall {
  method: string;
  /** The `channel` argument ('' when none). */
  channel: string;
  at: number;
  /** The first 80 characters of its `text` argument ('' when none), to tell a prompt from a reminder. */
  text: string;
  /** 200 (forwarded to the fake, whatever its `ok`), 429 (past the tier or a storm), 503 (an injected 5xx). */
  status: number;
  /** The call was forwarded (Slack acted on it) but its answer was dropped (an injected fault). */
  replyLost?: boolean;
  /** When the call arrived at the front (ms since the epoch; `at` minus the latency for a forwarded call). */
  arrivedAt: number;
  /**
   * A 429's `Retry-After` in seconds and the limit it was past: `channel` (chat.postMessage to that channel),
   * `workspace` (chat.postMessage anywhere) or `method` (the method's tier).
   */
  retryAfterS?: number;
  limitedBy?: 'channel' | 'workspace' | 'method';
}

/** Options of {@link TieredSlack}. */
export interface TieredSlackOptions {
  /** Workspace-wide chat.postMessage per minute (unpublished by Slack: "several hundred"). Default 600. */
  postMessagePerMinute?: number;
  /** chat.postMessage per second per channel (docs: about 1). Default 1. */
  perChannelPerSecond?: number;
  /** Burst of that per-channel limit (unpublished). Default 3. */
  perChannelBurst?: number;
  /** Latency added to every forwarded call, ms. Default 30. */
  latencyMs?: number;
  /** Faults to inject (the chaos drill, issue 25); none by default. */
  faults?: SlackFaults;
}

/**
 * Faults the front injects (the chaos drill): Slack's own failure modes, each recorded in `calls` with its status.
 * - `stormUntil(now)`: while it returns a time in the future, every chat.postMessage is answered 429 with a
 *   `Retry-After` to that time (a storm of 429s), limit `workspace`;
 * - `fail(method)`: called for every call within its tier; `'5xx'` answers HTTP 503 `{ ok: false, error:
 *   'service_unavailable' }` without forwarding; `'lost-reply'` forwards the call (Slack acts on it: a message is
 *   posted) and then drops the connection without an answer, the case where the bot cannot know whether it went out;
 *   null lets it through.
 */
export interface SlackFaults {
  stormUntil?(now: number): number | null;
  fail?(method: string): '5xx' | 'lost-reply' | null;
}

/** A token bucket: `capacity` tokens, refilled at `perMs` a millisecond, starting full. */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }
  /** Takes a token, or returns the ms until one is available (and takes none). */
  take(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.perMs;
  }
}

/**
 * The Slack Web API stand-in (sandbox/slack-stand-in, through test/support/slack-api-fake.ts) behind a front that
 * enforces Slack's rate tiers per method (./slack-rate-tiers.ts) and adds a latency per call, for the launch-day
 * benchmark (issue 25). A call within its tier is forwarded to the stand-in (which stores messages and answers as
 * Slack does); one past it is answered HTTP 429 `{ ok: false, error: 'ratelimited' }` with `Retry-After` in whole
 * seconds (at least 1), as docs.slack.dev/apis/web-api/rate-limits documents, and is not forwarded. Limits are token
 * buckets of a minute's calls refilled continuously (the strict reading of "N per minute"); chat.postMessage has a
 * bucket per channel (1/s, burst 3) and a workspace one (`postMessagePerMinute`). Every call is recorded in `calls`.
 * Only the bench uses it; the stand-in's own behaviour is unchanged.
 */
export class TieredSlack {
  readonly fake = new SlackApiFake({ keepAliveTimeoutMs: 65_000 });
  readonly calls: TieredCall[] = [];
  url = '';
  private readonly server: Server;
  private readonly buckets = new Map<string, Bucket>();
  private readonly opts: Required<TieredSlackOptions>;

  constructor(opts: TieredSlackOptions = {}) {
    this.opts = { postMessagePerMinute: 600, perChannelPerSecond: 1, perChannelBurst: 3, latencyMs: 30, faults: {}, ...opts };
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, headers }) => {
          // a lost reply: Slack did the work, the answer never reaches the bot
          if (status === 0) {
            req.socket.destroy();
            return;
          }
          res.writeHead(status, headers);
          res.end(body);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'fake_error', detail: err.message }));
        },
      );
    });
    this.server.keepAliveTimeout = 65_000;
  }

  /** Starts the stand-in and the front (127.0.0.1, random ports); `url` is the front's `…/api/`. */
  async start(): Promise<this> {
    await this.fake.start();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.fake.stop();
  }

  /** 429s answered so far, by method. */
  rateLimited(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) if (c.status === 429) out[c.method] = (out[c.method] ?? 0) + 1;
    return out;
  }

  /**
   * The 429s whose Retry-After the bot did not honour: calls under the same limit (the same channel's posts, every
   * post, or the same method) that arrived after the 429 was answered and before its Retry-After ran out. A call
   * already in flight when the 429 was answered (it arrived before) is not counted: the bot could not know yet.
   * @returns how many calls came early, and under which limits.
   */
  callsIgnoringRetryAfter(): { early: number; byLimit: Record<string, number> } {
    const byLimit: Record<string, number> = {};
    const limited = this.calls.filter((c) => c.status === 429 && c.retryAfterS !== undefined);
    const early = new Set<TieredCall>();
    for (const l of limited) {
      const until = l.at + l.retryAfterS! * 1_000;
      for (const c of this.calls) {
        if (c === l || c.arrivedAt <= l.at || c.arrivedAt >= until || early.has(c)) continue;
        const same = l.limitedBy === 'workspace' ? c.method === 'chat.postMessage' : l.limitedBy === 'channel' ? c.method === 'chat.postMessage' && c.channel === l.channel : c.method === l.method;
        if (!same) continue;
        early.add(c);
        byLimit[`${l.method} (${l.limitedBy})`] = (byLimit[`${l.method} (${l.limitedBy})`] ?? 0) + 1;
      }
    }
    return { early: early.size, byLimit };
  }

  /**
   * The ms to wait before `method` (to `channel`) may be called again, 0 when it may now (a token is taken), and
   * the limit that refused it.
   */
  private limitAndScope(method: string, channel: string, now: number): { waitMs: number; by?: 'channel' | 'workspace' | 'method' } {
    const tier = METHOD_TIERS[method] ?? DEFAULT_TIER;
    if (tier === 'unlimited') return { waitMs: 0 };
    const bucket = (key: string, capacity: number, perMs: number) => {
      let b = this.buckets.get(key);
      if (!b) {
        b = new Bucket(capacity, perMs, now);
        this.buckets.set(key, b);
      }
      return b;
    };
    if (tier === 'postMessage') {
      const perChannel = bucket(`chan:${channel}`, this.opts.perChannelBurst, this.opts.perChannelPerSecond / 1000);
      const wait = perChannel.take(now);
      if (wait) return { waitMs: wait, by: 'channel' };
      // the channel's token is spent even when the workspace refuses: Slack counts the attempt
      return { waitMs: bucket('chat.postMessage', this.opts.postMessagePerMinute, this.opts.postMessagePerMinute / 60_000).take(now), by: 'workspace' };
    }
    const perMinute = TIER_PER_MINUTE[tier];
    return { waitMs: bucket(method, perMinute, perMinute / 60_000).take(now), by: 'method' };
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string | Buffer; headers: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? '';
    const method = path.startsWith('/api/') ? path.slice('/api/'.length).split('?')[0]! : path.replace(/^\//, '').split('/')[0]!;
    const { channel, text } = argsOf(raw.toString('utf8'), String(req.headers['content-type'] ?? ''));
    const arrivedAt = Date.now();
    const api = path.startsWith('/api/') && !method.startsWith('response/');
    const stormUntil = api && method === 'chat.postMessage' ? (this.opts.faults.stormUntil?.(arrivedAt) ?? null) : null;
    if (stormUntil !== null && stormUntil > arrivedAt) {
      const retryAfterS = Math.max(1, Math.ceil((stormUntil - arrivedAt) / 1000));
      this.calls.push({ method, channel, text, at: Date.now(), status: 429, arrivedAt, retryAfterS, limitedBy: 'workspace' });
      return { status: 429, body: JSON.stringify({ ok: false, error: 'ratelimited' }), headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) } };
    }
    const { waitMs: limited, by } = api ? this.limitAndScope(method, channel, arrivedAt) : { waitMs: 0, by: undefined };
    if (limited > 0) {
      const retryAfterS = Math.max(1, Math.ceil(limited / 1000));
      this.calls.push({ method, channel, text, at: Date.now(), status: 429, arrivedAt, retryAfterS, ...(by ? { limitedBy: by } : {}) });
      return {
        status: 429,
        body: JSON.stringify({ ok: false, error: 'ratelimited' }),
        headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
      };
    }
    const fault = api ? (this.opts.faults.fail?.(method) ?? null) : null;
    if (fault === '5xx') {
      this.calls.push({ method, channel, text, at: Date.now(), status: 503, arrivedAt });
      return { status: 503, body: JSON.stringify({ ok: false, error: 'service_unavailable' }), headers: { 'content-type': 'application/json' } };
    }
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'authorization']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const res = await fetch(new URL(path.replace(/^\//, ''), this.fake.url.replace(/api\/$/, '')), { method: req.method ?? 'POST', headers, ...(raw.length ? { body: raw } : {}) });
    const body = Buffer.from(await res.arrayBuffer());
    if (fault === 'lost-reply') {
      this.calls.push({ method, channel, text, at: Date.now(), status: res.status, arrivedAt, replyLost: true });
      return { status: 0, body: '', headers: {} };
    }
    this.calls.push({ method, channel, text, at: Date.now(), status: res.status, arrivedAt });
    return { status: res.status, body, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } };
  }
}

/** The `channel` and `text` (first 80 characters) arguments of a Web API call's body (form or JSON), '' when none. */
function argsOf(raw: string, contentType: string): { channel: string; text: string } {
  try {
    const a: Record<string, unknown> = contentType.includes('application/json') ? (raw ? JSON.parse(raw) : {}) : Object.fromEntries(new URLSearchParams(raw));
    return { channel: String(a.channel ?? ''), text: String(a.text ?? '').slice(0, 80) };
  } catch {
    return { channel: '', text: '' };
  }
}
