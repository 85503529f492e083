/**
 * The messages a fake Slack workspace holds, shared by the in-process fake (test/support/slack-nock.ts), the
 * HTTP fake for the real process (web-api.ts) and the sandbox (`npm run sandbox`). Models what Preflight relies on from Slack:
 * - chat.postMessage to a user id lands in the app's DM with them (IM channel `D…` for `U…`/`W…`); a `ts` is
 *   "<unix seconds>.<6 digits>", increasing, taken from the fake's clock; `metadata` is kept with the message.
 * - conversations.history lists a conversation's top-level messages (not thread replies), newest first, within
 *   `oldest`/`latest` (exclusive unless `inclusive`), `limit` (default 100, max 999) per page with an opaque
 *   `cursor`; messages carry `metadata` only when `include_all_metadata` is true
 *   (docs.slack.dev/reference/methods/conversations.history). A user id is not a conversation: channel_not_found.
 * - conversations.replies lists a thread (the parent and its replies), oldest first, with the same arguments
 *   (docs.slack.dev/reference/methods/conversations.replies).
 * - conversations.open gives the IM channel of a user (docs.slack.dev/reference/methods/conversations.open).
 * - The bot is a member of every channel unless a test says otherwise (`notMemberOf`): chat:write.public lets it
 *   post in such a public channel, but conversations.history / .replies there answer `not_in_channel`
 *   (docs.slack.dev/reference/methods/conversations.history#errors) until conversations.join makes it a member;
 *   joining a channel it is already in answers ok with `warning: already_in_channel`, and a DM
 *   `method_not_supported_for_channel_type` (docs.slack.dev/reference/methods/conversations.join).
 * - Channel canvases (issue 23): conversations.canvases.create makes a channel's one canvas (`F…`; a second one
 *   answers `channel_canvas_already_exists`), canvases.edit applies `replace` (the whole document without
 *   `section_id`, else the section) and `insert_at_end`, canvases.sections.lookup finds sections by text, and
 *   conversations.info shows the canvas as `channel.properties.canvas.file_id`
 *   (docs.slack.dev/reference/methods/conversations.canvases.create, canvases.edit, canvases.sections.lookup).
 *   `canvasRefusal` set to a documented error (`not_allowed`, `missing_scope`, `team_tier_cannot_create_channel_canvases`,
 *   `restricted_action`…) makes every canvas method answer it, as a free workspace or a missing scope does.
 * - pins.add pins a message once (`already_pinned` the second time; `message_not_found` for an unknown ts).
 */

/** A channel canvas of the fake workspace: its markdown as sections (a `#` heading starts one). */
export interface StoredCanvas {
  id: string;
  channel: string;
  title: string;
  markdown: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Who wrote it: a person's user id for messages people typed (sandbox DM replies); absent for the bot's. */
  user?: string;
  /** Set by chat.update: when the message was last edited (epoch ms). */
  edited?: number;
  /** Files shared with the message (files.completeUploadExternal with a channel). */
  files?: { id: string; name: string; title: string }[];
}

/** A file of the upload flow files.uploadV2 drives: getUploadURLExternal → bytes to upload_url → completeUploadExternal. */
export interface StoredFile {
  id: string;
  filename: string;
  /** Bytes received at its upload_url (null until then). */
  bytes: Buffer | null;
  completed: boolean;
}

const isUser = (id: string) => /^[UW]/.test(id);
/** The app's IM channel with a user, as the fakes name it. */
export const imChannelOf = (id: string) => (isUser(id) ? `D${id.slice(1)}` : id);

