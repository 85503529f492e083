import { and, desc, eq } from 'drizzle-orm';
import { standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import { STANDUP_CHECKIN } from '../../domain/checkins/plans.js';
import { nextOccurrence } from '../../domain/checkins/schedule.js';
import type { Deps } from '../deps.js';
import { checkinsFor, zoneOf } from './participation.js';
import { localClock } from './prompts.js';

type Run = typeof standupRuns.$inferSelect;

/** One open check-in a member could answer now, for the `/standup` chooser. */
export interface OpenChoice {
  runId: number;
  workstreamName: string;
  checkinName: string;
  /** The member's close time in their own zone, e.g. "12:00 EST". */
  closesAtLocal: string;
  answered: boolean;
}

/**
 * The open run a member should answer now: the given one; else their only open run (optionally in one workstream, or
 * one check-in of it). Several open → `several-open` with a choice per run (latest prompt first). None → why, with
 * their next scheduled check-in as a hint.
 */
export async function runToAnswer(
  deps: Deps,
  userId: string,
  opts: { runId?: number; workstreamId?: string; checkinId?: string },
): Promise<{ ok: true; run: Run; closeAt: Date; zone: string } | { ok: false; reason: 'not-member' | 'none-open'; next?: string } | { ok: false; reason: 'several-open'; choices: OpenChoice[] }> {
  const conditions = [eq(standupPrompts.userId, userId)];
  if (opts.runId) conditions.push(eq(standupRuns.id, opts.runId));
  else conditions.push(eq(standupRuns.status, 'open'));
  if (opts.workstreamId) conditions.push(eq(standupRuns.workstreamId, opts.workstreamId));
  if (opts.checkinId) conditions.push(eq(standupRuns.checkinId, opts.checkinId));
  const rows = await deps.db
    .select({ run: standupRuns, closeAt: standupPrompts.closeAt, zone: standupPrompts.zone, complete: standupAnswers.complete })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .leftJoin(standupAnswers, and(eq(standupAnswers.runId, standupPrompts.runId), eq(standupAnswers.userId, standupPrompts.userId)))
    .where(and(...conditions))
    .orderBy(desc(standupPrompts.promptAt), desc(standupRuns.id))
    .limit(25);
  const [row] = rows;
  if (row && rows.length === 1) return { ok: true, run: row.run, closeAt: row.closeAt, zone: row.zone };
  if (rows.length > 1) {
    return {
      ok: false,
      reason: 'several-open',
      choices: rows.map((r) => ({
        runId: r.run.id,
        workstreamName: r.run.workstreamName,
        checkinName: r.run.checkinName,
        closesAtLocal: localClock(r.closeAt, r.zone),
        answered: Boolean(r.complete),
      })),
    };
  }
  const mine = checkinsFor(deps.config, userId).filter((c) => (!opts.workstreamId || c.workstreamId === opts.workstreamId) && (!opts.checkinId || c.checkinId === opts.checkinId));
  if (mine.length === 0) return { ok: false, reason: 'not-member' };
  const now = deps.clock.now();
  const next = mine
    .map((c) => ({ c, slot: nextOccurrence(c.plan, now)?.members.find((m) => m.userId === userId) }))
    .filter((x) => x.slot)
    .sort((a, b) => a.slot!.promptAt.toMillis() - b.slot!.promptAt.toMillis())[0];
  const zone = zoneOf(deps.config, userId);
  return {
    ok: false,
    reason: 'none-open',
    next: next
      ? `*${next.c.checkinId === STANDUP_CHECKIN ? next.c.name : `${next.c.name} · ${next.c.checkinName}`}* on ${next.slot!.promptAt.setZone(zone).toFormat("ccc d LLL 'at' HH:mm ZZZZ")}`
      : undefined,
  };
}
