import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { blockers, checklistTicks, gateSignatures, gateStates, standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Question } from '../../config/workspace.js';
import type { Severity } from '../../domain/blockers/ladder.js';
import { riskOf } from '../../domain/checkins/answers.js';
import type { GateFacts, VerdictInput, WorkstreamFacts } from '../../domain/gonogo/verdict.js';
import { signOffProgress } from '../../domain/gonogo/signoff.js';
import type { Deps } from '../deps.js';
import { percentComplete } from '../../domain/tasks/progress.js';
import { taskStatus } from '../../domain/tasks/tasks.js';
import { taskCatalog } from '../tasks/catalog.js';
import { startGates, workstreamActivity } from '../workstreams/start-gates.js';
import { awaySignersOf, awaySpansNow } from './away-signers.js';

/** A gate's due time from config (program-local "2026-02-04T14:00"), as Unix ms. */
export function gateDueAt(deps: Pick<Deps, 'config'>, due: string | undefined): number | null {
  return due ? DateTime.fromISO(due, { zone: deps.config.program.timezone }).toMillis() : null;
}

/** Every gate with its current state (no row = pending) and its standing signatures. */
export async function gateFacts(deps: Deps): Promise<GateFacts[]> {
  const rows = await deps.db.select().from(gateStates);
  const sigs = await deps.db.select({ gateId: gateSignatures.gateId, userId: gateSignatures.userId }).from(gateSignatures);
  const byId = new Map(rows.map((r) => [r.gateId, r]));
  return deps.config.gates.map((g) => {
    const s = byId.get(g.id);
    const signed = signOffProgress(
      { rule: g.sign_off_rule, signers: g.sign_off },
      sigs.filter((x) => x.gateId === g.id).map((x) => x.userId),
    ).signed;
    return {
      id: g.id,
      name: g.name,
      mandatory: g.mandatory,
      status: s?.status ?? 'pending',
      dueAt: gateDueAt(deps, g.due),
      signOff: g.sign_off,
      signOffRule: g.sign_off_rule,
      signed,
      requires: g.requires,
      signedBy: s?.signedBy ?? null,
      signedFor: s?.signedFor ?? null,
    };
  });
}

/**
 * Everything the verdict needs, in nine queries whatever the number of workstreams: gate states and signatures,
 * which workstreams hold check-ins (active, not started, ended, waiting for a gate), checklist ticks, open blockers per workstream and severity (with the oldest), each workstream's latest standup
 * run (risk flags and participation), and task states (each workstream's % complete, domain/tasks/progress.ts).
 */