/** Compares two Slack ts strings exactly ("1700000000.000123"), without floating-point rounding. */
function cmpTs(a: string, b: string): number {
  const [as, af = ''] = a.split('.');
  const [bs, bf = ''] = b.split('.');
  const d = Number(as) - Number(bs);
  return d !== 0 ? Math.sign(d) : Math.sign(Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0')));
}

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

function parseMetadata(v: unknown): StoredMessage['metadata'] {
  if (!v) return undefined;
  const m = typeof v === 'string' ? (JSON.parse(v) as StoredMessage['metadata']) : (v as StoredMessage['metadata']);
  return m?.event_type ? m : undefined;
}

/**
 * The file's bytes from what was POSTed to an upload_url: @slack/web-api sends them as multipart/form-data (one
 * part, the file); anything else is taken as the raw bytes.
 */
export function uploadedBytes(body: Buffer): Buffer {
  if (body.subarray(0, 2).toString('latin1') !== '--') return body;
  const eol = body.indexOf('\r\n');
  const boundary = body.subarray(0, eol).toString('latin1');
  const start = body.indexOf('\r\n\r\n', eol) + 4;
  const end = body.indexOf(`\r\n${boundary}`, start);
  return body.subarray(start, end < 0 ? body.length : end);
}

export class SlackMessageStore {
  readonly messages: StoredMessage[] = [];
  /** Public channels the bot has not joined (see notMemberOf). */
  private readonly notJoined = new Set<string>();
  private lastSec = 0;
  private counter = 0;
  /** Files being uploaded or uploaded, by id. */
  readonly files = new Map<string, StoredFile>();
  /** Where getUploadURLExternal points uploads: the fake's own address + `upload/` (each fake sets it). */
  uploadBase = 'https://slack.test/upload/';

  /** @param now the fake's clock, epoch ms (a test's fixed clock, or the real one). */
  constructor(private readonly now: () => number = Date.now) {}

  /** The next `ts`: the clock's second, and a counter within it (never going back). */
  nextTs(): string {
    const sec = Math.max(this.lastSec, Math.floor(this.now() / 1000));
    this.counter = sec === this.lastSec ? this.counter + 1 : 1;
    this.lastSec = sec;
    return `${sec}.${String(this.counter).padStart(6, '0')}`;
  }

  /** chat.postMessage: stores the message. @returns its conversation and ts. */
  post(args: Record<string, any>): StoredMessage {
    const m: StoredMessage = {
      channel: imChannelOf(String(args.channel ?? '')),
      ts: this.nextTs(),
      text: args.text,
      blocks: args.blocks,
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
      ...(parseMetadata(args.metadata) ? { metadata: parseMetadata(args.metadata) } : {}),
    };
    this.messages.push(m);
    return m;
  }

  /** A message a person typed (the sandbox's composer): stored like Slack stores it, with its author. */
  postAsUser(args: { channel: string; user: string; text: string; thread_ts?: string }): StoredMessage {
    const m: StoredMessage = { channel: imChannelOf(args.channel), ts: this.nextTs(), text: args.text, user: args.user, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) };
    this.messages.push(m);
    return m;
  }

  /** The message at `channel`/`ts`, if any. */
  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((x) => x.channel === imChannelOf(channel) && x.ts === ts);
  }

  /** chat.update: edits the message when it is known. @returns whether it was. */
  update(args: Record<string, any>): boolean {
    const m = this.messages.find((x) => x.channel === args.channel && x.ts === args.ts);
    if (!m) return false;
    m.edited = this.now();
    if (args.text !== undefined) m.text = args.text;
    if (args.blocks !== undefined) m.blocks = args.blocks;
    const meta = parseMetadata(args.metadata);
    if (meta) m.metadata = meta;
    return true;
  }

  /** The bot is not a member of public channel `channel` (until it calls conversations.join). */
  notMemberOf(channel: string): void {
    this.notJoined.add(channel);
  }

  /** Messages of one conversation (posted to it, or to the user whose IM it is). */
  in(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === imChannelOf(channel));
  }

  /** The bytes POSTed to a file's upload_url (`https://…/upload/<file id>`). @returns false for an unknown file. */
  receiveUpload(fileId: string, bytes: Buffer): boolean {
    const f = this.files.get(fileId);
    if (!f) return false;
    f.bytes = bytes;
    return true;
  }

  /**
   * files.getUploadURLExternal and files.completeUploadExternal as Slack documents them
   * (docs.slack.dev/reference/methods/files.getuploadurlexternal, …/files.completeuploadexternal): completing a
   * file whose bytes were uploaded shares it in `channel_id` (in the thread of `thread_ts`) as a message with
   * `files`, listed by conversations.history / .replies.
   */
  private fileUpload(method: string, args: Record<string, any>): Record<string, unknown> | null {
    if (method === 'files.getUploadURLExternal') {
      if (!args.filename || !Number(args.length)) return { ok: false, error: 'invalid_arguments' };
      const id = `F${String(this.files.size + 1).padStart(8, '0')}`;
      this.files.set(id, { id, filename: String(args.filename), bytes: null, completed: false });
      return { ok: true, upload_url: `${this.uploadBase}${id}`, file_id: id };
    }
    const list = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as { id: string; title?: string }[];
    const done: { id: string; name: string; title: string }[] = [];
    for (const entry of list ?? []) {
      const f = this.files.get(entry.id);
      if (!f?.bytes) return { ok: false, error: 'file_not_found' };
      f.completed = true;
      done.push({ id: f.id, name: f.filename, title: entry.title ?? f.filename });
    }
    if (args.channel_id) {
      const m = this.post({ channel: args.channel_id, text: args.initial_comment ?? '', ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) });
      m.files = done;
    }
    return { ok: true, files: done };
  }

  /** Channel canvases by channel id. */
  readonly canvases = new Map<string, StoredCanvas>();
  /** Pinned message `ts`s by channel id. */
  readonly pins = new Map<string, Set<string>>();
  /** When set, every canvas method answers `{ ok: false, error: canvasRefusal }` (a free workspace, a missing scope). */
  canvasRefusal: string | null = null;
  private canvasSeq = 0;

  /** conversations.canvases.create, canvases.edit, canvases.sections.lookup, conversations.info and pins.add; null for other methods. */
  private canvasAnswer(method: string, args: Record<string, any>): Record<string, unknown> | null {
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const byId = (id: unknown) => [...this.canvases.values()].find((c) => c.id === id);
    if (this.canvasRefusal && ['conversations.canvases.create', 'canvases.edit', 'canvases.sections.lookup'].includes(method)) return { ok: false, error: this.canvasRefusal };
    switch (method) {
      case 'conversations.canvases.create': {
        const channel = String(args.channel_id ?? '');
        if (!channel.startsWith('C') && !channel.startsWith('G')) return { ok: false, error: 'channel_not_found' };
        if (this.canvases.has(channel)) return { ok: false, error: 'channel_canvas_already_exists' };
        const content = json(args.document_content) as { markdown?: string } | undefined;
        const canvas = { id: `F0CANVAS${String(++this.canvasSeq).padStart(3, '0')}`, channel, title: String(args.title ?? ''), markdown: String(content?.markdown ?? '') };
        this.canvases.set(channel, canvas);
        return { ok: true, canvas_id: canvas.id };
      }
      case 'canvases.edit': {
        const canvas = byId(args.canvas_id);
        if (!canvas) return { ok: false, error: 'canvas_not_found' };
        const changes = json(args.changes) as { operation: string; section_id?: string; document_content?: { markdown?: string } }[];
        for (const ch of changes ?? []) {
          const md = ch.document_content?.markdown ?? '';
          if (ch.operation === 'replace' && !ch.section_id) canvas.markdown = md;
          else if (ch.operation === 'insert_at_end') canvas.markdown = `${canvas.markdown}\n${md}`;
          else if (ch.operation === 'replace') {
            const sections = canvas.markdown.split(/\n(?=# )/);
            const i = Number(String(ch.section_id).replace(/^temp:C:/, ''));
            if (!(i >= 0 && i < sections.length)) return { ok: false, error: 'canvas_editing_failed' };
            sections[i] = md;
            canvas.markdown = sections.join('\n');
          } else return { ok: false, error: 'canvas_editing_failed' };
        }
        return { ok: true };
      }
      case 'canvases.sections.lookup': {
        const canvas = byId(args.canvas_id);
        if (!canvas) return { ok: false, error: 'canvas_not_found' };
        const criteria = json(args.criteria) as { contains_text?: string } | undefined;
        const sections = canvas.markdown
          .split(/\n(?=# )/)
          .map((text, i) => ({ id: `temp:C:${i}`, text }))
          .filter((x) => !criteria?.contains_text || x.text.includes(criteria.contains_text));
        return { ok: true, sections: sections.map(({ id }) => ({ id })) };
      }
      case 'conversations.info': {
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const canvas = this.canvases.get(channel);
        return { ok: true, channel: { id: channel, properties: canvas ? { canvas: { file_id: canvas.id, is_empty: canvas.markdown === '' } } : {} } };
      }
      case 'pins.add': {
        const channel = String(args.channel ?? '');
        const ts = String(args.timestamp ?? '');
        if (!this.messages.some((m) => m.channel === channel && m.ts === ts)) return { ok: false, error: 'message_not_found' };
        const set = this.pins.get(channel) ?? new Set<string>();
        if (set.has(ts)) return { ok: false, error: 'already_pinned' };
        this.pins.set(channel, set.add(ts));
        return { ok: true };
      }
      default:
        return null;
    }
  }

  /** Answers conversations.history / .replies / .open / .join, the file upload methods and the canvas and pin methods, or null for other methods. */
  answer(method: string, args: Record<string, any>): Record<string, unknown> | null {
    const canvas = this.canvasAnswer(method, args);
    if (canvas) return canvas;
    if (method === 'files.getUploadURLExternal' || method === 'files.completeUploadExternal') return this.fileUpload(method, args);
    if ((method === 'conversations.history' || method === 'conversations.replies') && this.notJoined.has(String(args.channel))) return { ok: false, error: 'not_in_channel' };
    switch (method) {
      case 'conversations.join': {
        const channel = String(args.channel ?? '');
        if (!channel.startsWith('C')) return { ok: false, error: channel.startsWith('D') ? 'method_not_supported_for_channel_type' : 'channel_not_found' };
        const joined = this.notJoined.delete(channel);
        return { ok: true, channel: { id: channel }, ...(joined ? {} : { warning: 'already_in_channel' }) };
      }
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0] ?? '';
        return isUser(user) ? { ok: true, channel: { id: imChannelOf(user) } } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.history': {
        const channel = String(args.channel ?? '');
        if (!channel || isUser(channel)) return { ok: false, error: 'channel_not_found' };
        const top = this.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts));
        return this.page(
          this.window(top, args).sort((a, b) => cmpTs(b.ts, a.ts)),
          args,
        );
      }
      case 'conversations.replies': {
        const channel = String(args.channel ?? '');
        if (!channel || isUser(channel)) return { ok: false, error: 'channel_not_found' };
        const parent = this.messages.find((m) => m.channel === channel && m.ts === String(args.ts));
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const thread = this.messages.filter((m) => m.channel === channel && (m === parent || m.thread_ts === parent.ts));
        return this.page(
          this.window(thread, args).sort((a, b) => cmpTs(a.ts, b.ts)),
          args,
        );
      }
      default:
        return null;
    }
  }

  private window(list: StoredMessage[], args: Record<string, any>): StoredMessage[] {
    const inclusive = truthy(args.inclusive);
    return list.filter((m) => {
      if (args.oldest !== undefined && args.oldest !== '') {
        const c = cmpTs(m.ts, String(args.oldest));
        if (c < 0 || (c === 0 && !inclusive)) return false;
      }
      if (args.latest !== undefined && args.latest !== '') {
        const c = cmpTs(m.ts, String(args.latest));
        if (c > 0 || (c === 0 && !inclusive)) return false;
      }
      return true;
    });
  }

  private page(list: StoredMessage[], args: Record<string, any>): Record<string, unknown> {
    const limit = Math.min(999, Math.max(1, Number(args.limit ?? 100) || 100));
    const offset = args.cursor
      ? Number(
          Buffer.from(String(args.cursor), 'base64')
            .toString('utf8')
            .replace(/^offset:/, ''),
        )
      : 0;
    const slice = list.slice(offset, offset + limit);
    const withMeta = truthy(args.include_all_metadata);
    const hasMore = offset + limit < list.length;
    return {
      ok: true,
      messages: slice.map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
        ...(m.files ? { files: m.files } : {}),
        ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
      })),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
    };
  }
}
