import { eq, lte, sql } from 'drizzle-orm';
import { blockerNotices, blockers } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { claimReservation, settleReservation, unclaimReservation } from '../delivery/reservation.js';
import { BLOCKER_MESSAGE, NOTICE, THREAD_LINE } from '../delivery/reservations.js';
import { deliverClaimed, postOrUpdate } from '../delivery/send-once.js';
import { blockerView } from './view.js';

const LOCK_BLOCKER_MESSAGE = 3;

/**
 * Sends one reserved escalation notice by DM, exactly once through services/delivery (pending → sending →
 * sent, `ts` stored after; a re-send after a crash or timeout first looks for the earlier attempt's message).
 * Cancelled instead when the blocker was resolved (or acknowledged by this recipient, or at all under
 * `stop_when: acknowledged`) before it went out; put back until the snooze ends when one began meanwhile.
 * A transient failure releases the reservation and rethrows; a recipient Slack refuses marks it failed.
 */
export async function sendNotice(deps: Deps, noticeId: number): Promise<'sent' | 'not-due' | 'cancelled' | 'failed'> {
  const now = deps.clock.now().toJSDate();
  const claimed = await claimReservation(deps, NOTICE, noticeId, lte(blockerNotices.notBefore, now));
  if (!claimed) return 'not-due';
  const notice = claimed.row;
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, notice.blockerId));
  const stopped = !b || b.status === 'resolved' || b.acknowledgedBy.includes(notice.recipient) || (b.policy.stopWhen === 'acknowledged' && b.acknowledgedBy.length > 0);
  if (stopped) {
    await settleReservation(deps, NOTICE, noticeId, 'cancelled');
    return 'cancelled';
  }
  if (b.snoozedUntil && b.snoozedUntil > now) {
    // snoozed after this notice was reserved: it waits for the snooze to end (the sweeper sends it then)
    await unclaimReservation(deps, NOTICE, noticeId, [[blockerNotices.notBefore, b.snoozedUntil]]);
    return 'not-due';
  }
  const message = deps.renderer.escalationNotice({ blocker: blockerView(deps.config, b, now), level: notice.level, attempt: notice.attempt });
  const outcome = await deliverClaimed(deps, NOTICE, claimed, noticeId, { channel: notice.recipient, imChannel: notice.dmChannel, unfurlLinks: false }, message);
  // notBefore is when the ping was due: the ladder step's due time, or the end of quiet hours or of a snooze
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.escalationPinged(b.severity, deps.clock.now().toMillis() - notice.notBefore.getTime());
  return outcome === 'failed' ? 'failed' : outcome === 'taken-over' ? 'not-due' : 'sent';
}

/**
 * Posts or updates the blocker's message in its blockers channel (the first render posts it once through
 * services/delivery and stores `ts` and permalink; later ones edit it; re-posted if deleted). Serialised per
 * blocker; skips when already current. A version Slack refuses for good (archived channel…) is logged once,
 * marked rendered and answered 'failed'.
 */
export async function renderBlockerMessage(deps: Deps, blockerId: number): Promise<'posted' | 'updated' | 'current' | 'failed'> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_BLOCKER_MESSAGE}, ${blockerId})`);
    const [b] = await tx.select().from(blockers).where(eq(blockers.id, blockerId));
    if (!b || b.messageRenderedVersion >= b.messageVersion) return 'current';
    const message = deps.renderer.blockerMessage(blockerView(deps.config, b, deps.clock.now().toJSDate()));
    // the reservation and the ts are written outside this transaction, so a crash after posting cannot lose them
    const res = await postOrUpdate(deps, BLOCKER_MESSAGE, blockerId, { ts: b.messageTs }, { channel: b.channel, unfurlLinks: false }, message);
    if (res.outcome !== 'failed' && res.ts !== b.messageTs) {
      let permalink: string | null = null;
      try {
        permalink = (await deps.slack.chat.getPermalink({ channel: res.channel, message_ts: res.ts })).permalink ?? null;
      } catch (err) {
        deps.log.warn({ blocker: blockerId, err: (err as Error).message }, 'could not get the blocker message permalink');
      }
      await tx.update(blockers).set({ permalink }).where(eq(blockers.id, blockerId));
    }
    await tx.update(blockers).set({ messageRenderedVersion: b.messageVersion }).where(eq(blockers.id, blockerId));
    return res.outcome;
  });
}

/**
 * Posts one timeline event as a line in the blocker message's thread, once through services/delivery
 * (found again in the thread after a crash instead of posted twice). Waits (throws) until the message exists.
 */
export async function postThreadLine(deps: Deps, eventId: number): Promise<'posted' | 'not-due'> {
  const claimed = await claimReservation(deps, THREAD_LINE, eventId);
  if (!claimed) return 'not-due';
  const ev = claimed.row;
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, ev.blockerId));
  if (!b?.messageTs) {
    await unclaimReservation(deps, THREAD_LINE, eventId);
    throw new Error(`blocker ${ev.blockerId} has no message yet; thread line ${eventId} waits for it`);
  }
  const outcome = await deliverClaimed(
    deps,
    THREAD_LINE,
    claimed,
    eventId,
    { channel: b.channel, threadTs: b.messageTs },
    deps.renderer.blockerThreadLine({ kind: ev.kind, actor: ev.actor, data: ev.data }),
  );
  return outcome === 'taken-over' ? 'not-due' : 'posted';
}
