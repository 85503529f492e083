import { and, eq, gt, isNotNull, lte, ne } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

const BATCH = 20_000;

/**
 * The blocker sweeper (a BullMQ job scheduler, every `escalation.sweep_every` ≤ 1 min). Postgres is the truth:
 * it re-enqueues every overdue escalation (job id = blocker + version, so no duplicates), releases notice and
 * thread reservations abandoned by a crashed process, and re-enqueues pending notices, thread lines and
 * stale messages. A lost job or a flushed Redis therefore delays a ping by at most one sweep.
 */
export async function sweepBlockers(deps: Deps): Promise<{ overdue: number; notices: number; threadLines: number; messages: number; released: number }> {
  const nowDate = deps.clock.now().toJSDate();
  const stale = new Date(nowDate.getTime() - deps.config.scheduler.reclaim_after);
  const { db } = deps;
  const overdue = await db
    .select({ id: blockers.id, version: blockers.version, dueAt: blockers.nextDueAt })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), isNotNull(blockers.nextDueAt), lte(blockers.nextDueAt, nowDate)))
    .limit(BATCH);
  await deps.wakeups.escalate(overdue.map((o) => ({ blockerId: o.id, version: o.version, dueAt: o.dueAt!, now: nowDate })));

  const releasedNotices = await db
    .update(blockerNotices)
    .set({ status: 'pending', claimedAt: null })
    .where(and(eq(blockerNotices.status, 'sending'), lte(blockerNotices.claimedAt, stale)))
    .returning({ id: blockerNotices.id });
  const releasedLines = await db
    .update(blockerEvents)
    .set({ threadStatus: 'pending', threadClaimedAt: null })
    .where(and(eq(blockerEvents.threadStatus, 'sending'), lte(blockerEvents.threadClaimedAt, stale)))
    .returning({ id: blockerEvents.id });

  const notices = await db
    .select({ id: blockerNotices.id })
    .from(blockerNotices)
    .where(and(eq(blockerNotices.status, 'pending'), lte(blockerNotices.notBefore, nowDate)))
    .limit(BATCH);
  await deps.wakeups.sendNotices(notices.map((n) => n.id));

  const lines = await db
    .select({ id: blockerEvents.id })
    .from(blockerEvents)
    .innerJoin(blockers, eq(blockers.id, blockerEvents.blockerId))
    .where(and(eq(blockerEvents.threadStatus, 'pending'), isNotNull(blockers.messageTs)))
    .limit(BATCH);
  await deps.wakeups.postThreadLines(lines.map((l) => l.id));

  const messages = await db
    .select({ id: blockers.id, version: blockers.messageVersion })
    .from(blockers)
    .where(gt(blockers.messageVersion, blockers.messageRenderedVersion))
    .limit(BATCH);
  await deps.wakeups.renderBlockers(messages.map((m) => ({ blockerId: m.id, version: m.version })));
  return { overdue: overdue.length, notices: notices.length, threadLines: lines.length, messages: messages.length, released: releasedNotices.length + releasedLines.length };
}
