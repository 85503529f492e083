import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import { buildReport, questionLabel, type DayIndexEntry, type ExpectedTasks, type FrozenReportLists, type MemberState, type ReportMember } from '../../domain/checkins/report.js';
import { PROGRAM_WORKSTREAM } from '../../domain/checkins/plans.js';
import { countsInReport } from '../../domain/checkins/late-answers.js';
import { taskCatalog, type TaskCatalog } from '../tasks/catalog.js';
import type { Db } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { carriedOverBlockers } from '../blockers/queries.js';
import { postOrUpdateDelivery } from '../delivery/send-once.js';
import * as transitions from '../delivery/transitions.js';
import { lateAnswerDelivery, reportDelivery } from './delivery-kinds.js';

/** Advisory-lock namespaces (first key of pg_advisory_xact_lock(int, int)). */
const LOCK_REPORT = 1;
const LOCK_LATE = 2;

/**
 * The report's members, in prompt order, with their state and answers. A late answer counts (state `late`) only when
 * it was completed within the late-answer window (domain/checkins/late-answers.ts); a later one is in the report's
 * thread only, and its member stays "did not answer", however often the report is redrawn.
 */
export async function reportMembers(db: Db, run: typeof standupRuns.$inferSelect): Promise<ReportMember[]> {
  const prompts = await db.select().from(standupPrompts).where(eq(standupPrompts.runId, run.id)).orderBy(standupPrompts.id);
  const answers = await db.select().from(standupAnswers).where(eq(standupAnswers.runId, run.id));
  const counted = answers.filter((a) => a.complete && (!a.late || countsInReport(run.closeAt.getTime(), (a.completedAt ?? a.updatedAt).getTime())));
  const byUser = new Map(counted.map((a) => [a.userId, a]));
  return prompts.map((p) => {
    const a = byUser.get(p.userId);
    let state: MemberState;
    if (a?.complete) state = a.late ? 'late' : 'answered';
    else if (p.status === 'skipped') state = 'skipped';
    else if (p.status === 'ooo') state = 'ooo';
    else state = run.status === 'open' ? 'waiting' : 'no_answer';
    return { userId: p.userId, state, answers: a?.complete ? a.answers : undefined, edited: (a?.edits ?? 0) > 0, section: p.section };
  });
}

type RunRow = typeof standupRuns.$inferSelect;

/**
 * The runs of a run's day in its report channel (same channel and local date), first created first. The first is the
 * day's top-level report; later ones post in its thread (one channel message a day, however many check-ins).
 */
export async function dayRuns(db: Db, run: Pick<RunRow, 'reportChannel' | 'localDate'>): Promise<RunRow[]> {
  return db
    .select()
    .from(standupRuns)
    .where(and(eq(standupRuns.reportChannel, run.reportChannel), eq(standupRuns.localDate, run.localDate)))
    .orderBy(asc(standupRuns.id));
}

/**
 * Where a run's report goes, decided at its first post: top level when it is the day's first run in its channel (or
 * the first's report could never be posted), else in the first report's thread.
 * @throws Error while the day's first report has no `ts` yet (the render job retries; the tick re-enqueues it).
 */
async function threadFor(deps: Pick<Deps, 'db'>, run: RunRow, day: readonly RunRow[]): Promise<string | null> {
  const first = day[0];
  if (!first || first.id === run.id) return null;
  const firstTs = (await transitions.stateOf(deps, reportDelivery(first.id)))?.ts;
  if (firstTs) return firstTs;
  if (first.reportRenderedVersion > 0) return null; // Slack refused the first report for good: stand alone
  throw new Error(`run ${run.id} waits for the day's first report (run ${first.id}) to be posted, to reply in its thread`);
}

/** The index line's entries for the day's first report (empty for a later one). */
function dayIndexOf(run: RunRow, day: readonly RunRow[]): DayIndexEntry[] {
  if (day[0]?.id !== run.id) return [];
  return day.map((r) => ({
    workstreamName: r.workstreamName,
    checkinName: r.checkinName,
    status: r.status,
    openAtLocal: DateTime.fromJSDate(r.openAt).setZone(r.zone).toFormat('HH:mm'),
    current: r.id === run.id,
  }));
}

/**
 * The check-in's `expects` (workstream check-in, or program check-in) with the tasks not done yet, or undefined
 * when it expects none.
 */