export async function verdictInput(deps: Deps): Promise<VerdictInput> {
  const { config, db } = deps;
  // issue 22: the signers of pending gates who are away now, with their return date (`/gonogo` lists them)
  const nowDt = deps.clock.now();
  const pendingGates = (await gateFacts(deps)).filter((g) => g.status === 'pending');
  const spans = await awaySpansNow(deps, [...new Set(pendingGates.flatMap((g) => g.signOff))], nowDt);
  const gates = (await gateFacts(deps)).map((g) => {
    const away = g.status === 'pending' ? awaySignersOf(deps, { sign_off: g.signOff }, spans, nowDt) : [];
    return away.length ? { ...g, away } : g;
  });
  const starts = await startGates(db);
  const ticks = await db.select().from(checklistTicks).where(eq(checklistTicks.checked, true));
  const ticked = new Set(ticks.map((t) => `${t.workstreamId}\u0000${t.item}`));
  const open = await db
    .select({ workstreamId: blockers.workstreamId, severity: blockers.severity, n: sql<number>`count(*)::int`, oldest: sql<Date>`min(${blockers.raisedAt})` })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate'), ne(blockers.source, 'task')))
    .groupBy(blockers.workstreamId, blockers.severity);
  const blocking = config.blockingSeverities;
  const blockingRows = await db
    .select({ id: blockers.id, severity: blockers.severity, workstreamId: blockers.workstreamId, gateId: blockers.gateId })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate'), ne(blockers.source, 'task'), inArray(blockers.severity, blocking)))
    .orderBy(blockers.raisedAt)
    .limit(50);
  // latest non-missed run (of any check-in) of each configured workstream: one backward probe of the
  // (workstream_id, local_date) index per workstream, whatever the history; the date is formatted explicitly so the
  // session's DateStyle cannot change it (bench/RESULTS-gonogo.md). Its questions are the run's own (frozen at open).
  const latest = await db.execute<{ id: number; workstream_id: string; local_date: string; questions: Question[] }>(
    sql`SELECT r.id, r.workstream_id, to_char(r.local_date, 'YYYY-MM-DD') AS local_date, r.questions
        FROM unnest(${sql.param(Object.keys(config.workstreams))}::text[]) AS ws(id)
        CROSS JOIN LATERAL (SELECT id, workstream_id, local_date, questions FROM ${standupRuns}
                            WHERE workstream_id = ws.id AND status <> 'missed' ORDER BY local_date DESC, open_at DESC LIMIT 1) r`,
  );
  const runIds = latest.rows.map((r) => r.id);
  const answers = runIds.length
    ? await db
        .select({ runId: standupAnswers.runId, answers: standupAnswers.answers })
        .from(standupAnswers)
        .where(and(inArray(standupAnswers.runId, runIds), eq(standupAnswers.complete, true)))
    : [];
  const expected = runIds.length
    ? await db
        .select({ runId: standupPrompts.runId, n: sql<number>`count(*)::int` })
        .from(standupPrompts)
        .where(and(inArray(standupPrompts.runId, runIds), eq(standupPrompts.status, 'expected')))
        .groupBy(standupPrompts.runId)
    : [];
  const catalog = await taskCatalog(deps);
  const now = deps.clock.now().toMillis();
  const workstreams: WorkstreamFacts[] = Object.entries(config.workstreams).map(([id, ws]) => {
    const sev = (s: Severity) => open.find((o) => o.workstreamId === id && o.severity === s)?.n ?? 0;
    const oldest = open.filter((o) => o.workstreamId === id).map((o) => new Date(o.oldest).getTime());
    const run = latest.rows.find((r) => r.workstream_id === id);
    let standup: WorkstreamFacts['standup'] = null;
    if (run) {
      const questions = run.questions;
      const mine = answers.filter((a) => a.runId === run.id);
      const risks = mine.map((a) => riskOf(questions, a.answers));
      standup = {
        localDate: run.local_date,
        red: risks.filter((r) => r === 'red').length,
        yellow: risks.filter((r) => r === 'yellow').length,
        answered: mine.length,
        expected: expected.find((e) => e.runId === run.id)?.n ?? 0,
      };
    }
    const items = ws.checklist;
    const checklistDone = items.filter((i) => ticked.has(`${id}\u0000${i}`)).length;
    const tasks = catalog.tasks.filter((t) => t.workstreamId === id);
    const progress = {
      percent: percentComplete({ tasks, checklistDone, checklistTotal: items.length }),
      tasksDone: tasks.filter((t) => t.done).length,
      tasksTotal: tasks.length,
      tasksOverdue: tasks.filter((t) => taskStatus(t, catalog.doneIds, now).kind === 'overdue').length,
    };
    return {
      id,
      name: ws.name,
      checklistDone: items.filter((i) => ticked.has(`${id}\u0000${i}`)).length,
      checklistTotal: items.length,
      checklistOpen: items.filter((i) => !ticked.has(`${id}\u0000${i}`)),
      progress,
      openBlockers: { P0: sev('P0'), P1: sev('P1'), P2: sev('P2') },
      oldestOpenBlockerAt: oldest.length ? Math.min(...oldest) : null,
      standup,
      activity: workstreamActivity(deps, id, starts),
    };
  });
  // open blockers of workstreams a reload removed keep escalating until resolved: listed under "removed"
  const removedIds = [...new Set(open.map((o) => o.workstreamId).filter((id): id is string => !!id && !(id in config.workstreams)))].sort();
  const removedWorkstreams = removedIds.map((id) => {
    const sev = (s: Severity) => open.find((o) => o.workstreamId === id && o.severity === s)?.n ?? 0;
    return { id, openBlockers: { P0: sev('P0'), P1: sev('P1'), P2: sev('P2') } };
  });
  return {
    gates,
    workstreams,
    removedWorkstreams,
    blockingBlockers: blockingRows,
    ...config.verdictThresholds,
    now: deps.clock.now().toMillis(),
  };
}
