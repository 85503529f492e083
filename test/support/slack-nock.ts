import nock from 'nock';
import { SlackMessageStore, uploadedBytes } from './slack-messages.js';
import { CanvasStore } from '../../sandbox/slack-stand-in/canvases.js';
import { SlackConversations } from '../../sandbox/slack-stand-in/conversations.js';
import { type FunctionExecutedArgs, FunctionExecutions, functionExecutedBody } from '../../sandbox/slack-stand-in/functions.js';
import { TokenRotationFake } from '../../sandbox/slack-stand-in/token-rotation.js';
import { type GridOrg, gridDecorate, gridRefusal } from '../../sandbox/slack-stand-in/grid.js';

export const NOCK_SLACK_URL = 'https://slack.test/api/';

export interface NockedCall {
  method: string;
  args: Record<string, any>;
  /** The token the call carried (Authorization: Bearer, or `token` in the body), when it carried one. */
  token?: string;
}

/**
 * Fakes the Slack Web API at the HTTP boundary with nock: every POST to https://slack.test/api/<method>
 * is recorded and answered like Slack (DM channels D…, files.uploadV2's three steps (the bytes POSTed to
 * https://slack.test/upload/<file id>, recorded as method `upload`), increasing `ts` from `opts.now`, messages and their
 * metadata kept in `messages` and listed by conversations.history / .replies, see slack-messages.ts).
 * `failNext` scripts errors. `rotation` plays Slack's token rotation once started (`oauth.v2.access` refreshes,
 * `token_expired` for an expired bot token; sandbox/slack-stand-in/token-rotation.ts); calls it refused with
 * `token_expired` are in `refused`, not `calls`.
 * @param opts.now the fake Slack's clock, epoch ms (pass the test's clock so `ts` and `oldest` agree); default the real one.
 * @param opts.onCall awaited after Slack has handled a call (a message posted, a history page read) and before
 *   its answer reaches the client: stands for what happens while the answer is slow to arrive (advance the
 *   test's clock, let another worker run).
 * @param opts.grid an Enterprise Grid org-wide install (issue 24, sandbox/slack-stand-in/grid.ts): `missing_argument`
 *   without `team_id` where Slack requires it, `team_access_not_granted` for a workspace not granted.
 */
