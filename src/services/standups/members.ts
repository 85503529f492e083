import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import { memberOutOfOffice, standupAnswers, standupPrompts, standupRuns, standupSkips } from '../../db/schema/index.js';
import { type CheckinSetup, checkinsOf, STANDUP_CHECKIN } from '../../domain/checkins/plans.js';
import { immediateOccurrence, nextOccurrence, runToSkip } from '../../domain/standups/schedule.js';
import type { Deps } from '../deps.js';
import type { Refusal } from '../../domain/permissions.js';
import { may } from '../permissions.js';
import { holdingOccurrence, startGates } from '../workstreams/activity.js';
import { checkinsFor, zoneOf } from './plans.js';
import { localClock } from './prompts.js';
import { startRun, type StartResult } from './runs.js';
import * as transitions from '../delivery/transitions.js';
import { PROMPT } from './delivery-kinds.js';

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

/** What `/standup skip` did to one check-in, and to which run: its workstream-local date and the member's prompt. */
export interface SkipOutcome {
  workstream: string;
  /** The check-in's display name ("Standup" for the standup). */
  checkin: string;
  outcome: 'skipped' | 'skip-recorded' | 'already-answered';
  /** The run's workstream-local date, YYYY-MM-DD. */
  localDate: string;
  /** When that run prompts (or prompted) the member, UTC; null when no run in the coming week includes them. */
  promptAt: Date | null;
  /** The member's IANA zone for that run, to say "10:00 your time". */
  zone: string;
}
export type SkipResult = SkipOutcome[];

/**
 * `/standup skip`: skips the member's next day of check-ins, per workstream (and for program check-ins): for each
 * check-in, its run still open for them now, else its next scheduled one ({@link runToSkip}); of those, the ones on
 * the earliest workstream-local date (today's remaining check-ins, or the next day's when today's are over). For a
 * member east of the workstream that is often the workstream's "tomorrow". With a workstream (and check-in), only
 * that one. An open run marks the prompt skipped (no prompt, no reminder); before the run opens the skip is recorded
 * and applied when it opens.
 * @returns per check-in, what happened and to which run (date and the member's prompt time), for the answer.
 */
export async function skipToday(deps: Deps, userId: string, workstreamId?: string, checkinId?: string): Promise<SkipResult> {
  const setups = checkinsFor(deps.config, userId).filter((c) => (!workstreamId || c.workstreamId === workstreamId) && (!checkinId || c.checkinId === checkinId));
  const now = deps.clock.now();
  const targets: { c: (typeof setups)[number]; open: { prompt: typeof standupPrompts.$inferSelect; run: Run } | undefined; localDate: string; promptAt: Date | null; zone: string }[] = [];
  for (const c of setups) {
    const [open] = await deps.db
      .select({ prompt: standupPrompts, run: standupRuns })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .where(
        and(
          eq(standupRuns.workstreamId, c.workstreamId),
          eq(standupRuns.checkinId, c.checkinId),
          eq(standupRuns.status, 'open'),
          eq(standupPrompts.userId, userId),
          gt(standupPrompts.closeAt, now.toJSDate()),
        ),
      )
      .orderBy(asc(standupPrompts.promptAt))
      .limit(1);
    const next = open ? null : runToSkip(c.plan, userId, now);
    if (!open && !next) continue;
    targets.push({
      c,
      open,
      localDate: open?.run.localDate ?? next!.localDate,
      promptAt: open?.prompt.promptAt ?? next?.slot.promptAt.toJSDate() ?? null,
      zone: open?.prompt.zone ?? next?.slot.zone ?? zoneOf(deps.config, userId),
    });
  }
  const firstDate = new Map<string, string>();
  for (const t of targets) {
    const d = firstDate.get(t.c.workstreamId);
    if (!d || t.localDate < d) firstDate.set(t.c.workstreamId, t.localDate);
  }
  const out: SkipResult = [];
  for (const t of targets) {
    if (t.localDate !== firstDate.get(t.c.workstreamId)) continue;
    const target = { workstream: t.c.name, checkin: t.c.checkinName, localDate: t.localDate, promptAt: t.promptAt, zone: t.zone };
    const [row] = t.open
      ? [t.open]
      : await deps.db
          .select({ prompt: standupPrompts, run: standupRuns })
          .from(standupPrompts)
          .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
          .where(and(eq(standupRuns.workstreamId, t.c.workstreamId), eq(standupRuns.checkinId, t.c.checkinId), eq(standupRuns.localDate, t.localDate), eq(standupPrompts.userId, userId)));
    if (!row || row.run.status !== 'open') {
      await deps.db.insert(standupSkips).values({ userId, workstreamId: t.c.workstreamId, checkinId: t.c.checkinId, localDate: t.localDate }).onConflictDoNothing();
      out.push({ ...target, outcome: 'skip-recorded' });
      continue;
    }
    const [answer] = await deps.db
      .select({ complete: standupAnswers.complete })
      .from(standupAnswers)
      .where(and(eq(standupAnswers.runId, row.run.id), eq(standupAnswers.userId, userId)));
    if (answer?.complete) {
      out.push({ ...target, outcome: 'already-answered' });
      continue;
    }
    await markPrompts(deps, [row.prompt.id], 'skipped');
    out.push({ ...target, outcome: 'skipped' });
  }
  return out;
}

