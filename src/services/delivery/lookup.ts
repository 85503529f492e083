import type { Deps } from '../deps.js';
import { platformError } from '../slack-errors.js';
import { knownDmChannel, rememberDmChannel } from './dm-channels.js';

/**
 * How far before the first claim the search starts, ms. Slack stamps `ts` with its own clock; 5 minutes
 * covers any sane skew between it and ours (and a claim's own duration).
 */
export const LOOKUP_MARGIN_MS = 5 * 60_000;

/** Page size of the history search (conversations.history / .replies allow up to 999; Slack suggests ≤ 200). */
const PAGE_SIZE = 200;

/**
 * A search that still has not covered its window after this many pages stops (SearchIncompleteError), like
 * one that runs out of time: a cap on Web API calls per claim whatever the clock says.
 */
const MAX_PAGES = 20;

/**
 * Share of `scheduler.reclaim_after` a search may take. A claim is released as stale after reclaim_after;
 * the search, the claim's re-check and chat.postMessage (at most 10 s, the client timeout) must all fit in it,
 * or a second worker could claim the message and post it too. A third leaves the rest for the post.
 */
const SEARCH_SHARE_OF_RECLAIM = 1 / 3;

/**
 * Errors that mean "this search cannot be done", not "try again": the app was not reinstalled with the
 * history scopes yet, or it cannot read this conversation. The message is then posted (at least once, as before).
 * `not_in_channel` on a channel is first answered by joining it (see findPostedMessage).
 */
const CANNOT_SEARCH = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'not_allowed_token_type',
  'thread_not_found',
  'no_permission',
  'access_denied',
  // conversations.join: a private channel (the bot must be invited), an archived one
  'method_not_supported_for_channel_type',
  'is_archived',
]);

/**
 * Thrown when the search ran out of its time budget (or page cap) before covering its window: the message may
 * be in the part not read, so the caller must neither post nor record anything, but give the claim back and
 * retry later.
 */
export class SearchIncompleteError extends Error {
  constructor(
    readonly reservation: string,
    readonly pages: number,
    readonly elapsedMs: number,
  ) {
    super(`the search for an earlier attempt of ${reservation} did not cover its window (${pages} pages in ${elapsedMs} ms); retrying later`);
    this.name = 'SearchIncompleteError';
  }
}

/**
 * What to look for: a message carrying `{ event_type, event_payload: { reservation } }` (or, with `pick`, whatever
 * it picks) in `channel` (or in the thread of `threadTs`) posted after `since`.
 */
export interface LookupQuery {
  /**
   * A channel id, or a user id for a DM (its IM channel: `imChannel` when given, else the one recorded for that person
   * (dm-channels.ts), else conversations.open).
   */
  channel: string;
  imChannel?: string | null;
  threadTs?: string;
  /** The metadata `event_type` to match (unless `pick` is given). */
  eventType?: string;
  /** The reservation id (`<kind>-<owner key>`): matched in the metadata (unless `pick` is given) and named in logs. */
  reservation: string;
  /**
   * Picks what identifies the message looked for in one message of the history (e.g. the id of a file it shares),
   * or null; by default its `ts` when it carries the metadata above.
   */
  pick?: (m: HistoryMessage) => string | null;
  /** The first claim that did not record a `ts`: the search starts LOOKUP_MARGIN_MS before it. */
  since: Date;
  /** Only messages posted before this `ts` (conversations.history's `latest`, exclusive); default: up to now. */
  before?: string;
}

/** A message as conversations.history / .replies list it (the fields a search reads). */
export interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { id?: string; name?: string }[];
}

/** True for a user (U…) or enterprise user (W…) id: a message "to" it goes to the app's DM with that person. */
export const isUserId = (channel: string) => /^[UW][A-Z0-9]+$/.test(channel);

/** True for a channel id (C…): a public channel, which the bot can join (conversations.join), or a private one. */
const isChannelId = (channel: string) => /^C[A-Z0-9]+$/.test(channel);

