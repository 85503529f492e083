import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries, memberOutOfOffice, standupPrompts, standupRuns, standupSkips, workstreamState } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { decideRun, isOutOfOffice, latestOpenedOccurrence, type Occurrence } from '../../domain/checkins/schedule.js';
import { type CheckinSetup, scheduledCheckins, STANDUP_CHECKIN } from '../../domain/checkins/plans.js';
import type { Deps } from '../deps.js';
import { latestPlanVersion } from '../plan/versions.js';
import { holdingOccurrence, startGates } from '../workstreams/start-gates.js';
import * as transitions from '../delivery/transitions.js';
import { PROMPT, promptDelivery, promptJoin } from './delivery-kinds.js';
import { freezeClosedReports } from './report-message.js';

/** The standup_runs row of an occurrence, with the check-in's questions and names frozen into it. */
function runRow(ws: CheckinSetup, occ: Occurrence, status: 'open' | 'missed') {
  return {
    workstreamId: ws.workstreamId,
    checkinId: ws.checkinId,
    checkinName: ws.checkinName,
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
 * (workstream_id, checkin_id, local_date) makes this exactly-once across processes and restarts: the loser of a race
 * gets `created: false` and the existing run.
 * Members out of office (or who typed `/standup skip` for that date) get a prompt row marked accordingly.
 */
export async function startRun(deps: Pick<Deps, 'db' | 'wakeups' | 'clock'>, ws: CheckinSetup, occ: Occurrence, startedBy: string | null): Promise<StartResult> {
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
        .where(and(eq(standupRuns.workstreamId, ws.workstreamId), eq(standupRuns.checkinId, ws.checkinId), eq(standupRuns.localDate, occ.localDate)));
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
          .where(and(eq(standupSkips.workstreamId, ws.workstreamId), eq(standupSkips.checkinId, ws.checkinId), eq(standupSkips.localDate, occ.localDate)))
      ).map((s) => s.userId),
    );
    let prompted = 0;
    if (occ.members.length) {
      const rows = await tx
        .insert(standupPrompts)
        .values(
          occ.members.map((m) => {
            const status = isOutOfOffice(m.userId, occ.localDate, spans) ? ('ooo' as const) : skips.has(m.userId) ? ('skipped' as const) : ('expected' as const);
            return { runId, userId: m.userId, zone: m.zone, section: m.section?.name ?? null, promptAt: m.promptAt.toJSDate(), remindAt: m.remindAt.toJSDate(), closeAt: m.closeAt.toJSDate(), status };
          }),
        )
        .returning({ id: standupPrompts.id, status: standupPrompts.status });
      // the DM of every member expected to answer is a delivery, opened with the prompt
      const expected = rows.filter((r) => r.status === 'expected');
      prompted = expected.length;
      await transitions.open(
        tx,
        expected.map((r) => promptDelivery(r.id)),
        deps.clock.now().toJSDate(),
      );
    }
    return { created: true as const, runId, prompted };
  });
  if (result.created) {
    await deps.wakeups.renderReports([{ runId: result.runId, version: 1 }, ...(await bumpDayIndex(deps.db, result.runId))]);
    // prompts already due (a run started now, or opened late) go out without waiting for the next tick
    const due = await deps.db
      .select({ id: standupPrompts.id })
      .from(standupPrompts)
      .innerJoin(deliveries, promptJoin)
      .where(and(eq(standupPrompts.runId, result.runId), eq(deliveries.status, 'pending'), lte(standupPrompts.promptAt, deps.clock.now().toJSDate())));
    await deps.wakeups.sendPrompts(due.map((d) => ({ promptId: d.id, attempt: 1 })));
  }
  return result;
}

/** Records a run that opened and closed while Preflight was down (at most one row per date, like any run). */
async function recordMissed(db: Db, ws: CheckinSetup, occ: Occurrence): Promise<number | null> {
  const rows = await db
    .insert(standupRuns)
    .values(runRow(ws, occ, 'missed'))
    .onConflictDoNothing()
    .returning({ id: standupRuns.id });
  return rows[0]?.id ?? null;
}

/**
 * The day's first run in a run's report channel (lowest id among runs with the same channel and local date) gets a
 * new report version when a later run joins the day, so its "Today's check-ins" index lists it.
 * @returns the wake-up for that first run's report, or nothing when `runId` is the first.
 */
async function bumpDayIndex(db: Db, runId: number): Promise<{ runId: number; version: number }[]> {
  const rows = await db.execute<{ id: number; report_version: number }>(
    sql`UPDATE ${standupRuns} f SET report_version = f.report_version + 1
        FROM ${standupRuns} r
        WHERE r.id = ${runId}
          AND f.id = (SELECT min(x.id) FROM ${standupRuns} x WHERE x.report_channel = r.report_channel AND x.local_date = r.local_date)
          AND f.id <> r.id
        RETURNING f.id, f.report_version`,
  );
  return rows.rows.map((r) => ({ runId: r.id, version: r.report_version }));
}

/**
 * When Preflight began scheduling a check-in (recorded on first sight, kept forever). The `standup` check-in keeps
 * the workstream's own key from before check-ins; another check-in is keyed `<workstream>/<check-in>`, so one added
 * to the config later is never reported as missed for the hours before it existed.
 */