/** Sets prompts (not yet answered) to skipped/ooo and re-renders their reports. */
async function markPrompts(deps: Deps, promptIds: number[], status: 'skipped' | 'ooo'): Promise<void> {
  if (promptIds.length === 0) return;
  // prompts whose DM is not being sent right now (raw SQL: drizzle writes an UPDATE's columns unqualified)
  const changed = await deps.db
    .update(standupPrompts)
    .set({ status })
    .where(
      and(
        inArray(standupPrompts.id, promptIds),
        eq(standupPrompts.status, 'expected'),
        sql`EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = ${PROMPT} AND d.owner_key = standup_prompts.id::text AND d.status IN ('pending', 'sent'))`,
      ),
    )
    .returning({ id: standupPrompts.id, runId: standupPrompts.runId });
  // a DM not sent yet never will be
  await transitions.giveUp(
    deps.db,
    PROMPT,
    changed.map((c) => c.id),
    'cancelled',
    status,
  );
  const runIds = [...new Set(changed.map((c) => c.runId))];
  if (runIds.length === 0) return;
  const bumped = await deps.db
    .update(standupRuns)
    .set({ reportVersion: sql`${standupRuns.reportVersion} + 1` })
    .where(inArray(standupRuns.id, runIds))
    .returning({ id: standupRuns.id, version: standupRuns.reportVersion });
  await deps.wakeups.renderReports(bumped.map((b) => ({ runId: b.id, version: b.version })));
}

/**
 * `/standup ooo`: the member is out of office from `from` to `until` (inclusive, local dates). Replaces any
 * earlier span. Open runs on a date inside the span mark the member out of office.
 */
export async function setOutOfOffice(deps: Deps, userId: string, from: string, until: string): Promise<void> {
  const now = deps.clock.now().toJSDate();
  await deps.db
    .insert(memberOutOfOffice)
    .values({ userId, fromDate: from, untilDate: until, setAt: now })
    .onConflictDoUpdate({ target: memberOutOfOffice.userId, set: { fromDate: from, untilDate: until, setAt: now } });
  const open = await deps.db
    .select({ id: standupPrompts.id })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(and(eq(standupPrompts.userId, userId), eq(standupRuns.status, 'open'), gte(standupRuns.localDate, from), lte(standupRuns.localDate, until)));
  await markPrompts(
    deps,
    open.map((o) => o.id),
    'ooo',
  );
}

/** `/standup back`: ends the member's out-of-office. @returns false when none was set. */
export async function endOutOfOffice(deps: Deps, userId: string): Promise<boolean> {
  const removed = await deps.db.delete(memberOutOfOffice).where(eq(memberOutOfOffice.userId, userId)).returning();
  return removed.length > 0;
}

/**
 * `/standup start <workstream> [check-in]`: its leads or the PM (only the PM for a program check-in) start that
 * check-in's run for today now (see immediateOccurrence). Without a check-in id: the workstream's only check-in;
 * with several, `which` lists them.
 * @returns 'forbidden' with the refusal naming who can (domain/permissions.ts), 'which' / 'unknown-checkin' with the
 *   check-in ids, or the StartResult (created false when today's run of that check-in already exists).
 */
export async function startNow(
  deps: Deps,
  userId: string,
  workstreamId: string,
  checkinId?: string,
): Promise<
  | { kind: 'forbidden'; refusal: Refusal }
  | ({ kind: 'started'; checkin: CheckinSetup } & StartResult)
  | { kind: 'no-members'; checkin: CheckinSetup }
  | { kind: 'which'; checkinIds: string[] }
  | { kind: 'unknown-checkin'; checkinIds: string[] }
> {
  const allowed = may(deps.config, userId, { on: 'run', verb: 'start', workstreamId });
  if (!allowed.allowed) return { kind: 'forbidden', refusal: allowed };
  const all = checkinsOf(deps.config, workstreamId);
  const ids = all.map((c) => c.checkinId);
  const ws = checkinId ? all.find((c) => c.checkinId === checkinId) : all.length === 1 ? all[0] : undefined;
  if (!ws) return checkinId ? { kind: 'unknown-checkin', checkinIds: ids } : { kind: 'which', checkinIds: ids };
  if (ws.plan.members.length === 0) return { kind: 'no-members', checkin: ws };
  const now = deps.clock.now();
  const immediate = immediateOccurrence(ws.plan, now);
  // `/standup start <ws>` is an explicit override of a waiting or inactive workstream (docs/usage.md); a program check-in
  // started by the PM still leaves out the sections of workstreams that hold no check-ins now
  const occ = ws.program ? (holdingOccurrence(deps.config, immediate, now, await startGates(deps.db)) ?? { ...immediate, members: [] }) : immediate;
  if (occ.members.length === 0) return { kind: 'no-members', checkin: ws };
  const res = await startRun(deps, ws, occ, userId);
  if (res.created) deps.log.info({ workstream: workstreamId, checkin: ws.checkinId, runId: res.runId, by: userId }, 'check-in run started by command');
  return { kind: 'started', checkin: ws, ...res };
}
