import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { memberOutOfOffice, standupPrompts, standupRuns, standupSkips, workstreamState } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { decideRun, isOutOfOffice, latestOpenedOccurrence, type Occurrence } from '../../domain/standups/schedule.js';
import type { Deps } from '../deps.js';
import { holdsCheckin, startGates } from '../workstreams/activity.js';
import { scheduledWorkstreams, type WorkstreamStandup } from './plans.js';

/** The standup_runs row of an occurrence, with the workstream's questions and names frozen into it. */
function runRow(ws: WorkstreamStandup, occ: Occurrence, status: 'open' | 'missed') {
  return {
    workstreamId: ws.id,
    localDate: occ.localDate,
    status,
    openAt: occ.openAt.toJSDate(),
    closeAt: occ.closeAt.toJSDate(),
    questions: ws.questions,
    workstreamName: ws.name,
    zone: ws.zone,
    reportChannel: ws.channel,
  };
}

export type StartResult = { created: true; runId: number; prompted: number } | { created: false; runId: number; status: string };

/**
 * Records a run and one prompt row per member, in one transaction. The unique key
 * (workstream_id, local_date) makes this exactly-once across processes and restarts: the loser of a race
 * gets `created: false` and the existing run.
 * Members out of office (or who typed `/standup skip` for that date) get a prompt row marked accordingly.
 */
export async function startRun(deps: Pick<Deps, 'db' | 'wakeups' | 'clock'>, ws: WorkstreamStandup, occ: Occurrence, startedBy: string | null): Promise<StartResult> {
  const result = await deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(standupRuns)
      .values({ ...runRow(ws, occ, 'open'), startedBy })
      .onConflictDoNothing()
      .returning({ id: standupRuns.id });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select({ id: standupRuns.id, status: standupRuns.status })
        .from(standupRuns)
        .where(and(eq(standupRuns.workstreamId, ws.id), eq(standupRuns.localDate, occ.localDate)));
      return { created: false as const, runId: existing!.id, status: existing!.status };
    }
    const runId = inserted[0]!.id;
    const userIds = occ.members.map((m) => m.userId);
    const ooo = userIds.length ? await tx.select().from(memberOutOfOffice).where(inArray(memberOutOfOffice.userId, userIds)) : [];
    const spans = ooo.map((o) => ({ userId: o.userId, from: o.fromDate, until: o.untilDate }));
    const skips = new Set(
      (
        await tx
          .select({ userId: standupSkips.userId })
          .from(standupSkips)
          .where(and(eq(standupSkips.workstreamId, ws.id), eq(standupSkips.localDate, occ.localDate)))
      ).map((s) => s.userId),
    );
    let prompted = 0;
    if (occ.members.length) {
      await tx.insert(standupPrompts).values(
        occ.members.map((m) => {
          const status = isOutOfOffice(m.userId, occ.localDate, spans) ? ('ooo' as const) : skips.has(m.userId) ? ('skipped' as const) : ('pending' as const);
          if (status === 'pending') prompted++;
          return { runId, userId: m.userId, zone: m.zone, promptAt: m.promptAt.toJSDate(), remindAt: m.remindAt.toJSDate(), closeAt: m.closeAt.toJSDate(), status };
        }),
      );
    }
    return { created: true as const, runId, prompted };
  });
  if (result.created) {
    await deps.wakeups.renderReports([{ runId: result.runId, version: 1 }]);
    // prompts already due (a run started now, or opened late) go out without waiting for the next tick
    const due = await deps.db
      .select({ id: standupPrompts.id })
      .from(standupPrompts)
      .where(and(eq(standupPrompts.runId, result.runId), eq(standupPrompts.status, 'pending'), lte(standupPrompts.promptAt, deps.clock.now().toJSDate())));
    await deps.wakeups.sendPrompts(due.map((d) => ({ promptId: d.id, attempt: 1 })));
  }
  return result;
}

