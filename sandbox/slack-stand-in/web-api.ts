import { CanvasStore } from './canvases.js';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockLimitError, textLimitError } from './block-limits.js';
import { SlackMessageStore, uploadedBytes } from './messages.js';
import { Surfaces } from './surfaces.js';
import { SlackConversations } from './conversations.js';
import { FunctionExecutions } from './functions.js';
import { TokenRotationFake } from './token-rotation.js';
import { type GridOrg, gridDecorate, gridRefusal } from './grid.js';

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
  /** An Enterprise Grid org-wide install (issue 24, ./grid.ts): auth.test names the org; team_id and channel workspaces are enforced. */
  grid?: GridOrg;
  /**
   * The workspace's channels, when the stand-in should answer like a real workspace (the sandbox): a post to
   * a channel not listed is `channel_not_found`, to a private channel the bot is not in `not_in_channel`, and
   * chat.update of a message it never saw `message_not_found`. Without it (tests) every channel exists.
   */
  channels?: Record<string, { name: string; isPrivate?: boolean; botIsMember?: boolean }>;
  /**
   * How long an idle keep-alive connection stays open, ms (default 1 000, so tests stop quickly). Node sends it as
   * `Keep-Alive: timeout=<s>`, and undici (the bot's fetch) closes a connection 1 s before that, so the default
   * makes the bot reconnect for almost every call; benchmarks pass a long one, as slack.com's connections
   * outlive a burst.
   */
  keepAliveTimeoutMs?: number;
}

/** What changed in the workspace (the sandbox pushes it to the page). */
export type StandInChange = { kind: 'message' | 'ephemeral' | 'modal' | 'home'; channel?: string; user?: string };

/**
 * A small HTTP fake of the Slack Web API for tests, benchmarks and the sandbox, which run the real process
 * (`SLACK_API_URL=<fake.url>`). Answers like Slack for the methods Preflight calls, records every call, and
 * can enforce a fixed-window cap on chat.postMessage answering HTTP 429 + Retry-After (seconds), as Slack
 * documents for rate-limited calls (docs.slack.dev/apis/web-api/rate-limits). Posted messages (with their
 * metadata) are kept in `messages` and listed by conversations.history / conversations.replies
 * (see slack-messages.ts). A scripted successful chat.postMessage (e.g. one answered too late) is posted
 * when it is received, as Slack would. Ephemeral messages, modals and App Home views are kept in `surfaces`;
 * a `response_url` is `<url>response/<token>` (see Surfaces.newResponseToken). Blocks over Slack's limits get
 * Slack's `ok: false` errors (block-limits.ts). `changes` emits a {@link StandInChange} after each change.
 */
export class SlackApiFake {
  readonly calls: RecordedCall[] = [];
  readonly messages = new SlackMessageStore();
  readonly surfaces = new Surfaces();
  /** Channels the bot creates and manages (the war room; ./conversations.ts). */
  readonly conversations: SlackConversations;
  /** Standalone canvases (the retrospective's, issue 23). */
  readonly canvases = new CanvasStore();
  /** Workflow Builder step executions (issue 24): started by the sandbox's "Run a workflow step", completed by the bot. */
  readonly functions = new FunctionExecutions();
  /** Slack's token rotation (issue 24): off until `rotation.start(...)`; then oauth.v2.access refreshes and expired bot tokens get `token_expired`. */
  readonly rotation = new TokenRotationFake();
  readonly changes = new EventEmitter<{ change: [StandInChange] }>();
  private server: Server;
  private seq = 0;
  private windowStart = 0;
  private windowCount = 0;
  private scripted = new Map<string, { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }[]>();
  rateLimited = 0;
  url = '';
  /** What `apps.connections.open` (Socket Mode) answers as the WebSocket URL, e.g. a SocketModeFake's `url`. */
  socketModeUrl = '';
  /** Members users.lookupByEmail finds, by lower-cased email → user ID (others: `users_not_found`). */
  readonly usersByEmail = new Map<string, string>();

  constructor(private readonly opts: SlackApiFakeOptions = {}) {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    this.server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 1_000;
    this.conversations = new SlackConversations(opts.botUserId ?? 'UBOTPREFLIGHT');
  }

