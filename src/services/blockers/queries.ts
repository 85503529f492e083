import { and, asc, count, eq, inArray, lt, ne, or } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { BlockerListScope } from '../../domain/blockers/command.js';
import type { Deps } from '../deps.js';
import { workstreamsOf } from '../checkins/participation.js';
import type { BlockerRow } from './rows.js';
import { noticeJoin } from './delivery-kinds.js';

/** One blocker by id. */
export async function getBlocker(db: Db, id: number): Promise<BlockerRow | null> {
  const [b] = await db.select().from(blockers).where(eq(blockers.id, id));
  return b ?? null;
}

/** Open blockers that involve `userId`: raised by them, waiting on them, or escalated to them. Oldest first. */
export async function myOpenBlockers(db: Db, userId: string): Promise<{ raised: BlockerRow[]; waiting: BlockerRow[]; escalated: BlockerRow[] }> {
  const open = ne(blockers.status, 'resolved');
  const raised = await db
    .select()
    .from(blockers)
    .where(and(open, eq(blockers.reporter, userId)))
    .orderBy(asc(blockers.raisedAt), asc(blockers.id));
  const waiting = await db
    .select()
    .from(blockers)
    .where(and(open, eq(blockers.owner, userId)))
    .orderBy(asc(blockers.raisedAt), asc(blockers.id));
  // escalated to them in the blocker's current episode (a gate's escalation can start over: reopen.ts)
  const escalatedIds = db
    .selectDistinct({ id: blockerNotices.blockerId })
    .from(blockerNotices)
    .innerJoin(blockers, and(eq(blockers.id, blockerNotices.blockerId), eq(blockers.episode, blockerNotices.episode)))
    .innerJoin(deliveries, noticeJoin)
    .where(and(eq(blockerNotices.recipient, userId), eq(deliveries.status, 'sent')));
  const escalated = await db
    .select()
    .from(blockers)
    .where(and(open, inArray(blockers.id, escalatedIds)))
    .orderBy(asc(blockers.raisedAt), asc(blockers.id));
  return { raised, waiting, escalated };
}

/**
 * `/blocker list`: mine (raised by me or waiting on me), my workstreams', or all open; oldest first.
 * @returns titled groups for the list message.
 */
export async function listOpenBlockers(deps: Deps, userId: string, scope: BlockerListScope): Promise<{ title: string; items: BlockerRow[] }[]> {
  const open = ne(blockers.status, 'resolved');
  if (scope === 'all') return [{ title: 'All open blockers', items: await deps.db.select().from(blockers).where(open).orderBy(asc(blockers.raisedAt), asc(blockers.id)) }];
  const mine = await deps.db
    .select()
    .from(blockers)
    .where(and(open, or(eq(blockers.reporter, userId), eq(blockers.owner, userId))))
    .orderBy(asc(blockers.raisedAt), asc(blockers.id));
  const groups = [{ title: 'Raised by you or waiting on you', items: mine }];
  const wsIds = [
    ...new Set([
      ...workstreamsOf(deps.config, userId),
      ...Object.entries(deps.config.workstreams)
        .filter(([, w]) => w.leads.includes(userId))
        .map(([id]) => id),
    ]),
  ];
  if (scope === 'workstream' || wsIds.length) {
    const items = wsIds.length
      ? await deps.db
          .select()
          .from(blockers)
          .where(and(open, inArray(blockers.workstreamId, wsIds)))
          .orderBy(asc(blockers.raisedAt), asc(blockers.id))
      : [];
    groups.push({ title: `Your workstream${wsIds.length === 1 ? '' : 's'} (${wsIds.map((w) => deps.config.workstreams[w]!.name).join(', ') || 'none'})`, items });
  }
  return scope === 'workstream' ? groups.slice(1) : groups;
}

/** The timeline of a blocker, in order. */
export async function blockerTimeline(db: Db, id: number) {
  return db.select().from(blockerEvents).where(eq(blockerEvents.blockerId, id)).orderBy(asc(blockerEvents.id));
}

/** Open blockers of a workstream raised before `before`: carried over into the next standup report. */
export async function carriedOverBlockers(db: Db, workstreamId: string, before: Date): Promise<BlockerRow[]> {
  return db
    .select()
    .from(blockers)
    .where(and(eq(blockers.workstreamId, workstreamId), ne(blockers.status, 'resolved'), lt(blockers.raisedAt, before)))
    .orderBy(asc(blockers.raisedAt), asc(blockers.id))
    .limit(30);
}

/**
 * Unresolved blockers per severity, e.g. `{ P1: 2, P3: 1 }` (severities with none are absent). One GROUP BY
 * over the open rows: cheap enough to run on every metrics scrape.
 */
export async function openBlockerCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ severity: blockers.severity, n: count() }).from(blockers).where(ne(blockers.status, 'resolved')).groupBy(blockers.severity);
  return Object.fromEntries(rows.map((r) => [r.severity, r.n]));
}