async function expectedTasks(deps: Deps, workstreamId: string, checkinId: string, catalog: () => Promise<TaskCatalog>): Promise<ExpectedTasks | undefined> {
  const checkins = workstreamId === PROGRAM_WORKSTREAM ? deps.config.program.checkins : (deps.config.workstreams[workstreamId]?.checkins ?? []);
  const expects = checkins.find((c) => c.id === checkinId)?.expects ?? [];
  if (!expects.length) return undefined;
  const { tasks } = await catalog();
  const notDone = expects
    .flatMap((id) => tasks.filter((t) => t.id === id && !t.done))
    .map((t) => ({ id: t.id, title: t.title, owner: t.owner, progress: t.progress, url: t.url ?? null, ownerUnmatched: t.ownerUnmatched ?? null }));
  return { total: expects.length, notDone };
}

/**
 * The run's expected tasks not done and its workstream's blockers carried over, as they stand now. `catalog` loads
 * the tasks (once for several runs: {@link freezeClosedReports}).
 */
async function currentLists(deps: Deps, db: Db, run: RunRow, catalog: () => Promise<TaskCatalog> = () => taskCatalog(deps)): Promise<FrozenReportLists> {
  return {
    expected: (await expectedTasks(deps, run.workstreamId, run.checkinId, catalog)) ?? null,
    carriedOver: (await carriedOverBlockers(db, run.workstreamId, run.openAt)).map((b) => ({
      id: b.id,
      severity: b.severity,
      text: b.text,
      raisedAt: Math.floor(b.raisedAt.getTime() / 1000),
      owner: b.owner,
    })),
  };
}

/**
 * Freezes a closed run's lists (expected tasks not done, blockers carried over) as they stand now, once: committed on
 * its own (not in a render's transaction, which a failed Slack call or a crash would roll back after the message
 * showed them). When another process froze them first, returns theirs.
 */
async function freezeLists(deps: Deps, run: RunRow, catalog?: () => Promise<TaskCatalog>): Promise<FrozenReportLists> {
  const lists = await currentLists(deps, deps.db, run, catalog);
  const [row] = await deps.db
    .update(standupRuns)
    .set({ reportFrozen: lists })
    .where(and(eq(standupRuns.id, run.id), isNull(standupRuns.reportFrozen)))
    .returning({ reportFrozen: standupRuns.reportFrozen });
  if (row?.reportFrozen) return row.reportFrozen;
  const [stored] = await deps.db.select({ reportFrozen: standupRuns.reportFrozen }).from(standupRuns).where(eq(standupRuns.id, run.id));
  return stored?.reportFrozen ?? lists;
}

/**
 * Freezes the lists of the given runs that are closed and not frozen yet (called as they close: checkins/runs.ts
 * closeDueRuns), so a closed report shows the expected tasks and carried-over blockers of its close even when its
 * first render comes later (a queue behind a fan-out, a 429 storm). Loads the tasks once for all of them.
 * Postgres errors propagate (the first render freezes what is left).
 */
export async function freezeClosedReports(deps: Deps, runIds: readonly number[]): Promise<void> {
  if (!runIds.length) return;
  const runs = await deps.db
    .select()
    .from(standupRuns)
    .where(and(inArray(standupRuns.id, [...runIds]), eq(standupRuns.status, 'closed'), isNull(standupRuns.reportFrozen)));
  let catalog: Promise<TaskCatalog> | undefined;
  const once = () => (catalog ??= taskCatalog(deps));
  for (const run of runs) await freezeLists(deps, run, once);
}

/**
 * Posts or updates a run's report so the channel shows the latest version. Renders of one run are
 * serialised by an advisory lock and skip when the rendered version is already current; the render-report job
 * that calls it is coalesced per report (src/jobs/report-coalescing.ts: at most one `chat.update` per report per
 * 5 s), and it reads the run and its answers when it runs, so an edit shows every answer committed before it.
 * A closed run's expected tasks and carried-over blockers are frozen as it closes ({@link freezeClosedReports}), else
 * by its first render after the close, before the Slack call; every later render reads them back, so a closed report
 * redrawn hours later shows the lists of its close, not today's (runs closed before that column existed are frozen at
 * their next render).
 * The first render posts the message once (services/delivery postOrUpdate: reserved, found again after a crash
 * instead of posted twice) and stores its `ts` at once; later ones edit it.
 * Slack errors propagate (the job retries; nothing is marked rendered), except one Slack refuses for good
 * (an archived channel, a private one without the bot): logged once and this version is marked rendered.
 * @returns 'current' when there was nothing to do; 'failed' when Slack refused it for good.
 */