/** Records a run that opened and closed while Preflight was down (at most one row per date, like any run). */
async function recordMissed(db: Db, ws: WorkstreamStandup, occ: Occurrence): Promise<number | null> {
  const rows = await db
    .insert(standupRuns)
    .values(runRow(ws, occ, 'missed'))
    .onConflictDoNothing()
    .returning({ id: standupRuns.id });
  return rows[0]?.id ?? null;
}

/** When Preflight began scheduling `workstreamId` (recorded on first sight, kept forever). */
async function schedulingSince(db: Db, workstreamId: string, now: DateTime): Promise<DateTime> {
  await db.insert(workstreamState).values({ workstreamId, schedulingSince: now.toJSDate() }).onConflictDoNothing();
  const [row] = await db.select().from(workstreamState).where(eq(workstreamState.workstreamId, workstreamId));
  return DateTime.fromJSDate(row!.schedulingSince, { zone: 'utc' });
}

/**
 * For every scheduled workstream, opens the latest due run if it is still before its close, or records it
 * as missed (see {@link decideRun}); not for a workstream that does not hold it (domain/workstreams/activity.ts:
 * outside `active`, or waiting for its `starts_when` gate). Safe to call from several processes at once.
 * @returns the ids of runs opened and recorded as missed.
 */
export async function openDueRuns(deps: Deps): Promise<{ opened: number[]; missed: number[] }> {
  const now = deps.clock.now();
  const opened: number[] = [];
  const missed: number[] = [];
  const gates = await startGates(deps.db);
  for (const ws of scheduledWorkstreams(deps.config)) {
    const occ = latestOpenedOccurrence(ws.plan, now);
    if (!occ) continue;
    // the one guard: outside `active`, or waiting for its `starts_when` gate, a workstream holds no check-ins
    if (!holdsCheckin(deps.config, ws.id, occ, now, gates)) continue;
    const [existing] = await deps.db
      .select({ id: standupRuns.id })
      .from(standupRuns)
      .where(and(eq(standupRuns.workstreamId, ws.id), eq(standupRuns.localDate, occ.localDate)));
    if (existing) continue;
    const since = await schedulingSince(deps.db, ws.id, now);
    const decision = decideRun(occ, now, false, since);
    if (decision === 'open') {
      const r = await startRun(deps, ws, occ, null);
      if (r.created) {
        opened.push(r.runId);
        deps.log.info({ workstream: ws.id, localDate: occ.localDate, runId: r.runId, prompted: r.prompted }, 'standup run opened');
      }
    } else if (decision === 'missed') {
      const id = await recordMissed(deps.db, ws, occ);
      if (id) {
        missed.push(id);
        deps.log.warn({ workstream: ws.id, localDate: occ.localDate, runId: id }, 'standup run missed while Preflight was down');
        await deps.wakeups.renderReports([{ runId: id, version: 1 }]);
      }
    }
  }
  return { opened, missed };
}

/**
 * Closes every open run whose close time has passed and expires prompts never sent.
 * @returns ids of the runs closed.
 */
export async function closeDueRuns(deps: Deps): Promise<number[]> {
  const now = deps.clock.now().toJSDate();
  const closed = await deps.db
    .update(standupRuns)
    .set({ status: 'closed', closedAt: now, reportVersion: sql`${standupRuns.reportVersion} + 1` })
    .where(and(eq(standupRuns.status, 'open'), lte(standupRuns.closeAt, now)))
    .returning({ id: standupRuns.id, version: standupRuns.reportVersion, workstreamId: standupRuns.workstreamId });
  if (closed.length) {
    await deps.db
      .update(standupPrompts)
      .set({ status: 'expired' })
      .where(
        and(
          inArray(
            standupPrompts.runId,
            closed.map((c) => c.id),
          ),
          eq(standupPrompts.status, 'pending'),
        ),
      );
    for (const c of closed) deps.log.info({ runId: c.id, workstream: c.workstreamId }, 'standup run closed');
    await deps.wakeups.renderReports(closed.map((c) => ({ runId: c.id, version: c.version })));
  }
  return closed.map((c) => c.id);
}
