/**
 * Channels Preflight creates and manages (issue 23's war room), answered like Slack's Web API, for the nock fake
 * (test/support/slack-nock.ts) and the HTTP stand-in (./web-api.ts):
 * - conversations.create: a new channel created by the bot; `name_taken` when a channel (archived too) has the
 *   name; `invalid_name_specials` / `invalid_name_maxlength` / `invalid_name_required` for a name Slack refuses
 *   (lowercase letters, digits, `-`, `_`; ≤ 80) (docs.slack.dev/reference/methods/conversations.create).
 * - conversations.invite: adds `users` (comma-separated); `already_in_channel` when none is new (unless `force`),
 *   `is_archived`, `channel_not_found` (docs.slack.dev/reference/methods/conversations.invite).
 * - conversations.archive: `already_archived`, `channel_not_found` (docs.slack.dev/reference/methods/conversations.archive).
 * - conversations.list: the channels, one page (`creator`, `is_archived`, `is_private`).
 * - pins.add: `already_pinned`, `channel_not_found`. chat.getPermalink: a permalink of the message.
 * `refuse(method, error)` makes every later call of a method fail with a refusal (`missing_scope`,
 * `restricted_action`, `not_allowed`…), as a workspace's settings or a missing scope would, until `allow(method)`.
 */
export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  creator: string;
  is_archived: boolean;
  members: Set<string>;
  pins: Set<string>;
}

const NAME = /^[a-z0-9_-]+$/;

export class SlackConversations {
  readonly channels = new Map<string, FakeChannel>();
  private readonly refusals = new Map<string, string>();
  private seq = 0;

  constructor(readonly botUserId = 'UBOTPREFLIGHT') {}

  /** Every later call of `method` fails with `error` (e.g. `missing_scope`) until {@link allow}. */
  refuse(method: string, error: string): void {
    this.refusals.set(method, error);
  }

  allow(method: string): void {
    this.refusals.delete(method);
  }

  /** A channel someone else (or the bot, `creator`) made: stands for a name already taken in the workspace. */
  addChannel(name: string, opts: { creator?: string; isPrivate?: boolean; archived?: boolean } = {}): FakeChannel {
    const c: FakeChannel = {
      id: `C${String(++this.seq).padStart(6, '0')}WR`,
      name,
      is_private: opts.isPrivate ?? false,
      creator: opts.creator ?? 'UHUMAN',
      is_archived: opts.archived ?? false,
      members: new Set(opts.creator ? [opts.creator] : []),
      pins: new Set(),
    };
    this.channels.set(c.id, c);
    return c;
  }

  /** The channel named `name`, if any. */
  byName(name: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** Slack's answer to `method`, or null when this fake does not handle it. */
  answer(method: string, args: Record<string, any>): Record<string, unknown> | null {
    const handled = ['auth.test', 'conversations.create', 'conversations.invite', 'conversations.archive', 'conversations.list', 'pins.add', 'chat.getPermalink'];
    if (!handled.includes(method)) return null;
    const refused = this.refusals.get(method);
    if (refused) return { ok: false, error: refused };
    const channel = this.channels.get(String(args.channel ?? ''));
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: this.botUserId, team_id: 'T0PREFLIGHT', bot_id: 'BPREFLIGHT', user: 'preflight' };
      case 'conversations.create': {
        const name = String(args.name ?? '');
        if (!name) return { ok: false, error: 'invalid_name_required' };
        if (name.length > 80) return { ok: false, error: 'invalid_name_maxlength' };
        if (!NAME.test(name)) return { ok: false, error: 'invalid_name_specials' };
        if (this.byName(name)) return { ok: false, error: 'name_taken' };
        const c = this.addChannel(name, { creator: this.botUserId, isPrivate: args.is_private === true || args.is_private === 'true' });
        return { ok: true, channel: view(c) };
      }
      case 'conversations.invite': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.is_archived) return { ok: false, error: 'is_archived' };
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length > 1000) return { ok: false, error: 'too_many_users' };
        const fresh = users.filter((u) => !channel.members.has(u));
        if (!fresh.length && !(args.force === true || args.force === 'true')) return { ok: false, error: 'already_in_channel' };
        for (const u of fresh) channel.members.add(u);
        return { ok: true, channel: view(channel) };
      }
      case 'conversations.archive':
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.is_archived) return { ok: false, error: 'already_archived' };
        channel.is_archived = true;
        return { ok: true };
      case 'conversations.list':
        return { ok: true, channels: [...this.channels.values()].map(view), response_metadata: { next_cursor: '' } };
      case 'pins.add': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const ts = String(args.timestamp ?? '');
        if (channel.pins.has(ts)) return { ok: false, error: 'already_pinned' };
        channel.pins.add(ts);
        return { ok: true };
      }
      case 'chat.getPermalink':
        return { ok: true, channel: args.channel, permalink: `https://example.slack.com/archives/${args.channel}/p${String(args.message_ts ?? '').replace('.', '')}` };
      default:
        return null;
    }
  }
}

const view = (c: FakeChannel) => ({ id: c.id, name: c.name, is_private: c.is_private, creator: c.creator, is_archived: c.is_archived, num_members: c.members.size });
