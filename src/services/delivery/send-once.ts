import type { ChatPostMessageArguments } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { isPermanent, platformError, rateLimitedFor } from '../slack-errors.js';
import type { DeliveryOutcome, Transport } from './deliver.js';
import { rememberDmChannel } from './dm-channels.js';
import { findPostedMessage, isUserId } from './lookup.js';
import type { OutgoingMessage } from './renderer.js';
import * as transitions from './transitions.js';
import type { DeliveryRef, Landed } from './transitions.js';

/** Where a message goes: a channel id or a user id (DM), optionally as a reply in the thread of `threadTs`. */
export interface Target {
  channel: string;
  /** The app's IM channel with the user, when already known (spares reading dm_channels when searching). */
  imChannel?: string | null;
  threadTs?: string;
  /** chat.postMessage's unfurl_links (default Slack's). */
  unfurlLinks?: boolean;
}

/**
 * The Slack message metadata Preflight attaches to every message it delivers, so that a re-send can find it:
 * `{ event_type: 'preflight_<kind>', event_payload: { reservation: '<kind>-<row id>' } }`
 * (docs.slack.dev/messaging/message-metadata).
 */
export function deliveryMetadata(kind: string, id: number | string): { event_type: string; event_payload: { reservation: string } } {
  return { event_type: `preflight_${kind}`, event_payload: { reservation: `${kind}-${id}` } };
}

/**
 * chat.postMessage with the message's metadata. A DM (posted to a user id) records the IM channel Slack answers
 * with for that person (dm-channels.ts), so no later search has to open it (a failure to record it is logged, never
 * thrown: the message is posted).
 * @returns its `ts` and conversation.
 */
async function post(deps: Pick<Deps, 'slack' | 'db' | 'clock' | 'log'>, kind: string, id: number | string, target: Target, message: OutgoingMessage): Promise<{ ts: string; channel: string | null }> {
  const args = {
    channel: target.channel,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    ...(target.unfurlLinks === undefined ? {} : { unfurl_links: target.unfurlLinks }),
    metadata: deliveryMetadata(kind, id),
  } as ChatPostMessageArguments;
  const res = await deps.slack.chat.postMessage(args);
  if (!res.ts) throw new Error(`chat.postMessage returned no ts for ${kind}-${id}`);
  if (res.channel && isUserId(target.channel)) {
    // best effort: Slack has posted, so a failure here must not stop the caller from recording the ts
    await rememberDmChannel(deps, target.channel, res.channel, deps.clock.now().toJSDate()).catch((err: unknown) =>
      deps.log.warn({ user: target.channel, err: (err as Error).message }, 'could not record the DM channel of this person; a later search may open it again'),
    );
  }
  return { ts: res.ts, channel: res.channel ?? null };
}

/** chat.update of a posted message (`channel` is the conversation it is in: the IM channel id for a DM), with its metadata. */
async function chatUpdate(deps: Pick<Deps, 'slack'>, kind: string, id: number | string, where: { channel: string; ts: string }, message: OutgoingMessage): Promise<void> {
  await deps.slack.chat.update({ channel: where.channel, ts: where.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}), metadata: deliveryMetadata(kind, id) } as never);
}

/** chat.update errors that no retry can fix: the message is gone or can no longer be edited (docs.slack.dev/reference/methods/chat.update#errors). */
const CANNOT_EDIT = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Edits a message that was delivered once (a reservation with its `ts` recorded, e.g. an escalation DM) to show
 * `message`: chat.update with the message's metadata (`preflight_<kind>`, `<kind>-<id>`), never a post. An edit
 * retried after a crash or a timeout edits the same message again; a message gone from Slack is not posted anew.
 * @param where the conversation the message is in (for a DM, the IM channel id stored when it was posted) and its `ts`.
 * @returns 'updated'; or 'failed' when Slack refuses the edit for good (the message was deleted or cannot be edited,
 *   the conversation is gone: services/slack-errors.ts isPermanent), logged once: the caller does not retry it.
 * @throws any other error (a 5xx, a timeout, a 429): the job retries.
 */
export async function updatePosted(deps: Pick<Deps, 'slack' | 'log'>, kind: string, id: number, where: { channel: string; ts: string }, message: OutgoingMessage): Promise<'updated' | 'failed'> {
  try {
    await chatUpdate(deps, kind, id, where, message);
    return 'updated';
  } catch (err) {
    const code = platformError(err);
    if (!isPermanent(err) && !(code && CANNOT_EDIT.has(code))) throw err;
    deps.log.warn({ reservation: `${kind}-${id}`, channel: where.channel, ts: where.ts, error: code }, 'Slack refused to edit this message for good; leaving it as it is');
    return 'failed';
  }
}

export type { DeliveryOutcome };

/**
 * The transport of a Slack message (services/delivery/deliver.ts): chat.postMessage to `target` with the
 * delivery's metadata (`preflight_<kind>`, `<kind>-<owner key>`); an earlier attempt is looked for in the
 * conversation (or the thread) by that metadata (lookup.ts findPostedMessage).
 */
export function messageTransport(deps: Deps, ref: DeliveryRef, target: Target, message: OutgoingMessage): Transport<OutgoingMessage> {
  const id = String(ref.ownerKey);
  return {
    channel: target.channel,
    findEarlier: async (since) => {
      const meta = deliveryMetadata(ref.kind, id);
      const found = await findPostedMessage(deps, {
        channel: target.channel,
        imChannel: target.imChannel,
        threadTs: target.threadTs,
        eventType: meta.event_type,
        reservation: meta.event_payload.reservation,
        since,
      });
      return found && { ...found, threadTs: target.threadTs ?? null };
    },
    prepare: async () => message,
    send: async (m) => ({ ...(await post(deps, ref.kind, id, target, m)), threadTs: target.threadTs ?? null }),
  };
}