  /** Starts listening on `host` (127.0.0.1; random port); `url` becomes e.g. http://127.0.0.1:40123/api/ */
  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
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
    if (method.startsWith('response/')) {
      record(200);
      return { status: 200, body: this.respond(method.slice('response/'.length), args) };
    }
    if (this.rotation.handles(method)) {
      // oauth.v2.access authenticates with the app's client ID and secret, not a token
      record(200);
      return { status: 200, body: this.rotation.refresh(args, { id: this.opts.teamId ?? 'T0PREFLIGHT', botUserId: this.opts.botUserId ?? 'UBOTPREFLIGHT' }, req.headers.authorization) };
    }
    const auth = req.headers.authorization ?? args.token;
    const refusal = this.rotation.refusal(auth);
    if (refusal) {
      record(200);
      return { status: 200, body: { ok: false, error: refusal } };
    }
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
    const gridError = this.opts.grid ? gridRefusal(this.opts.grid, method, args) : null;
    record(200);
    if (gridError) return { status: 200, body: { ok: false, error: gridError } };
    const body = this.answer(method, args);
    return { status: 200, body: this.opts.grid ? gridDecorate(this.opts.grid, method, args, body) : body };
  }

  private emit(change: StandInChange): void {
    this.changes.emit('change', change);
  }

  /** Slack's answer to a post in `channel` in a real workspace (`opts.channels` set), or null when it may post. */
  private channelError(channel: string): string | null {
    // a channel the bot created (the war room, ./conversations.ts): it is a member until it is archived
    const made = this.conversations.channels.get(channel);
    if (made) return made.is_archived ? 'is_archived' : null;
    const known = this.opts.channels;
    if (!known || /^[UWD]/.test(channel)) return null;
    const c = known[channel];
    if (!c) return 'channel_not_found';
    if (c.isPrivate && c.botIsMember === false) return 'not_in_channel';
    return null;
  }

  /**
   * A POST to a response_url: `response_type: in_channel` or `replace_original` change the conversation,
   * anything else is an ephemeral message for the user who acted (docs.slack.dev/interactivity/handling-user-interaction).
   */
  private respond(token: string, args: Record<string, any>): unknown {
    const target = this.surfaces.responseTarget(token);
    if (!target) return { ok: false, error: 'expired_url' };
    const limit = blockLimitError(args.blocks, 'message');
    if (limit) return { ok: false, error: limit.error };
    if (truthy(args.delete_original) && target.messageTs) {
      const i = this.messages.messages.findIndex((m) => m.channel === target.channel && m.ts === target.messageTs);
      if (i >= 0) this.messages.messages.splice(i, 1);
    } else if (truthy(args.replace_original) && target.messageTs && this.messages.find(target.channel, target.messageTs)) {
      this.messages.update({ channel: target.channel, ts: target.messageTs, text: args.text, blocks: args.blocks });
    } else if (args.response_type === 'in_channel') {
      this.messages.post({ channel: target.channel, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts });
    } else {
      this.surfaces.ephemerals.push({ ts: this.messages.nextTs(), channel: target.channel, user: target.user, text: args.text, blocks: args.blocks });
      this.emit({ kind: 'ephemeral', channel: target.channel, user: target.user });
      return { ok: true };
    }
    this.emit({ kind: 'message', channel: target.channel });
    return { ok: true };
  }

  /** An ephemeral message for `user` in `channel` (a slash command's answer): shown to them only. */
  addEphemeral(args: { channel: string; user: string; text?: string; blocks?: unknown }): void {
    this.surfaces.ephemerals.push({ ts: this.messages.nextTs(), ...args });
    this.emit({ kind: 'ephemeral', channel: args.channel, user: args.user });
  }

  /**
   * Applies a view_submission's answer (docs.slack.dev/surfaces/modals#responding): `errors` shows them under
   * the fields and keeps the modal open; `update` replaces it, `push` stacks a new one, `clear` closes them
   * all; no `response_action` closes the submitted one.
   */
  applySubmissionAnswer(user: string, viewId: string, answer: Record<string, any> | null): void {
    const stack = this.surfaces.modals.get(user) ?? [];
    const i = stack.findIndex((v) => v.id === viewId);
    if (i < 0) return;
    const action = answer?.response_action;
    if (action === 'errors') stack[i]!.errors = answer!.errors ?? {};
    else if (action === 'update') stack[i] = { id: viewId, view: answer!.view ?? {} };
    else if (action === 'push') stack.push({ id: this.surfaces.nextViewId(), view: answer!.view ?? {} });
    else if (action === 'clear') stack.length = 0;
    else stack.splice(i, 1);
    this.emit({ kind: 'modal', user });
  }

  /** The user closes their top modal (Cancel or ×). */
  closeModal(user: string): void {
    this.surfaces.modals.get(user)?.pop();
    this.emit({ kind: 'modal', user });
  }

  /** A message a person typed, stored and announced. */
  postAsUser(args: { channel: string; user: string; text: string; thread_ts?: string }) {
    const m = this.messages.postAsUser(args);
    this.emit({ kind: 'message', channel: m.channel });
    return m;
  }

  private answer(method: string, args: Record<string, any>): unknown {
    const ts = () => this.messages.nextTs();
    // a pin in a channel the bot created (the war room) is the conversations stand-in's; any other, the message store's (the board)
    // a standalone canvas (the retrospective's: canvases.create, then edits and access.set of its id) is the canvas store's
    const standalone =
      method === 'canvases.create' || method === 'canvases.access.set' || (method === 'canvases.edit' && this.canvases.canvases.has(String(args.canvas_id)))
        ? this.canvases.answer(method, args)
        : null;
    if (standalone) return standalone;
    // functions.completeSuccess / completeError of a workflow step (./functions.ts)
    const completed = this.functions.answer(method, args);
    if (completed) return completed;
    const stored = method === 'pins.add' && this.conversations.channels.has(String(args.channel ?? '')) ? null : this.messages.answer(method, args);
    if (stored) {
      // the page shows a channel's canvas and its pins (sandbox/screen.ts): tell it they changed
      if (stored.ok && ['conversations.canvases.create', 'canvases.edit', 'pins.add'].includes(method)) {
        const channel = method === 'canvases.edit' ? [...this.messages.canvases.values()].find((c) => c.id === args.canvas_id)?.channel : String(args.channel_id ?? args.channel ?? '');
        this.emit({ kind: 'message', ...(channel ? { channel } : {}) });
      }
      return stored;
    }
    if (method === 'chat.postMessage' || method === 'chat.update' || method === 'chat.postEphemeral') {
      const channelError = this.channelError(String(args.channel ?? ''));
      if (channelError) return { ok: false, error: channelError };
      const limit = blockLimitError(args.blocks, 'message') ?? textLimitError(args.text);
      if (limit) return { ok: false, error: limit.error, response_metadata: { messages: [`[ERROR] ${limit.reason}`] } };
    }
    if (method.startsWith('views.')) {
      const limit = blockLimitError(args.view?.blocks, method === 'views.publish' ? 'home' : 'modal');
      if (limit) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${limit.reason}`] } };
    }
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
        this.emit({ kind: 'message', channel: m.channel });
        return { ok: true, channel: m.channel, ts: m.ts, message: { text: m.text, ts: m.ts, blocks: m.blocks, ...(m.metadata ? { metadata: m.metadata } : {}) } };
      }
      case 'chat.update': {
        const found = this.messages.update(args);
        if (!found && this.opts.channels) return { ok: false, error: 'message_not_found' };
        this.emit({ kind: 'message', channel: String(args.channel) });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'users.lookupByEmail': {
        const id = this.usersByEmail.get(String(args.email ?? '').toLowerCase());
        return id ? { ok: true, user: { id, team_id: this.opts.teamId ?? 'T0PREFLIGHT', deleted: false, profile: { email: args.email } } } : { ok: false, error: 'users_not_found' };
      }
      case 'apps.connections.open':
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: 'invalid_auth' };
      case 'chat.postEphemeral': {
        const e = { ts: ts(), channel: String(args.channel), user: String(args.user), text: args.text, blocks: args.blocks, ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}) };
        this.surfaces.ephemerals.push(e);
        this.emit({ kind: 'ephemeral', channel: e.channel, user: e.user });
        return { ok: true, message_ts: e.ts };
      }
      case 'views.open':
      case 'views.push': {
        const user = this.surfaces.userOfTrigger(String(args.trigger_id ?? ''));
        if (!user && this.opts.channels) return { ok: false, error: 'invalid_trigger_id' };
        const v = { id: this.surfaces.nextViewId(), view: args.view ?? {} };
        if (user) {
          const stack = method === 'views.open' ? [] : (this.surfaces.modals.get(user) ?? []);
          if (stack.length >= 3) return { ok: false, error: 'push_limit_reached' };
          this.surfaces.modals.set(user, [...stack, v]);
          this.emit({ kind: 'modal', user });
        }
        return { ok: true, view: { id: v.id, ...v.view } };
      }
      case 'views.update': {
        const found = args.view_id ? this.surfaces.findModal(String(args.view_id)) : undefined;
        if (!found) return this.opts.channels ? { ok: false, error: 'not_found' } : { ok: true, view: { id: `V${++this.seq}`, ...(args.view ?? {}) } };
        found.stack[found.index] = { id: String(args.view_id), view: args.view ?? {} };
        this.emit({ kind: 'modal', user: found.user });
        return { ok: true, view: { id: args.view_id, ...(args.view ?? {}) } };
      }
      case 'views.publish': {
        const user = String(args.user_id ?? '');
        const v = { id: this.surfaces.homes.get(user)?.id ?? this.surfaces.nextViewId(), view: args.view ?? {} };
        this.surfaces.homes.set(user, v);
        this.emit({ kind: 'home', user });
        return { ok: true, view: { id: v.id, ...v.view } };
      }
      default:
        return this.conversations.answer(method, args) ?? { ok: true };
    }
  }
}

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

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
