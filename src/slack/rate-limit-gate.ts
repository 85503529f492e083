import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { FetchLike } from '../metrics/slack-adapter.js';
import { slackMethodOf } from '../metrics/slack-adapter.js';
import { noteRefusedLimit } from '../services/refused-limits.js';

/**
 * Slack's rate limits are per method and workspace, per minute ("Tier 3: 50+ per minute"), and `chat.postMessage`
 * has its own: about one message per second per channel, plus a workspace-wide limit Slack does not publish
 * (docs.slack.dev/apis/web-api/rate-limits). A call past a limit is answered HTTP 429 with `Retry-After` in seconds.
 */
const MINUTE_MS = 60_000;
/** Slack's per-channel limit for chat.postMessage: one message per second (same source). */
const CHANNEL_SPACING_MS = 1_000;
/**
 * The fewest calls a minute the pacing assumes, however few this process saw accepted (another replica or app may
 * have spent the minute, and a handful of calls says little about the limit): one a second, Slack's rate for
 * chat.postMessage to one channel. A limit below it (Tiers 1 and 2) answers 429 again and is held by its Retry-After.
 */
const MIN_PER_MINUTE = 60;
/** A 'channel' entry of chat.postMessage kept for the channel-or-workspace guess is dropped after this long, ms. */
const RECENT_POST_MS = CHANNEL_SPACING_MS;

/** The limit a 429 applies to: a method's (per workspace), or chat.postMessage's to one channel. */
type LimitKey = string;

interface Limit {
  /** No call under this limit starts before this time (epoch ms): the last 429's Retry-After. */
  closedUntil: number;
  /** Calls under this limit start at least this far apart, ms; 0 = not paced. */
  spacingMs: number;
  /** When the next call under this limit may start (epoch ms), after the calls already given a start time. */
  nextStart: number;
  /** When this limit last answered 429 (epoch ms). */
  limitedAt: number;
  /** Start times (epoch ms) of the calls Slack accepted under this limit in the last minute, oldest first. */
  accepted: number[];
}

/** What the gate reads time with (tests pass a fake clock). */
export interface GateClock {
  /** Epoch ms. */
  now(): number;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

const systemGateClock: GateClock = { now: () => Date.now(), sleep: (ms) => sleepMs(ms) };

/**
 * A 429's hold as the replicas share it: the limit it closed (`chat.postMessage`, `chat.postMessage#C123`, a method's
 * name) and its Retry-After in ms, counted from when the receiving process hears of it (no clock is compared).
 */
export interface SharedHold {
  key: string;
  retryAfterMs: number;
}

/**
 * One process's view of Slack's rate limits, shared by every Web API client the process builds: a 429 answered to
 * one call holds every later call under the same limit until its `Retry-After` has run (including calls of jobs
 * already running, which BullMQ's queue pause does not stop), then lets them go paced instead of all at once.
 *
 * - **Which limit.** A 429 of a method closes that method. A 429 of `chat.postMessage` closes the channel it was
 *   posted to when this process posted there less than a second before (Slack's one message per second per
 *   channel), else every post (the workspace's limit).
 * - **Pacing.** After a 429, calls under that limit start at least `spacing` apart. The first spacing is a minute
 *   divided by the calls Slack accepted in the last minute (its limits are per minute, so that is what the limit
 *   let through; at least 60, one a second), worked out again at each 429. A minute without a 429 ends the pacing (the
 *   minute's allowance is back). A channel's posts are paced a second apart.
 *   Pacing a little too fast costs one refused call now and then, and no throughput: the Retry-After's pause lets the
 *   allowance build up again. Pacing slower than Slack allows would lose throughput for good, so the spacing never
 *   grows past what the last minute shows.
 * - **Replicas.** Each process has its own gate. {@link shareWith} hands each 429's hold to the other replicas
 *   (slack/rate-limit-sharing.ts, Redis pub/sub), and {@link heldElsewhere} applies theirs here, so a 429 to one replica
 *   holds the others' calls under that limit too. On chat.postMessage's workspace limit, BullMQ's queue pause (src/jobs/workers.ts) stops new jobs as well.
 *   Work run under {@link refusingHeldCalls} is never held here: its held calls are refused at once instead.
 */
export class SlackRateLimitGate {
  private readonly limits = new Map<LimitKey, Limit>();
  /** chat.postMessage: when this process last started a post to each channel (epoch ms), for the scope guess. */
  private readonly lastPost = new Map<string, number>();
  private lastPrune = 0;
  private share: ((hold: SharedHold) => void) | undefined;

  constructor(private readonly clock: GateClock = systemGateClock) {}

  /** From now on each 429 this process receives is also handed to `publish` (for the other replicas). */
  shareWith(publish: (hold: SharedHold) => void): void {
    this.share = publish;
  }