export async function renderReport(deps: Deps, runId: number): Promise<'posted' | 'updated' | 'current' | 'failed'> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_REPORT}, ${runId})`);
    const [run] = await tx.select().from(standupRuns).where(eq(standupRuns.id, runId));
    if (!run || run.reportRenderedVersion >= run.reportVersion) return 'current';
    const day = await dayRuns(tx as unknown as Db, run);
    let threadTs = run.reportThreadTs;
    const posted = (await transitions.stateOf(deps, reportDelivery(runId)))?.ts;
    if (!posted) {
      threadTs = await threadFor(deps, run, day);
      // recorded before the first post (committed on its own), so an edit or late answer after a crash knows the thread
      if (threadTs !== run.reportThreadTs) await deps.db.update(standupRuns).set({ reportThreadTs: threadTs }).where(eq(standupRuns.id, runId));
    }
    // a closed report keeps its lists as they stood at the close: a late answer or the day index redraws it later
    const lists = run.status === 'closed' ? (run.reportFrozen ?? (await freezeLists(deps, run))) : await currentLists(deps, tx as unknown as Db, run);
    const model = buildReport({
      workstreamName: run.workstreamName,
      checkinName: run.checkinName,
      dayIndex: dayIndexOf(run, day),
      localDate: run.localDate,
      zone: run.zone,
      status: run.status,
      openAt: DateTime.fromJSDate(run.openAt),
      closeAt: DateTime.fromJSDate(run.closeAt),
      questions: run.questions,
      members: await reportMembers(tx as unknown as Db, run),
      expected: lists.expected ?? undefined,
      carriedOver: lists.carriedOver,
    });
    // the delivery and its ts are written outside this transaction (committed before and right after the Slack
    // call), so a crash after posting cannot lose the ts
    const target = { channel: run.reportChannel, unfurlLinks: false, ...(threadTs ? { threadTs } : {}) };
    const { outcome } = await postOrUpdateDelivery(deps, reportDelivery(runId), target, deps.renderer.standupReport(model));
    await tx.update(standupRuns).set({ reportRenderedVersion: run.reportVersion }).where(eq(standupRuns.id, runId));
    return outcome;
  });
}

/**
 * Posts (or edits) a late answer in the report's thread, once (services/delivery postOrUpdate). Waits
 * (throws) until the report has a `ts`.
 * @returns 'current' when the thread already shows this version of the answer; 'failed' when Slack refused it
 *   for good (this version is marked posted, not retried).
 */
export async function postLateAnswer(deps: Deps, answerId: number): Promise<'posted' | 'updated' | 'current' | 'failed'> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_LATE}, ${answerId})`);
    const [answer] = await tx.select().from(standupAnswers).where(eq(standupAnswers.id, answerId));
    if (!answer || answer.latePostedVersion >= answer.lateVersion) return 'current';
    const [run] = await tx.select().from(standupRuns).where(eq(standupRuns.id, answer.runId));
    const reportTs = run ? (await transitions.stateOf(deps, reportDelivery(run.id)))?.ts : null;
    if (!run || !reportTs) throw new Error(`run ${answer.runId} has no report message yet; late answer ${answerId} waits for it`);
    const lines = run.questions.flatMap((q) => {
      const v = answer.answers[q.id];
      return v === undefined || v === '' ? [] : [{ label: questionLabel(q), value: q.kind === 'percent' ? `${v}%` : String(v) }];
    });
    const message = deps.renderer.lateAnswer({ userId: answer.userId, lines, edited: answer.lateVersion > 1 });
    // a later check-in's report is itself a thread reply: its late answers join that thread
    const { outcome } = await postOrUpdateDelivery(deps, lateAnswerDelivery(answerId), { channel: run.reportChannel, threadTs: run.reportThreadTs ?? reportTs }, message);
    await tx.update(standupAnswers).set({ latePostedVersion: answer.lateVersion }).where(eq(standupAnswers.id, answerId));
    return outcome;
  });
}
