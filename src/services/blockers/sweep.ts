import { and, eq, gt, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { blockerEvents, blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { outboundDue } from '../delivery/outbound.js';
import { BLOCKER_MESSAGE, NOTICE, THREAD_LINE } from './delivery-kinds.js';

/**
 * What the due-work sweep (src/jobs/registry.ts, every `escalation.sweep_every` ≤ 1 min) asks again for, from
 * Postgres, which is the truth: each function returns the wake-up items still due for one kind of job, and the
 * registry entry of that job queues them again (deterministic job ids, so no duplicates). A lost job or a flushed
 * Redis therefore delays a ping by at most one sweep. Reservations abandoned by a crashed process are released by the
 * scheduler tick (services/delivery/release-stale.ts). Each returns at most {@link SWEEP_BATCH} items.
 */
export const SWEEP_BATCH = 20_000;

/** Overdue escalations: unresolved blockers whose next due time has passed (an `escalate` item each, due now). */
export async function overdueEscalations(deps: Pick<Deps, 'db' | 'clock'>): Promise<{ blockerId: number; version: number; dueAt: Date; now: Date }[]> {
  const now = deps.clock.now().toJSDate();
  const overdue = await deps.db
    .select({ id: blockers.id, version: blockers.version, dueAt: blockers.nextDueAt })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), isNotNull(blockers.nextDueAt), lte(blockers.nextDueAt, now)))
    .limit(SWEEP_BATCH);
  return overdue.map((o) => ({ blockerId: o.id, version: o.version, dueAt: o.dueAt!, now }));
}

/** Escalation notices still pending whose `not_before` has passed (notice ids). */
export async function pendingNotices(deps: Pick<Deps, 'db' | 'clock'>): Promise<number[]> {
  const now = deps.clock.now().toJSDate();
  const notices = await deps.db
    .select({ id: blockerNotices.id })
    .from(deliveries)
    .innerJoin(blockerNotices, eq(blockerNotices.id, sql`${deliveries.ownerKey}::int`))
    .where(and(eq(deliveries.kind, NOTICE), eq(deliveries.status, 'pending'), lte(blockerNotices.notBefore, now)))
    .limit(SWEEP_BATCH);
  return notices.map((n) => n.id);
}

/** Thread lines still pending under a blocker message that is posted (blocker event ids). */
export async function pendingThreadLines(deps: Pick<Deps, 'db'>): Promise<number[]> {
  const parentDelivery = alias(deliveries, 'parent_delivery');
  const lines = await deps.db
    .select({ id: blockerEvents.id })
    .from(deliveries)
    .innerJoin(blockerEvents, eq(blockerEvents.id, sql`${deliveries.ownerKey}::int`))
    .innerJoin(parentDelivery, and(eq(parentDelivery.kind, BLOCKER_MESSAGE), eq(parentDelivery.ownerKey, sql`${blockerEvents.blockerId}::text`)))
    .where(and(eq(deliveries.kind, THREAD_LINE), eq(deliveries.status, 'pending'), isNotNull(parentDelivery.ts)))
    .limit(SWEEP_BATCH);
  return lines.map((l) => l.id);
}

/** Blocker messages behind their blocker's state (`message_version` > `message_rendered_version`). */
export async function staleBlockerMessages(deps: Pick<Deps, 'db'>): Promise<{ blockerId: number; version: number }[]> {
  const messages = await deps.db.select({ id: blockers.id, version: blockers.messageVersion }).from(blockers).where(gt(blockers.messageVersion, blockers.messageRenderedVersion)).limit(SWEEP_BATCH);
  return messages.map((m) => ({ blockerId: m.id, version: m.version }));
}

/** Escalation DMs behind their blocker's state (only blockers that have DMs: the others have nothing to edit). */
export async function staleNoticeEdits(deps: Pick<Deps, 'db'>): Promise<{ blockerId: number; version: number }[]> {
  const dmEdits = await deps.db
    .select({ id: blockers.id, version: blockers.messageVersion })
    .from(blockers)
    .where(
      and(
        gt(blockers.messageVersion, blockers.dmsRenderedVersion),
        sql`EXISTS (SELECT 1 FROM ${blockerNotices} n JOIN ${deliveries} d ON d.kind = ${NOTICE} AND d.owner_key = n.id::text WHERE n.blocker_id = ${blockers.id} AND d.status IN ('sending', 'sent'))`,
      ),
    )
    .limit(SWEEP_BATCH);
  return dmEdits.map((m) => ({ blockerId: m.id, version: m.version }));
}

/** Outbound messages (go/no-go posts, withdrawal notices) still pending whose thread parent, if any, is posted. */
export async function pendingOutbound(deps: Pick<Deps, 'db'>): Promise<number[]> {
  return outboundDue(deps, SWEEP_BATCH);
}