export function nockSlack(opts: { now?: () => number; onCall?: (call: NockedCall) => void | Promise<void>; grid?: GridOrg } = {}) {
  const calls: NockedCall[] = [];
  const refused: NockedCall[] = [];
  const rotation = new TokenRotationFake(opts.now);
  const scripted: { method: string; status: number; body: unknown; headers?: Record<string, string> }[] = [];
  const messages = new SlackMessageStore(opts.now);
  const usersByEmail = new Map<string, string>();
  const conversations = new SlackConversations();
  const canvases = new CanvasStore();
  const functions = new FunctionExecutions();
  let seq = 0;
  const scope = nock('https://slack.test')
    .persist()
    .post(/\/(api|upload)\/.+/)
    .reply(async (req: Request) => {
      // nock 15 hands the reply function the intercepted WHATWG Request
      const uri = new URL(req.url).pathname;
      if (uri.startsWith('/upload/')) {
        // step 2 of files.uploadV2: the file's bytes, POSTed to the upload_url getUploadURLExternal gave;
        // @slack/web-api sends the file as multipart/form-data
        const fileId = uri.replace(/^\/upload\//, '');
        const bytes = uploadedBytes(Buffer.from(await req.arrayBuffer()));
        calls.push({ method: 'upload', args: { fileId, length: bytes.length } });
        return messages.receiveUpload(fileId, bytes) ? [200, `OK - ${bytes.length}`] : [404, 'Not Found'];
      }
      const method = uri.replace(/^\/api\//, '');
      const raw = await req.text();
      const args: Record<string, any> = (req.headers.get('content-type') ?? '').includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      for (const k of ['blocks', 'view', 'metadata']) if (typeof args[k] === 'string') args[k] = JSON.parse(args[k]);
      const authorization = req.headers.get('authorization') ?? (args.token ? `Bearer ${args.token}` : undefined);
      const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
      const i = scripted.findIndex((s) => s.method === method);
      if (i >= 0) {
        const [s] = scripted.splice(i, 1);
        return [s!.status, s!.body, s!.headers ?? {}];
      }
      if (rotation.handles(method)) {
        calls.push({ method, args });
        return [200, rotation.refresh(args, { id: 'T0PREFLIGHT', botUserId: 'U0BOT' }, authorization)];
      }
      const refusal = rotation.refusal(authorization);
      if (refusal) {
        refused.push({ method, args, ...(token ? { token } : {}) });
        return [200, { ok: false, error: refusal }];
      }
      const gridError = opts.grid ? gridRefusal(opts.grid, method, args) : null;
      if (gridError) return [200, { ok: false, error: gridError }];
      calls.push({ method, args, ...(token ? { token } : {}) });
      const answer = opts.grid ? gridDecorate(opts.grid, method, args, handle(method, args)) : handle(method, args);
      await opts.onCall?.({ method, args });
      return [200, answer];
    });
  const handle = (method: string, args: Record<string, any>): unknown => {
    // a standalone canvas (the retrospective's: canvases.create, then edits and access.set of its id) is the canvas store's
    const standalone =
      method === 'canvases.create' || method === 'canvases.access.set' || (method === 'canvases.edit' && canvases.canvases.has(String(args.canvas_id))) ? canvases.answer(method, args) : null;
    if (standalone) return standalone;
    // functions.completeSuccess / completeError: Workflow Builder steps (sandbox/slack-stand-in/functions.ts)
    const completed = functions.answer(method, args);
    if (completed) return completed;
    // a pin in a channel the bot created (the war room) is the conversations fake's; any other, the message store's (the board)
    const stored = method === 'pins.add' && conversations.channels.has(String(args.channel ?? '')) ? null : messages.answer(method, args);
    if (stored) return stored;
    switch (method) {
      case 'chat.postMessage': {
        const m = messages.post(args);
        return { ok: true, channel: m.channel, ts: m.ts };
      }
      case 'chat.update':
        messages.update(args);
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'views.open':
        return { ok: true, view: { id: `V${++seq}` } };
      case 'users.lookupByEmail': {
        const id = usersByEmail.get(String(args.email ?? '').toLowerCase());
        return id ? { ok: true, user: { id, deleted: false } } : { ok: false, error: 'users_not_found' };
      }
      default:
        return conversations.answer(method, args) ?? { ok: true };
    }
  };
  return {
    calls,
    /** The messages in the fake workspace (add one with `messages.post(args)` to stand for an earlier attempt). */
    messages,
    /** Channels the bot creates, invites into, pins in and archives (sandbox/slack-stand-in/conversations.ts). */
    conversations,
    /** Standalone canvases (the retrospective's; sandbox/slack-stand-in/canvases.ts). */
    canvases,
    /** Workflow step executions and how each was completed (sandbox/slack-stand-in/functions.ts). */
    functions,
    /**
     * Slack starts a workflow step: the `function_executed` delivery's body (hand it to the app), its execution
     * recorded as running so functions.completeSuccess / completeError answer as Slack does.
     */
    startFunction(args: FunctionExecutedArgs): Record<string, any> {
      const body = functionExecutedBody({ now: opts.now?.(), ...args });
      functions.started(body);
      return body;
    },
    /** Calls answered `token_expired` (rotation started, the call's bot token expired). */
    refused,
    /** Slack's token rotation: off until `rotation.start(...)` (sandbox/slack-stand-in/token-rotation.ts). */
    rotation,
    /** Members users.lookupByEmail finds: lower-cased email → user ID (others get `users_not_found`). */
    usersByEmail,
    /** Successful calls of `method` matching `where`. */
    of: (method: string, where: (a: Record<string, any>) => boolean = () => true) => calls.filter((c) => c.method === method && where(c.args)),
    /** The next call to `method` is answered with this status/body instead (e.g. 429 with Retry-After). */
    failNext(method: string, status: number, body: unknown, headers?: Record<string, string>) {
      scripted.push({ method, status, body, headers });
    },
    done() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}

/** Polls `predicate` every 25 ms; throws with `what` after `timeoutMs`. */
export async function eventually(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
