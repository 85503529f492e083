import { and, eq, gte, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { blockerEvents, blockers, digestSnapshots, standupAnswers, standupPrompts, standupRuns, taskEvents } from '../../db/schema/index.js';
import type { BlockerHistory, Window } from '../../domain/digest/blockers.js';
import type { ProgressPoint } from '../../domain/digest/chart-spec.js';
import type { DigestInput, WorkstreamDigestInput } from '../../domain/digest/digest.js';
import type { Deps } from '../deps.js';
import { verdictInput } from '../gonogo/facts.js';

/** Where "the previous % complete" comes from: the latest snapshot of a date before `beforeDate` (the digest), or taken at or before `atOrBefore` (stats). */
export type PreviousSnapshot = { beforeDate: string } | { atOrBefore: Date };

/**
 * Reads what the digest needs for `workstreamIds` over `window` (Unix ms, `[from, to)`), in a fixed number of
 * queries whatever the history's length: the current facts of each workstream (services/gonogo/facts.ts:
 * % complete, tasks, open blockers, the latest check-in's flags), the previous % complete (digest_snapshots),
 * tasks done in the window (task_events), participation in the window's check-in runs (opened in it), and the
 * blockers raised before the window's end and not resolved before its start, with their first
 * acknowledgement. `comparedWith` is the date of the latest snapshot the changes are measured against. Blockers Preflight raises itself for an overdue gate or task (`source` gate / task) are
 * escalations, not reported blockers, and are left out, as in the go/no-go summary.
 */
export async function readDigestInput(deps: Deps, window: Window, workstreamIds: readonly string[], previous: PreviousSnapshot): Promise<{ input: DigestInput; comparedWith: string | null }> {
  const { db, config } = deps;
  const ids = [...workstreamIds];
  const from = new Date(window.from);
  const to = new Date(window.to);
  const facts = await verdictInput(deps);
  const prevWhere = 'beforeDate' in previous ? lt(digestSnapshots.localDate, previous.beforeDate) : sql`${digestSnapshots.at} <= ${previous.atOrBefore.toISOString()}::timestamptz`;
  const prev = await db
    .selectDistinctOn([digestSnapshots.workstreamId], { workstreamId: digestSnapshots.workstreamId, percent: digestSnapshots.percent, localDate: digestSnapshots.localDate })
    .from(digestSnapshots)
    .where(and(inArray(digestSnapshots.workstreamId, ids), prevWhere))
    .orderBy(digestSnapshots.workstreamId, sql`${digestSnapshots.localDate} DESC`);
  const done = await db
    .select({ workstreamId: taskEvents.workstreamId, n: sql<number>`count(DISTINCT ${taskEvents.taskId})::int` })
    .from(taskEvents)
    .where(and(eq(taskEvents.kind, 'done'), gte(taskEvents.at, from), lt(taskEvents.at, to), inArray(taskEvents.workstreamId, ids)))
    .groupBy(taskEvents.workstreamId);
  const runs = db
    .select({ id: standupRuns.id, workstreamId: standupRuns.workstreamId })
    .from(standupRuns)
    .where(and(inArray(standupRuns.workstreamId, ids), gte(standupRuns.openAt, from), lt(standupRuns.openAt, to)))
    .as('runs');
  const prompted = await db
    .select({ workstreamId: runs.workstreamId, n: sql<number>`count(*)::int` })
    .from(standupPrompts)
    .innerJoin(runs, eq(runs.id, standupPrompts.runId))
    // members expected to answer count as prompted for participation (as the go/no-go summary counts them)
    .where(eq(standupPrompts.status, 'expected'))
    .groupBy(runs.workstreamId);
  const answered = await db
    .select({ workstreamId: runs.workstreamId, n: sql<number>`count(*)::int` })
    .from(standupAnswers)
    .innerJoin(runs, eq(runs.id, standupAnswers.runId))
    .where(eq(standupAnswers.complete, true))
    .groupBy(runs.workstreamId);
  const firstAck = db
    .select({ blockerId: blockerEvents.blockerId, at: sql<Date>`min(${blockerEvents.at})`.as('first_ack_at') })
    .from(blockerEvents)
    .where(eq(blockerEvents.kind, 'acknowledged'))
    .groupBy(blockerEvents.blockerId)
    .as('first_ack');
  const rows = await db
    .select({ workstreamId: blockers.workstreamId, raisedAt: blockers.raisedAt, resolvedAt: blockers.resolvedAt, firstAck: firstAck.at })
    .from(blockers)
    .leftJoin(firstAck, eq(firstAck.blockerId, blockers.id))
    .where(and(inArray(blockers.workstreamId, ids), notInArray(blockers.source, ['gate', 'task']), lt(blockers.raisedAt, to), or(isNull(blockers.resolvedAt), gte(blockers.resolvedAt, from))));
  const history: BlockerHistory[] = rows.map((r) => ({
    workstreamId: r.workstreamId,
    raisedAt: r.raisedAt.getTime(),
    firstAcknowledgedAt: r.firstAck ? new Date(r.firstAck).getTime() : null,
    resolvedAt: r.resolvedAt?.getTime() ?? null,
  }));
  const n = (list: { workstreamId: string; n: number }[], id: string) => list.find((x) => x.workstreamId === id)?.n ?? 0;
  const workstreams: WorkstreamDigestInput[] = ids.map((id) => {
    const f = facts.workstreams.find((w) => w.id === id)!;
    const progress = f.progress ?? { percent: null, tasksDone: 0, tasksTotal: 0, tasksOverdue: 0 };
    const red = f.standup?.red ?? 0;
    const yellow = f.standup?.yellow ?? 0;
    return {
      id,
      name: f.name,
      percent: progress.percent,
      previousPercent: prev.find((p) => p.workstreamId === id)?.percent ?? null,
      tasksDone: progress.tasksDone,
      tasksTotal: progress.tasksTotal,
      tasksOverdue: progress.tasksOverdue,
      tasksDoneInWindow: n(done, id),
      participation: { answered: n(answered, id), expected: n(prompted, id) },
      // green: the latest check-in's complete answers not flagged red or yellow
      flags: { red, yellow, green: Math.max(0, (f.standup?.answered ?? 0) - red - yellow) },
      openBlockers: f.openBlockers,
    };
  });
  const input = { programName: config.program.name, zone: config.program.timezone, window, workstreams, blockers: history, blockingSeverities: [...config.blockingSeverities] };
  const comparedWith = prev.reduce<string | null>((a, p) => (a === null || p.localDate > a ? p.localDate : a), null);
  return { input, comparedWith };
}

/**
 * The chart's data: each workstream's % complete at each digest from `fromDate` to `toDate` (program-local
 * ISO dates, inclusive), named by the workstream's name; snapshots with nothing measured are left out.
 */
export async function progressHistory(deps: Pick<Deps, 'db' | 'config'>, fromDate: string, toDate: string): Promise<ProgressPoint[]> {
  const rows = await deps.db
    .select({ date: digestSnapshots.localDate, workstreamId: digestSnapshots.workstreamId, percent: digestSnapshots.percent })
    .from(digestSnapshots)
    .where(and(gte(digestSnapshots.localDate, fromDate), sql`${digestSnapshots.localDate} <= ${toDate}`))
    .orderBy(digestSnapshots.localDate, digestSnapshots.workstreamId);
  return rows.flatMap((r) => {
    const ws = deps.config.workstreams[r.workstreamId];
    return ws && r.percent !== null ? [{ date: r.date, workstream: ws.name, percent: r.percent }] : [];
  });
}
