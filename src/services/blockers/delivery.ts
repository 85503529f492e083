import { createHash } from 'node:crypto';
import { and, eq, isNotNull, lt, or, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { deliverClaim } from '../delivery/deliver.js';
import type { EscalationNoticeModel, OutgoingMessage } from '../delivery/renderer.js';
import { messageTransport, postOrUpdateDelivery, updatePosted } from '../delivery/send-once.js';
import * as transitions from '../delivery/transitions.js';
import { blockerMessageDelivery, blockerMessageJoin, NOTICE, noticeDelivery, noticeJoin, threadLineDelivery } from './delivery-kinds.js';
import { zoneOf } from '../checkins/participation.js';
import type { BlockerNoticeRow, BlockerRow } from './rows.js';
import { blockerView } from './view.js';

/** Advisory-lock namespaces (first key of pg_advisory_xact_lock(int, int)); 1 and 2 are the standup report's. */
const LOCK_BLOCKER_MESSAGE = 3;
const LOCK_NOTICE_EDITS = 4;

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

/**
 * Takes (until `tx` ends) the lock that serialises everything that writes a blocker's escalation DMs: their edits
 * ({@link updateNotices}) and a gate's escalation starting a new episode (reopen.ts). Taken FIRST in each, before any
 * row lock: `updateNotices` locks the notices then the blocker row, `reopenEscalation` the blocker row then the
 * notices, and without it the two deadlocked (seen in CI under load).
 */
export async function lockNoticeEdits(tx: Tx, blockerId: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_NOTICE_EDITS}, ${blockerId})`);
}

const unixSec = (d: Date) => Math.floor(d.getTime() / 1000);

/** A digest of what a DM shows (its text and blocks), to tell an edit that changes something from one that would not. */
const digestOf = (m: OutgoingMessage) =>
  createHash('sha256')
    .update(JSON.stringify([m.text, m.blocks ?? null]))
    .digest('base64url');

/**
 * What one escalation DM shows at `now`: the blocker as it stands (or, for a DM of an earlier episode of a gate's
 * escalation, as that episode ended), its times written for the recipient's zone (services/checkins/participation.ts zoneOf).
 */
function noticeModel(deps: Pick<Deps, 'config'>, b: BlockerRow, n: BlockerNoticeRow, now: Date, sentAt: Date, permalink: string | null): EscalationNoticeModel {
  const zone = zoneOf(deps.config, n.recipient);
  const blocker = n.closedView ? { ...n.closedView, zone } : blockerView(deps.config, b, now, zone, permalink);
  return { blocker, level: n.level, attempt: n.attempt, recipient: n.recipient, sentAt: unixSec(sentAt), oncall: n.oncall ?? null, ...(n.coveringFor?.length ? { covering: n.coveringFor } : {}) };
}

/**
 * Sends one reserved escalation notice by DM, exactly once through services/delivery (pending → sending →
 * sent, `ts` stored after; a re-send after a crash or timeout first looks for the earlier attempt's message).
 * Cancelled instead when the blocker was resolved (or acknowledged by this recipient, or at all under
 * `stop_when: acknowledged`, or a gate's escalation started a new episode) before it went out; put back until the
 * snooze ends when one began meanwhile. The DM shows the blocker's state at its `message_version`, recorded on the
 * notice (`rendered_version`): a change made while it was being sent is edited in afterwards ({@link updateNotices}).
 * A transient failure releases the reservation and rethrows; a recipient Slack refuses marks it failed.
 * Before the post: the claim, taken only once the notice is due, beside one joined read (notice, blocker, permalink),
 * then the rendered version's write. A failed read gives the claim back uncounted and rethrows.
 * @returns 'sent' (or found after a crash), 'not-due' (not due, or claimed elsewhere), 'cancelled', 'failed' (refused).
 */
export async function sendNotice(deps: Deps, noticeId: number): Promise<'sent' | 'not-due' | 'cancelled' | 'failed'> {
  const now = deps.clock.now().toJSDate();
  const ref = noticeDelivery(noticeId);
  // the claim (only once the notice is due), and beside it the notice with its blocker and the blocker message's
  // permalink in one read: two round trips before the post instead of four (issue 25: escalation lateness). The read
  // may see the blocker just before the claim; a change after it is edited into the DM afterwards (editIfChanged),
  // as one after a later read was
  const due = sql`EXISTS (SELECT 1 FROM ${blockerNotices} WHERE ${blockerNotices.id} = ${noticeId} AND ${blockerNotices.notBefore} <= ${now}::timestamptz)`;
  const [claim, read] = await Promise.allSettled([
    transitions.claim(deps, ref, { when: due }),
    deps.db
      .select({ notice: blockerNotices, blocker: blockers, permalink: deliveries.permalink })
      .from(blockerNotices)
      .leftJoin(blockers, eq(blockers.id, blockerNotices.blockerId))
      .leftJoin(deliveries, blockerMessageJoin)
      .where(eq(blockerNotices.id, noticeId)),
  ]);
  const claimed = claim.status === 'fulfilled' ? claim.value : null;
  const row = read.status === 'fulfilled' ? read.value[0] : undefined;
  if (claimed && !row) {
    // the read failed (or found no notice): Slack was not called, so the claim goes back uncounted for the retry
    await transitions.release(deps, ref, claimed.claimedAt, { uncount: true });
  }
  if (claim.status === 'rejected') throw claim.reason;
  if (read.status === 'rejected') throw read.reason;
  // not due yet (a stale or duplicate job), sent, or claimed by another worker
  if (!claimed || !row) return 'not-due';
  const notice = row.notice;
  const b = row.blocker;
  const stopped = !b || b.status === 'resolved' || notice.episode !== b.episode || b.acknowledgedBy.includes(notice.recipient) || (b.policy.stopWhen === 'acknowledged' && b.acknowledgedBy.length > 0);
  if (stopped) {
    await transitions.cancel(deps, ref, claimed.claimedAt);
    return 'cancelled';
  }
  if (b.snoozedUntil && b.snoozedUntil > now) {
    // snoozed after this notice was reserved: it waits for the snooze to end (the sweeper sends it then)
    await deps.db.update(blockerNotices).set({ notBefore: b.snoozedUntil }).where(eq(blockerNotices.id, noticeId));
    await transitions.release(deps, ref, claimed.claimedAt, { uncount: true });
    return 'not-due';
  }
  const permalink = row.permalink ?? null;
  const message = deps.renderer.escalationNotice(noticeModel(deps, b, notice, now, now, permalink));
  await deps.db
    .update(blockerNotices)
    .set({ renderedVersion: b.messageVersion, renderedHash: digestOf(message) })
    .where(eq(blockerNotices.id, noticeId));
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, { channel: notice.recipient, imChannel: claimed.conversation, unfurlLinks: false }, message));
  // notBefore is when the ping was due: the ladder step's due time, or the end of quiet hours or of a snooze
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.escalationPinged(b.severity, deps.clock.now().toMillis() - notice.notBefore.getTime());
  if (outcome === 'sent' || outcome === 'found') await editIfChanged(deps, b, noticeId, outcome === 'found');
  return outcome === 'failed' ? 'failed' : outcome === 'taken-over' ? 'not-due' : 'sent';
}

/**
 * After a DM went out: when the blocker changed while it was being sent (or an earlier attempt's message was found,
 * whose content may be older), the DM is marked stale and its edit asked for (the sweep asks again if that is lost).
 */
async function editIfChanged(deps: Deps, sent: BlockerRow, noticeId: number, found: boolean): Promise<void> {
  if (found) await deps.db.update(blockerNotices).set({ renderedVersion: 0, renderedHash: null }).where(eq(blockerNotices.id, noticeId));
  const [now] = await deps.db.select({ version: blockers.messageVersion }).from(blockers).where(eq(blockers.id, sent.id));
  if (!now || (!found && now.version === sent.messageVersion)) return;
  await deps.db.update(blockers).set({ dmsRenderedVersion: 0 }).where(eq(blockers.id, sent.id));
  await deps.wakeups.updateNotices([{ blockerId: sent.id, version: now.version }]);
}

/**
 * Edits every escalation DM already sent about a blocker to show its current state (DESIGN.md invariant 5: resolved
 * by whom and when with no buttons, acknowledged, snoozed, reassigned, escalated further): the `update-notices` job,
 * asked for by every change of the blocker (its `message_version`) and by the sweep while `dms_rendered_version` is
 * behind. Serialised per blocker (an advisory lock); each DM whose `rendered_version` is behind is edited once with
 * chat.update on its stored `ts` (services/delivery updatePosted: never a new post, so a crash mid-edit posts nothing),
 * unless what it would show is what it shows already (`rendered_hash`), and its version recorded at once; a DM of an
 * earlier episode of a gate's escalation is edited once more, to how that episode ended (`closed_view`). Notices never sent (pending, cancelled, failed) are not edited. An edit Slack
 * refuses for good (the DM was deleted) is logged and not retried; any other error propagates (the job retries the
 * DMs not edited yet).
 * @returns how many DMs were edited (or given up), or 'current' when none was behind.
 */
export async function updateNotices(deps: Deps, blockerId: number): Promise<{ edited: number; failed: number } | 'current'> {
  // an edit's error ends the loop and is thrown once the DMs edited before it are committed, so the retry does not
  // edit them again; every write goes through the transaction (a second pool connection per job held inside it can
  // leave the whole pool idle in transaction under a burst of dm jobs, as the escalation benchmark showed)
  let retry: { err: unknown } | undefined;
  const result = await deps.db.transaction(async (tx) => {
    await lockNoticeEdits(tx, blockerId);
    const [b] = await tx.select().from(blockers).where(eq(blockers.id, blockerId));
    if (!b) return 'current';
    const behind = await tx
      .select({ n: blockerNotices, ts: deliveries.ts, conversation: deliveries.conversation, sentAt: deliveries.sentAt })
      .from(blockerNotices)
      .innerJoin(deliveries, noticeJoin)
      .where(
        and(
          eq(blockerNotices.blockerId, blockerId),
          eq(deliveries.status, 'sent'),
          isNotNull(deliveries.ts),
          or(and(eq(blockerNotices.episode, b.episode), lt(blockerNotices.renderedVersion, b.messageVersion)), isNotNull(blockerNotices.closedView)),
        ),
      )
      .orderBy(blockerNotices.id);
    const now = deps.clock.now().toJSDate();
    const permalink = behind.length ? ((await transitions.stateOf({ db: tx }, blockerMessageDelivery(blockerId)))?.permalink ?? null) : null;
    let edited = 0;
    let failed = 0;
    for (const { n, ts, conversation, sentAt } of behind) {
      const message = deps.renderer.escalationNotice(noticeModel(deps, b, n, now, sentAt ?? n.dueAt, permalink));
      const hash = digestOf(message);
      // a change that does not change what this DM shows (it already shows how its episode ended, say) costs no call
      if (hash !== n.renderedHash) {
        let res: Awaited<ReturnType<typeof updatePosted>>;
        try {
          res = await updatePosted(deps, NOTICE, n.id, { channel: conversation ?? n.recipient, ts: ts! }, message);
        } catch (err) {
          retry = { err };
          break;
        }
        if (res === 'updated') edited++;
        else failed++;
      }
      await tx
        .update(blockerNotices)
        .set({ renderedVersion: b.messageVersion, renderedHash: hash, ...(n.closedView ? { closedView: null } : {}) })
        .where(eq(blockerNotices.id, n.id));
    }
    // a DM still being sent may show an older state: the blocker stays behind, so the sweep asks again once it is sent
    const [sending] = await tx
      .select({ id: blockerNotices.id })
      .from(blockerNotices)
      .innerJoin(deliveries, noticeJoin)
      .where(and(eq(blockerNotices.blockerId, blockerId), eq(deliveries.status, 'sending')))
      .limit(1);
    if (!sending && !retry)
      await tx
        .update(blockers)
        .set({ dmsRenderedVersion: b.messageVersion })
        .where(and(eq(blockers.id, blockerId), lt(blockers.dmsRenderedVersion, b.messageVersion)));
    if (edited + failed > 0) deps.log.info({ blocker: blockerId, version: b.messageVersion, edited, failed }, 'escalation DMs edited to the blocker’s current state');
    return behind.length ? { edited, failed } : 'current';
  });
  if (retry) throw retry.err;
  return result;
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
    // the blocker and its message's delivery in one read, once the lock is ours
    const [row] = await tx
      .select({ b: blockers, before: { status: deliveries.status, ts: deliveries.ts, conversation: deliveries.conversation, permalink: deliveries.permalink } })
      .from(blockers)
      .leftJoin(deliveries, blockerMessageJoin)
      .where(eq(blockers.id, blockerId));
    if (!row || row.b.messageRenderedVersion >= row.b.messageVersion) return 'current';
    const { b, before } = row;
    const ref = blockerMessageDelivery(blockerId);
    const message = deps.renderer.blockerMessage(blockerView(deps.config, b, deps.clock.now().toJSDate(), undefined, before?.permalink ?? null));
    // the delivery and its ts are written outside this transaction, so a crash after posting cannot lose them; a
    // new message (first post, or re-posted) gets its permalink, recorded right after its ts
    const res = await postOrUpdateDelivery(deps, ref, { channel: b.channel, unfurlLinks: false }, message, before, { permalink: true });
    await tx.update(blockers).set({ messageRenderedVersion: b.messageVersion }).where(eq(blockers.id, blockerId));
    return res.outcome;
  });
}

/**
 * Posts one timeline event as a line in the blocker message's thread, once through services/delivery
 * (found again in the thread after a crash instead of posted twice). Waits (throws) until the message exists.
 */
export async function postThreadLine(deps: Deps, eventId: number): Promise<'posted' | 'not-due'> {
  const ref = threadLineDelivery(eventId);
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  const [ev] = await deps.db.select().from(blockerEvents).where(eq(blockerEvents.id, eventId));
  const [b] = ev ? await deps.db.select().from(blockers).where(eq(blockers.id, ev.blockerId)) : [];
  const parentTs = b ? (await transitions.stateOf(deps, blockerMessageDelivery(b.id)))?.ts : null;
  if (!ev || !b || !parentTs) {
    await transitions.release(deps, ref, claimed.claimedAt, { uncount: true });
    throw new Error(`blocker ${ev?.blockerId} has no message yet; thread line ${eventId} waits for it`);
  }
  const message = deps.renderer.blockerThreadLine({ kind: ev.kind, actor: ev.actor, data: ev.data });
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, { channel: b.channel, threadTs: parentTs }, message));
  return outcome === 'taken-over' ? 'not-due' : 'posted';
}