/**
 * Looks in Slack for a message an earlier attempt posted but did not get to record (the process died
 * mid-call, or the call timed out after Slack had posted). Reads `conversations.history` (or
 * `conversations.replies` for a thread reply, which history does not list) from `since` minus a margin, with
 * `include_all_metadata: true`, page by page (`cursor`) through that window, and matches the message
 * metadata Preflight attaches to everything it posts (docs.slack.dev/messaging/message-metadata).
 * Needs channels:history / groups:history / im:history, im:write for conversations.open, and channels:join:
 * chat:write.public lets Preflight post in public channels it is not a member of, but reading one's history
 * answers `not_in_channel`, so the bot joins it (conversations.join) and searches again.
 * The search may take SEARCH_SHARE_OF_RECLAIM of `scheduler.reclaim_after` (measured on `deps.clock`, the
 * clock the stale-claim release uses) and MAX_PAGES pages.
 * @returns the message's `ts` (or what `pick` picked) and conversation, or null when the whole window was read and it is not there
 *   (or the search is impossible: a warning is logged, and a send posts the message).
 * @throws SearchIncompleteError when time or pages ran out before the window was covered (give the claim back,
 *   retry later; do not post blind). Transient errors (5xx, timeouts, 429) are thrown too.
 */
export async function findPostedMessage(deps: Pick<Deps, 'slack' | 'log' | 'clock' | 'config' | 'db'>, q: LookupQuery): Promise<{ ts: string; channel: string } | null> {
  const startedAt = deps.clock.now().toMillis();
  try {
    const channel = isUserId(q.channel) ? (q.imChannel ?? (await imChannelOf(deps, q.channel))) : q.channel;
    try {
      return await searchWindow(deps, q, channel, startedAt);
    } catch (err) {
      if (platformError(err) !== 'not_in_channel' || !isChannelId(channel)) throw err;
      await deps.slack.conversations.join({ channel });
      deps.log.info({ reservation: q.reservation, channel }, 'joined the channel to search it for an earlier attempt of this message');
      return await searchWindow(deps, q, channel, startedAt);
    }
  } catch (err) {
    const code = platformError(err);
    if (code && CANNOT_SEARCH.has(code)) {
      // Decision: count it as not posted (a send then posts it anyway). Not searching can only duplicate a message
      // whose earlier attempt was cut short (a crash or timeout mid-call); refusing to post would lose every message
      // to this conversation. Callers other than a send (a DM reply's search) read "not found" their own way.
      deps.log.warn(
        { reservation: q.reservation, channel: q.channel, error: code },
        'cannot search the conversation for this message (reinstall the app with the history and channels:join scopes, or invite the bot); counting it as not posted',
      );
      return null;
    }
    throw err;
  }
}

/** Pages through the lookup window of `channel` (see findPostedMessage), within the time budget counted from `startedAt` (epoch ms). */
async function searchWindow(deps: Pick<Deps, 'slack' | 'clock' | 'config'>, q: LookupQuery, channel: string, startedAt: number): Promise<{ ts: string; channel: string } | null> {
  const budgetMs = deps.config.scheduler.reclaim_after * SEARCH_SHARE_OF_RECLAIM;
  const oldest = ((q.since.getTime() - LOOKUP_MARGIN_MS) / 1000).toFixed(6);
  const pick = q.pick ?? ((m: HistoryMessage) => (m.metadata?.event_type === q.eventType && m.metadata?.event_payload?.reservation === q.reservation ? (m.ts ?? null) : null));
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    const elapsedMs = deps.clock.now().toMillis() - startedAt;
    if (page > 0 && (elapsedMs >= budgetMs || page >= MAX_PAGES)) throw new SearchIncompleteError(q.reservation, page, elapsedMs);
    const res = q.threadTs
      ? await deps.slack.conversations.replies({ channel, ts: q.threadTs, oldest, include_all_metadata: true, limit: PAGE_SIZE, cursor })
      : await deps.slack.conversations.history({ channel, oldest, ...(q.before ? { latest: q.before } : {}), include_all_metadata: true, limit: PAGE_SIZE, cursor });
    for (const m of (res.messages as HistoryMessage[] | undefined) ?? []) {
      const id = pick(m);
      if (id) return { ts: id, channel };
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
}

/**
 * The IM channel id of the app's DM with `userId`: the one recorded when a DM was first posted to them
 * (dm-channels.ts), else conversations.open (opens it if needed, needs im:write; Tier 3), whose answer is recorded
 * in turn, so it is opened at most once per person.
 */
async function imChannelOf(deps: Pick<Deps, 'slack' | 'db' | 'clock'>, userId: string): Promise<string> {
  const known = await knownDmChannel(deps, userId);
  if (known) return known;
  const res = await deps.slack.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error(`conversations.open returned no channel for ${userId}`);
  await rememberDmChannel(deps, userId, id, deps.clock.now().toJSDate());
  return id;
}
