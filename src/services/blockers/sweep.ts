import { and, eq, gt, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, outboundMessages } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

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
    .from(blockerNotices)
    .where(and(eq(blockerNotices.status, 'pending'), lte(blockerNotices.notBefore, now)))
    .limit(SWEEP_BATCH);
  return notices.map((n) => n.id);
}

/** Thread lines still pending under a blocker message that is posted (blocker event ids). */
export async function pendingThreadLines(deps: Pick<Deps, 'db'>): Promise<number[]> {
  const lines = await deps.db
    .select({ id: blockerEvents.id })
    .from(blockerEvents)
    .innerJoin(blockers, eq(blockers.id, blockerEvents.blockerId))
    .where(and(eq(blockerEvents.threadStatus, 'pending'), isNotNull(blockers.messageTs)))
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
    .where(and(gt(blockers.messageVersion, blockers.dmsRenderedVersion), sql`EXISTS (SELECT 1 FROM ${blockerNotices} n WHERE n.blocker_id = ${blockers.id} AND n.status IN ('sending', 'sent'))`))
    .limit(SWEEP_BATCH);
  return dmEdits.map((m) => ({ blockerId: m.id, version: m.version }));
}

/** Outbound messages (go/no-go posts, withdrawal notices) still pending whose thread parent, if any, is posted. */
export async function pendingOutbound(deps: Pick<Deps, 'db'>): Promise<number[]> {
  const outbound = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.status, 'pending'),
        sql`(${outboundMessages.parentId} IS NULL OR EXISTS (SELECT 1 FROM ${outboundMessages} p WHERE p.id = ${outboundMessages.parentId} AND p.ts IS NOT NULL))`,
      ),
    )
    .limit(SWEEP_BATCH);
  return outbound.map((o) => o.id);
}
