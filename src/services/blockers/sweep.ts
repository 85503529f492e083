import { and, eq, gt, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { outboundDue, outboundEditsDue } from '../delivery/outbound.js';
import { BLOCKER_MESSAGE, NOTICE, THREAD_LINE } from './delivery-kinds.js';
import { alias } from 'drizzle-orm/pg-core';

const BATCH = 20_000;

/**
 * The blocker sweeper (a BullMQ job scheduler, every `escalation.sweep_every` ≤ 1 min). Postgres is the truth:
 * it re-enqueues every overdue escalation (job id = blocker + version, so no duplicates), and re-enqueues
 * pending notices, thread lines, stale messages, escalation DMs that do not show their blocker's current state yet,
 * pending outbound messages (go/no-go posts, withdrawal notices) and sent ones whose edit is still due (the go/no-go
 * reminder). A lost job or a flushed Redis therefore delays a ping by at most one sweep. Reservations abandoned
 * by a crashed process are released by the scheduler tick (services/delivery/release-stale.ts).
 */
export async function sweepBlockers(deps: Deps): Promise<{ overdue: number; notices: number; threadLines: number; messages: number; dmEdits: number; outbound: number; outboundEdits: number }> {
  const nowDate = deps.clock.now().toJSDate();
  const { db } = deps;
  const overdue = await db
    .select({ id: blockers.id, version: blockers.version, dueAt: blockers.nextDueAt })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), isNotNull(blockers.nextDueAt), lte(blockers.nextDueAt, nowDate)))
    .limit(BATCH);
  await deps.wakeups.escalate(overdue.map((o) => ({ blockerId: o.id, version: o.version, dueAt: o.dueAt!, now: nowDate })));

  const notices = await db
    .select({ id: blockerNotices.id })
    .from(deliveries)
    .innerJoin(blockerNotices, eq(blockerNotices.id, sql`${deliveries.ownerKey}::int`))
    .where(and(eq(deliveries.kind, NOTICE), eq(deliveries.status, 'pending'), lte(blockerNotices.notBefore, nowDate)))
    .limit(BATCH);
  await deps.wakeups.sendNotices(notices.map((n) => n.id));

  // thread lines whose blocker message is posted
  const parentDelivery = alias(deliveries, 'parent_delivery');
  const lines = await db
    .select({ id: blockerEvents.id })
    .from(deliveries)
    .innerJoin(blockerEvents, eq(blockerEvents.id, sql`${deliveries.ownerKey}::int`))
    .innerJoin(parentDelivery, and(eq(parentDelivery.kind, BLOCKER_MESSAGE), eq(parentDelivery.ownerKey, sql`${blockerEvents.blockerId}::text`)))
    .where(and(eq(deliveries.kind, THREAD_LINE), eq(deliveries.status, 'pending'), isNotNull(parentDelivery.ts)))
    .limit(BATCH);
  await deps.wakeups.postThreadLines(lines.map((l) => l.id));

  const messages = await db.select({ id: blockers.id, version: blockers.messageVersion }).from(blockers).where(gt(blockers.messageVersion, blockers.messageRenderedVersion)).limit(BATCH);
  await deps.wakeups.renderBlockers(messages.map((m) => ({ blockerId: m.id, version: m.version })));

  // escalation DMs behind their blocker's state (only blockers that have DMs: the others have nothing to edit)
  const dmEdits = await db
    .select({ id: blockers.id, version: blockers.messageVersion })
    .from(blockers)
    .where(
      and(
        gt(blockers.messageVersion, blockers.dmsRenderedVersion),
        sql`EXISTS (SELECT 1 FROM ${blockerNotices} n JOIN ${deliveries} d ON d.kind = ${NOTICE} AND d.owner_key = n.id::text WHERE n.blocker_id = ${blockers.id} AND d.status IN ('sending', 'sent'))`,
      ),
    )
    .limit(BATCH);
  await deps.wakeups.updateNotices(dmEdits.map((m) => ({ blockerId: m.id, version: m.version })));

  // outbound messages whose thread parent (if any) is posted
  const outbound = await outboundDue(deps, BATCH);
  await deps.wakeups.sendOutbound(outbound);
  const outboundEdits = await outboundEditsDue(deps, BATCH);
  await deps.wakeups.updateOutbound(outboundEdits);
  return {
    overdue: overdue.length,
    notices: notices.length,
    threadLines: lines.length,
    messages: messages.length,
    dmEdits: dmEdits.length,
    outbound: outbound.length,
    outboundEdits: outboundEdits.length,
  };
}
