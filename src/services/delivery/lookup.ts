import type { Deps } from '../deps.js';
import { platformError } from '../slack-errors.js';

/**
 * How far before the first claim the search starts, ms. Slack stamps `ts` with its own clock; 5 minutes
 * covers any sane skew between it and ours (and a claim's own duration).
 */
export const LOOKUP_MARGIN_MS = 5 * 60_000;

/** Page size of the history search (conversations.history / .replies allow up to 999; Slack suggests ≤ 200). */
const PAGE_SIZE = 200;

/** A search that still has not found the message after this many pages gives up (and the message is posted). */
const MAX_PAGES = 50;

/**
 * Errors that mean "this search cannot be done", not "try again": the app was not reinstalled with the
 * history scopes yet, or it cannot read this conversation. The message is then posted (at least once, as before).
 */
const CANNOT_SEARCH = new Set(['missing_scope', 'not_in_channel', 'channel_not_found', 'not_allowed_token_type', 'thread_not_found', 'no_permission', 'access_denied']);

/** What to look for: a message carrying `{ event_type, event_payload: { reservation } }` in `channel` (or in the thread of `threadTs`) posted after `since`. */
export interface LookupQuery {
  /** A channel id, or a user id for a DM (its IM channel is opened with conversations.open, unless `imChannel` is known). */
  channel: string;
  imChannel?: string | null;
  threadTs?: string;
  eventType: string;
  reservation: string;
  /** The first claim that did not record a `ts`: the search starts LOOKUP_MARGIN_MS before it. */
  since: Date;
}

interface FoundMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** True for a user (U…) or enterprise user (W…) id: a message "to" it goes to the app's DM with that person. */
export const isUserId = (channel: string) => /^[UW][A-Z0-9]+$/.test(channel);

/**
 * Looks in Slack for a message an earlier attempt posted but did not get to record (the process died
 * mid-call, or the call timed out after Slack had posted). Reads `conversations.history` (or
 * `conversations.replies` for a thread reply, which history does not list) from `since` minus a margin, with
 * `include_all_metadata: true`, page by page (`cursor`) through that window, and matches the message
 * metadata Preflight attaches to everything it posts (docs.slack.dev/messaging/message-metadata).
 * Needs channels:history / groups:history / im:history, and im:write for conversations.open.
 * @returns the message's `ts` and conversation, or null when it is not there (or the search is impossible:
 *   then the caller posts, and a warning is logged). Transient errors (5xx, timeouts, 429) are thrown.
 */
export async function findPostedMessage(deps: Pick<Deps, 'slack' | 'log'>, q: LookupQuery): Promise<{ ts: string; channel: string } | null> {
  try {
    const channel = isUserId(q.channel) ? (q.imChannel ?? (await openIm(deps, q.channel))) : q.channel;
    const oldest = ((q.since.getTime() - LOOKUP_MARGIN_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = q.threadTs
        ? await deps.slack.conversations.replies({ channel, ts: q.threadTs, oldest, include_all_metadata: true, limit: PAGE_SIZE, cursor })
        : await deps.slack.conversations.history({ channel, oldest, include_all_metadata: true, limit: PAGE_SIZE, cursor });
      const hit = (res.messages as FoundMessage[] | undefined)?.find((m) => m.metadata?.event_type === q.eventType && m.metadata.event_payload?.reservation === q.reservation);
      if (hit?.ts) return { ts: hit.ts, channel };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    deps.log.warn({ reservation: q.reservation, channel, pages: MAX_PAGES }, 'gave up looking for an earlier attempt of this message; posting it');
    return null;
  } catch (err) {
    const code = platformError(err);
    if (code && CANNOT_SEARCH.has(code)) {
      deps.log.warn(
        { reservation: q.reservation, channel: q.channel, error: code },
        'cannot search the conversation for an earlier attempt of this message (reinstall the app with the history scopes); posting it',
      );
      return null;
    }
    throw err;
  }
}

/** The IM channel id of the app's DM with `userId` (conversations.open; opens it if needed, needs im:write). */
async function openIm(deps: Pick<Deps, 'slack'>, userId: string): Promise<string> {
  const res = await deps.slack.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error(`conversations.open returned no channel for ${userId}`);
  return id;
}