  /**
   * Another replica received a 429 under `hold.key`: close that limit here for `hold.retryAfterMs` (from now) and
   * pace it as if this process had been refused (see the class). An unknown key's form is accepted as given.
   */
  heldElsewhere(hold: SharedHold): void {
    this.hold(hold.key, hold.retryAfterMs, this.clock.now());
  }

  /**
   * Resolves when a call of `method` (to `channel`, for chat.postMessage) may start: at once unless a 429 closed or
   * paced its limit. Never rejects.
   * @returns when this process last started a post to `channel` before this call (epoch ms), for {@link limited}.
   */
  async beforeCall(method: string, channel?: string): Promise<number | undefined> {
    const keys = this.keysOf(method, channel);
    for (;;) {
      const now = this.clock.now();
      const start = this.reserve(keys, now);
      if (start > now) await this.clock.sleep(start - now);
      // a 429 answered while this call waited closes its limit again: wait for the new Retry-After
      const reopened = Math.max(...keys.map((k) => this.limits.get(k)?.closedUntil ?? 0));
      if (reopened <= this.clock.now()) break;
    }
    if (method !== 'chat.postMessage' || !channel) return undefined;
    const previous = this.lastPost.get(channel);
    this.notePost(channel, this.clock.now());
    return previous;
  }

  /**
   * Slack answered 429 with `Retry-After: retryAfterS` (seconds) to a call of `method` (to `channel`) that started at
   * `startedAt` (epoch ms): closes its limit for that long and paces it from then on (see the class).
   * @param previousPostAt what {@link beforeCall} returned for that call.
   * @returns the limit closed (`chat.postMessage#C123` for one channel's, else the method's name).
   */
  limited(method: string, channel: string | undefined, retryAfterS: number, startedAt: number, previousPostAt?: number): string {
    const now = this.clock.now();
    const key = method === 'chat.postMessage' && channel && previousPostAt !== undefined && startedAt - previousPostAt < CHANNEL_SPACING_MS ? `${method}#${channel}` : method;
    const retryAfterMs = Math.max(0, retryAfterS) * 1_000;
    this.hold(key, retryAfterMs, now);
    this.share?.({ key, retryAfterMs });
    return key;
  }

  /** Closes `key`'s limit for `retryAfterMs` from `now` and paces it (the class's rules). */
  private hold(key: LimitKey, retryAfterMs: number, now: number): void {
    const limit = this.limitOf(key, now);
    limit.closedUntil = Math.max(limit.closedUntil, now + Math.max(0, retryAfterMs));
    limit.nextStart = Math.max(limit.nextStart, limit.closedUntil);
    if (key.startsWith('chat.postMessage#')) limit.spacingMs = CHANNEL_SPACING_MS;
    else {
      this.dropOld(limit, now);
      limit.spacingMs = MINUTE_MS / Math.max(MIN_PER_MINUTE, limit.accepted.length);
    }
    limit.limitedAt = now;
  }

  /** Slack accepted (answered other than 429) a call of `method` that started at `startedAt` (epoch ms). */
  accepted(method: string, startedAt: number): void {
    const limit = this.limits.get(method) ?? this.limitOf(method, startedAt);
    limit.accepted.push(startedAt);
    if (limit.accepted.length > 64) this.dropOld(limit, this.clock.now());
  }

  /**
   * Whether a call of `method` (to `channel`, for chat.postMessage) would start at once: no 429's Retry-After closes
   * its limit and no pacing spaces it now. Reserves nothing: for a caller that would rather hand the call to a queue
   * than wait here ({@link refusingHeldCalls}).
   */
  isOpen(method: string, channel?: string): boolean {
    return this.heldFor(method, channel) === 0;
  }

  /** How long (ms, 0 when {@link isOpen}) a call of `method` (to `channel`) would wait here now. Reserves nothing. */
  heldFor(method: string, channel?: string): number {
    const now = this.clock.now();
    let start = now;
    for (const key of this.keysOf(method, channel)) {
      const limit = this.limits.get(key);
      if (!limit) continue;
      start = Math.max(start, limit.closedUntil, this.paced(limit, now) ? limit.nextStart : 0);
    }
    return start - now;
  }

  /** The gate's clock, epoch ms. */
  now(): number {
    return this.clock.now();
  }

  /** Limits now closed or paced, for logs and tests: `{ key, closedForMs, spacingMs }`. */
  state(): { key: string; closedForMs: number; spacingMs: number }[] {
    const now = this.clock.now();
    return [...this.limits.entries()]
      .filter(([, l]) => l.closedUntil > now || this.paced(l, now))
      .map(([key, l]) => ({ key, closedForMs: Math.max(0, l.closedUntil - now), spacingMs: Math.round(l.spacingMs) }));
  }

  private keysOf(method: string, channel: string | undefined): LimitKey[] {
    return method === 'chat.postMessage' && channel ? [method, `${method}#${channel}`] : [method];
  }

  private paced(limit: Limit, now: number): boolean {
    return limit.spacingMs > 0 && now - limit.limitedAt < MINUTE_MS;
  }