/**
 * Shows the current version of a message that is posted once and edited afterwards (a report, a blocker message, a
 * late answer), reserved as
 * the delivery `ref` (services/delivery/transitions.ts): chat.update on its recorded `ts` when it was sent (the
 * delivery forgotten and the message posted again when Slack says it was deleted, `message_not_found`); otherwise
 * the delivery is opened already claimed when it never was, or else claimed (serialised: callers hold a lock for the whole call, so a claim
 * left by a render that died is taken over at once), an earlier unrecorded attempt is looked for (and edited
 * instead of posting again), and the `ts` is recorded at once. A failed first post gives the claim back (a 429
 * uncounted: Slack performed nothing). A permanent error for this conversation (services/slack-errors.ts
 * isPermanent) is logged and answered 'failed', so that the caller marks this version as rendered instead of
 * retrying it forever; the next version tries again. Other errors propagate (the job retries).
 * @param known the delivery's state when the caller already read it (in its own transaction): not read again, so a
 *   caller holding a transaction does not take a second pool connection for it.
 * @param opts.permalink ask Slack for the permalink of a message that lands anew (chat.getPermalink), recorded once
 *   its `ts` is (null when Slack gives none or the call fails: logged, never thrown).
 * @returns 'updated' (edited, including an earlier attempt found in Slack) or 'posted', with the `ts`; or 'failed'.
 */
export async function postOrUpdateDelivery(
  deps: Deps,
  ref: DeliveryRef,
  target: Target,
  message: OutgoingMessage,
  known?: transitions.DeliveryState | null,
  opts: { permalink?: boolean } = {},
): Promise<{ outcome: 'posted' | 'updated'; ts: string; channel: string } | { outcome: 'failed' }> {
  try {
    return await showDeliveryVersion(deps, ref, target, message, known, opts);
  } catch (err) {
    if (!isPermanent(err)) throw err;
    deps.log.warn({ reservation: transitions.reservationOf(ref), channel: target.channel, error: platformError(err) }, 'Slack refused this version of the message for good; not retrying it');
    return { outcome: 'failed' };
  }
}

/**
 * Slack's permalink of a message that just landed (chat.getPermalink), or null when Slack gives none or the call
 * fails (logged: the message is posted, and a link can still be built from its conversation and `ts`).
 */
async function permalinkOf(deps: Pick<Deps, 'slack' | 'log'>, ref: DeliveryRef, channel: string, ts: string): Promise<string | null> {
  try {
    return (await deps.slack.chat.getPermalink({ channel, message_ts: ts })).permalink ?? null;
  } catch (err) {
    deps.log.warn({ reservation: transitions.reservationOf(ref), err: (err as Error).message }, 'could not get the permalink of this message');
    return null;
  }
}

/** postOrUpdateDelivery without its handling of permanent errors. */
async function showDeliveryVersion(
  deps: Deps,
  ref: DeliveryRef,
  target: Target,
  message: OutgoingMessage,
  known: transitions.DeliveryState | null | undefined,
  opts: { permalink?: boolean },
): Promise<{ outcome: 'posted' | 'updated'; ts: string; channel: string }> {
  const id = String(ref.ownerKey);
  // after the ts is recorded, never before: a Slack call held by a 429 must not widen the window a crash can hit
  const recordLink = async (landed: Landed) => {
    if (opts.permalink) await transitions.recordPermalink(deps, ref, await permalinkOf(deps, ref, landed.channel ?? target.channel, landed.ts));
  };
  const edit = (channel: string, ts: string) => chatUpdate(deps, ref.kind, id, { channel, ts }, message);
  const current = known !== undefined ? known : await transitions.stateOf(deps, ref);
  if (current?.status === 'sent' && current.ts) {
    try {
      await edit(target.channel, current.ts);
      return { outcome: 'updated', ts: current.ts, channel: target.channel };
    } catch (err) {
      if (platformError(err) !== 'message_not_found') throw err;
      deps.log.warn({ reservation: transitions.reservationOf(ref), ts: current.ts }, 'message was deleted in Slack; posting it again');
      await transitions.forget(deps, ref);
    }
  }
  // never opened: opened already claimed, in one statement (opened meanwhile by another path: claimed as usual)
  const claimed = (!current && (await transitions.openClaimed(deps, ref))) || (await transitions.claim(deps, ref, { serialised: true }));
  if (!claimed) throw new Error(`${transitions.reservationOf(ref)} could not be claimed (it is neither pending nor sending)`);
  const transport = messageTransport(deps, ref, target, message);
  try {
    const found = claimed.claims > 1 && claimed.firstClaimedAt ? await transport.findEarlier(claimed.firstClaimedAt) : null;
    if (found) {
      deps.log.info({ reservation: transitions.reservationOf(ref), ts: found.ts }, 'an earlier attempt had posted this message; recorded its ts instead of posting again');
      await transitions.record(deps, ref, claimed.claimedAt, found);
      await recordLink(found);
      await edit(found.channel ?? target.channel, found.ts);
      return { outcome: 'updated', ts: found.ts, channel: found.channel ?? target.channel };
    }
    const posted = await transport.send(message);
    await transitions.record(deps, ref, claimed.claimedAt, posted);
    await recordLink(posted);
    return { outcome: 'posted', ts: posted.ts, channel: posted.channel ?? target.channel };
  } catch (err) {
    // only while still sending (nothing recorded): the next render claims again (and searches, unless a 429)
    await transitions.release(deps, ref, claimed.claimedAt, { uncount: rateLimitedFor(err) !== null });
    throw err;
  }
}
