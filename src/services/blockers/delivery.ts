import { and, eq, lte, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers } from '../../db/schema/index.js';
import { blockerMessage, escalationDm, threadLine } from '../../slack/blocks/blocker.js';
import type { Deps } from '../deps.js';
import { isPermanent, platformError, updateOrGone } from '../slack-errors.js';
import { blockerView } from './view.js';

const LOCK_BLOCKER_MESSAGE = 3;


/**
 * Sends one reserved escalation notice by DM (pending → sending → sent, `ts` stored after), once.
 * Cancelled instead when the blocker was resolved (or acknowledged by this recipient, or at all under
 * `stop_when: acknowledged`) before it went out. A failed call releases the reservation and rethrows.
 */
export async function sendNotice(deps: Deps, noticeId: number): Promise<'sent' | 'not-due' | 'cancelled' | 'failed'> {
  const now = deps.clock.now().toJSDate();
  const [claimed] = await deps.db
    .update(blockerNotices)
    .set({ status: 'sending', claimedAt: now })
    .where(and(eq(blockerNotices.id, noticeId), eq(blockerNotices.status, 'pending'), lte(blockerNotices.notBefore, now)))
    .returning();
  if (!claimed) return 'not-due';
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, claimed.blockerId));
  const stopped = !b || b.status === 'resolved' || b.acknowledgedBy.includes(claimed.recipient) || (b.policy.stopWhen === 'acknowledged' && b.acknowledgedBy.length > 0);
  if (stopped) {
    await deps.db.update(blockerNotices).set({ status: 'cancelled' }).where(eq(blockerNotices.id, noticeId));
    return 'cancelled';
  }
  if (b.snoozedUntil && b.snoozedUntil > now) {
    // snoozed after this notice was reserved: it waits for the snooze to end (the sweeper sends it then)
    await deps.db.update(blockerNotices).set({ status: 'pending', claimedAt: null, notBefore: b.snoozedUntil }).where(eq(blockerNotices.id, noticeId));
    return 'not-due';
  }
  try {
    const res = await deps.slack.chat.postMessage({ channel: claimed.recipient, ...escalationDm(blockerView(deps.config, b, now), claimed.level, claimed.attempt), unfurl_links: false });
    await deps.db.update(blockerNotices).set({ status: 'sent', ts: res.ts ?? null, dmChannel: res.channel ?? null, sentAt: deps.clock.now().toJSDate() }).where(eq(blockerNotices.id, noticeId));
    return 'sent';
  } catch (err) {
    if (isPermanent(err)) {
      deps.log.warn({ noticeId, recipient: claimed.recipient, error: platformError(err) }, 'escalation notice cannot be delivered to this recipient');
      await deps.db.update(blockerNotices).set({ status: 'failed' }).where(eq(blockerNotices.id, noticeId));
      return 'failed';
    }
    await deps.db.update(blockerNotices).set({ status: 'pending', claimedAt: null }).where(and(eq(blockerNotices.id, noticeId), eq(blockerNotices.status, 'sending')));
    throw err;
  }
}

/**
 * Posts or updates the blocker's message in its blockers channel (first render posts it and stores `ts` and
 * permalink; later ones edit it). Serialised per blocker; skips when already current.
 */
export async function renderBlockerMessage(deps: Deps, blockerId: number): Promise<'posted' | 'updated' | 'current'> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_BLOCKER_MESSAGE}, ${blockerId})`);
    const [b] = await tx.select().from(blockers).where(eq(blockers.id, blockerId));
    if (!b || b.messageRenderedVersion >= b.messageVersion) return 'current';
    const message = blockerMessage(blockerView(deps.config, b, deps.clock.now().toJSDate()));
    let outcome: 'posted' | 'updated';
    if (b.messageTs && (await updateOrGone(deps, b.channel, b.messageTs, message))) {
      outcome = 'updated';
    } else {
      const res = await deps.slack.chat.postMessage({ channel: b.channel, ...message, unfurl_links: false });
      let permalink: string | null = null;
      try {
        permalink = (await deps.slack.chat.getPermalink({ channel: res.channel ?? b.channel, message_ts: res.ts! })).permalink ?? null;
      } catch (err) {
        deps.log.warn({ blocker: blockerId, err: (err as Error).message }, 'could not get the blocker message permalink');
      }
      await tx.update(blockers).set({ messageTs: res.ts ?? null, channel: res.channel ?? b.channel, permalink }).where(eq(blockers.id, blockerId));
      outcome = 'posted';
    }
    await tx.update(blockers).set({ messageRenderedVersion: b.messageVersion }).where(eq(blockers.id, blockerId));
    return outcome;
  });
}

/** Posts one timeline event as a line in the blocker message's thread, once. Waits (throws) until the message exists. */
export async function postThreadLine(deps: Deps, eventId: number): Promise<'posted' | 'not-due'> {
  const now = deps.clock.now().toJSDate();
  const [ev] = await deps.db
    .update(blockerEvents)
    .set({ threadStatus: 'sending', threadClaimedAt: now })
    .where(and(eq(blockerEvents.id, eventId), eq(blockerEvents.threadStatus, 'pending')))
    .returning();
  if (!ev) return 'not-due';
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, ev.blockerId));
  try {
    if (!b?.messageTs) throw new Error(`blocker ${ev.blockerId} has no message yet; thread line ${eventId} waits for it`);
    const res = await deps.slack.chat.postMessage({ channel: b.channel, thread_ts: b.messageTs, text: threadLine(ev.kind, ev.actor, ev.data) });
    await deps.db.update(blockerEvents).set({ threadStatus: 'sent', threadTs: res.ts ?? null }).where(eq(blockerEvents.id, eventId));
    return 'posted';
  } catch (err) {
    await deps.db.update(blockerEvents).set({ threadStatus: 'pending', threadClaimedAt: null }).where(and(eq(blockerEvents.id, eventId), eq(blockerEvents.threadStatus, 'sending')));
    throw err;
  }
}