  /** The start time given to a call under `keys` (epoch ms, ≥ now), and the next start of each paced limit after it. */
  private reserve(keys: LimitKey[], now: number): number {
    let start = now;
    for (const key of keys) {
      const limit = this.limits.get(key);
      if (!limit) continue;
      if (!this.paced(limit, now) && limit.closedUntil <= now) {
        limit.spacingMs = 0;
        if (key.includes('#')) this.limits.delete(key);
        continue;
      }
      start = Math.max(start, limit.closedUntil, limit.spacingMs > 0 ? limit.nextStart : 0);
    }
    for (const key of keys) {
      const limit = this.limits.get(key);
      if (limit && limit.spacingMs > 0) limit.nextStart = start + limit.spacingMs;
    }
    return start;
  }

  private limitOf(key: LimitKey, now: number): Limit {
    let limit = this.limits.get(key);
    if (!limit) {
      limit = { closedUntil: 0, spacingMs: 0, nextStart: now, limitedAt: 0, accepted: [] };
      this.limits.set(key, limit);
    }
    return limit;
  }

  private dropOld(limit: Limit, now: number): void {
    let i = 0;
    while (i < limit.accepted.length && limit.accepted[i]! <= now - MINUTE_MS) i++;
    if (i > 0) limit.accepted.splice(0, i);
  }

  private notePost(channel: string, now: number): void {
    this.lastPost.set(channel, now);
    if (now - this.lastPrune < RECENT_POST_MS) return;
    // once a second: forget posts older than the channel limit, and channels' limits that have run out
    this.lastPrune = now;
    for (const [c, at] of this.lastPost) if (now - at >= RECENT_POST_MS) this.lastPost.delete(c);
    for (const [key, limit] of this.limits) if (key.includes('#') && limit.closedUntil <= now && !this.paced(limit, now)) this.limits.delete(key);
  }
}

/** The `channel` argument of a chat.postMessage request body (form-encoded or JSON, as @slack/web-api sends it). */
function channelOf(body: RequestInit['body']): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const channel = body.startsWith('{') ? (JSON.parse(body) as { channel?: unknown }).channel : new URLSearchParams(body).get('channel');
    return typeof channel === 'string' && channel ? channel : undefined;
  } catch {
    return undefined;
  }
}

const refuseHeld = new AsyncLocalStorage<true>();

/**
 * Runs `fn` so that a Web API call through {@link gatedSlackFetch} that a rate limit would hold (a 429's Retry-After or
 * its pacing, the workspace's or the channel's) is neither made nor waited for: it is answered at once, here, as Slack
 * answers a call past a limit (HTTP 429, `Retry-After` = the wait in seconds, `{ ok: false, error: 'ratelimited' }`),
 * which @slack/web-api turns into its rate-limited error. Nothing reaches Slack and the gate is not changed. For work
 * that has a queue to hand the call to rather than hold its worker slot: the escalation DM sent from the escalation
 * job (services/blockers/send-now.ts), whose `send-notice` job then waits in the dm queue instead.
 */
export function refusingHeldCalls<T>(fn: () => Promise<T>): Promise<T> {
  return refuseHeld.run(true, fn);
}

/**
 * A `fetch` for @slack/web-api's `fetch` client option that asks `gate` before each Web API call and tells it every
 * answer (429 with `Retry-After`, or accepted). A 429's limit is also noted for the job that made the call
 * (services/refused-limits.ts). The request's timeout (`timeoutMs`, ms) starts when the call leaves the
 * gate, so a wait for a rate limit is never taken for a slow Slack: build the client with `timeout: 0`.
 * Network errors and timeouts are rethrown unchanged (the client wraps them as before).
 */
export function gatedSlackFetch(gate: SlackRateLimitGate, base: FetchLike, timeoutMs: number): FetchLike {
  return async (input, init) => {
    const method = slackMethodOf(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const channel = method === 'chat.postMessage' ? channelOf(init?.body) : undefined;
    const heldMs = refuseHeld.getStore() ? gate.heldFor(method, channel) : 0;
    if (heldMs > 0) {
      const headers = { 'content-type': 'application/json', 'retry-after': String(Math.ceil(heldMs / 1_000)) };
      return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers });
    }
    const previousPostAt = await gate.beforeCall(method, channel);
    const startedAt = gate.now();
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signal = timeout && init?.signal ? AbortSignal.any([timeout, init.signal]) : (timeout ?? init?.signal ?? undefined);
    const res = await base(input, { ...init, ...(signal ? { signal } : {}) });
    if (res.status === 429) {
      const retryAfterS = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
      noteRefusedLimit(gate.limited(method, channel, Number.isFinite(retryAfterS) ? retryAfterS : 1, startedAt, previousPostAt));
    } else gate.accepted(method, startedAt);
    return res;
  };
}

/** The global `fetch` as it is when each call is made (a test's HTTP interceptor may replace it after start-up). */
export const lateBoundFetch: FetchLike = (input, init) => globalThis.fetch(input, init);