async function schedulingSince(db: Db, ws: CheckinSetup, now: DateTime): Promise<DateTime> {
  const workstreamId = ws.checkinId === STANDUP_CHECKIN ? ws.workstreamId : `${ws.workstreamId}/${ws.checkinId}`;
  await db.insert(workstreamState).values({ workstreamId, schedulingSince: now.toJSDate() }).onConflictDoNothing();
  const [row] = await db.select().from(workstreamState).where(eq(workstreamState.workstreamId, workstreamId));
  return DateTime.fromJSDate(row!.schedulingSince, { zone: 'utc' });
}

/**
 * Since when an occurrence that closed unopened counts as missed: when Preflight began scheduling the check-in, or
 * later, when a reload while running applied the plan it is in (issue 20: a moved `at` that lands before now today
 * does not fire late once its window has closed; it was not in the plan when it opened, so nothing was missed). A
 * plan applied at start-up does not count: the process was down before it, which is what "missed" reports.
 * @param since {@link schedulingSince} of the check-in.
 */
async function missedSince(db: Db, since: DateTime): Promise<DateTime> {
  const plan = await latestPlanVersion(db);
  if (!plan || plan.appliedBy === 'startup') return since;
  const reloadedAt = DateTime.fromJSDate(plan.appliedAt, { zone: 'utc' });
  return reloadedAt > since ? reloadedAt : since;
}

/**
 * For every scheduled check-in, opens the latest due run if it is still before its close, or records it
 * as missed (see {@link decideRun}). An occurrence its workstream does not hold (outside `active`, waiting for its
 * `starts_when` gate; for a program check-in, the participants of such workstreams) is passed over
 * ({@link holdingOccurrence}: this is the one call site of that rule); one that closed before a reload put it in the
 * plan is not missed ({@link missedSince}). Safe to call from several processes at once.
 * @returns the ids of runs opened and recorded as missed.
 */
export async function openDueRuns(deps: Deps): Promise<{ opened: number[]; missed: number[] }> {
  const now = deps.clock.now();
  const opened: number[] = [];
  const missed: number[] = [];
  const gates = await startGates(deps.db);
  for (const ws of scheduledCheckins(deps.config)) {
    const latest = latestOpenedOccurrence(ws.plan, now);
    const occ = latest && holdingOccurrence(deps.config, latest, now, gates);
    if (!occ) continue;
    const [existing] = await deps.db
      .select({ id: standupRuns.id })
      .from(standupRuns)
      .where(and(eq(standupRuns.workstreamId, ws.workstreamId), eq(standupRuns.checkinId, ws.checkinId), eq(standupRuns.localDate, occ.localDate)));
    if (existing) continue;
    const since = await schedulingSince(deps.db, ws, now);
    let decision = decideRun(occ, now, false, since);
    if (decision === 'missed') decision = decideRun(occ, now, false, await missedSince(deps.db, since));
    if (decision === 'open') {
      const r = await startRun(deps, ws, occ, null);
      if (r.created) {
        opened.push(r.runId);
        deps.log.info({ workstream: ws.workstreamId, checkin: ws.checkinId, localDate: occ.localDate, runId: r.runId, prompted: r.prompted }, 'standup run opened');
      }
    } else if (decision === 'missed') {
      const id = await recordMissed(deps.db, ws, occ);
      if (id) {
        missed.push(id);
        deps.log.warn({ workstream: ws.workstreamId, checkin: ws.checkinId, localDate: occ.localDate, runId: id }, 'standup run missed while Preflight was down');
        await deps.wakeups.renderReports([{ runId: id, version: 1 }, ...(await bumpDayIndex(deps.db, id))]);
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
    // prompts never sent before the close expire (their deliveries are cancelled)
    const unsent = await deps.db
      .select({ id: standupPrompts.id })
      .from(standupPrompts)
      .innerJoin(deliveries, promptJoin)
      .where(
        and(
          inArray(
            standupPrompts.runId,
            closed.map((c) => c.id),
          ),
          eq(deliveries.status, 'pending'),
        ),
      );
    await transitions.giveUp(
      deps.db,
      PROMPT,
      unsent.map((p) => p.id),
      'cancelled',
      'expired',
    );
    for (const c of closed) deps.log.info({ runId: c.id, workstream: c.workstreamId }, 'standup run closed');
    // each report keeps the expected tasks and carried-over blockers of this moment; on a Postgres error the first
    // render freezes them instead (a few seconds later)
    await freezeClosedReports(
      deps,
      closed.map((c) => c.id),
    ).catch((err: unknown) => deps.log.warn({ err, runs: closed.map((c) => c.id) }, 'closed reports not frozen at the close; their first render will'));
    // a later check-in closing changes its status in the day's index on the first report
    const indexes = (await Promise.all(closed.map((c) => bumpDayIndex(deps.db, c.id)))).flat();
    await deps.wakeups.renderReports([...closed.map((c) => ({ runId: c.id, version: c.version })), ...indexes]);
  }
  return closed.map((c) => c.id);
}
