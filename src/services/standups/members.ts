import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import { memberOutOfOffice, standupAnswers, standupPrompts, standupRuns, standupSkips } from '../../db/schema/index.js';
import { immediateOccurrence, nextOccurrence, runToSkip } from '../../domain/standups/schedule.js';
import type { Deps } from '../deps.js';
import type { Refusal } from '../../domain/permissions.js';
import { may } from '../permissions.js';
import { workstreamStandup, workstreamsOf, zoneOf } from './plans.js';
import { startRun, type StartResult } from './runs.js';

type Run = typeof standupRuns.$inferSelect;

/**
 * The open run a member should answer now: the given one, else their latest open run (optionally in one
 * workstream). Returns why not otherwise, with the next scheduled standup as a hint.
 */
export async function runToAnswer(
  deps: Deps,
  userId: string,
  opts: { runId?: number; workstreamId?: string },
): Promise<{ ok: true; run: Run; closeAt: Date; zone: string } | { ok: false; reason: 'not-member' | 'none-open'; next?: string }> {
  const conditions = [eq(standupPrompts.userId, userId)];
  if (opts.runId) conditions.push(eq(standupRuns.id, opts.runId));
  else conditions.push(eq(standupRuns.status, 'open'));
  if (opts.workstreamId) conditions.push(eq(standupRuns.workstreamId, opts.workstreamId));
  const [row] = await deps.db
    .select({ run: standupRuns, closeAt: standupPrompts.closeAt, zone: standupPrompts.zone })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(and(...conditions))
    .orderBy(desc(standupPrompts.promptAt))
    .limit(1);
  if (row) return { ok: true, run: row.run, closeAt: row.closeAt, zone: row.zone };
  const mine = workstreamsOf(deps.config, userId).filter((w) => !opts.workstreamId || w === opts.workstreamId);
  if (mine.length === 0) return { ok: false, reason: 'not-member' };
  const now = deps.clock.now();
  const next = mine
    .map((id) => ({ ws: workstreamStandup(deps.config, id), occ: nextOccurrence(workstreamStandup(deps.config, id).plan, now) }))
    .filter((x) => x.occ)
    .sort((a, b) => a.occ!.openAt.toMillis() - b.occ!.openAt.toMillis())[0];
  const zone = zoneOf(deps.config, userId);
  return {
    ok: false,
    reason: 'none-open',
    next: next
      ? `*${next.ws.name}* on ${next
          .occ!.members.find((m) => m.userId === userId)!
          .promptAt.setZone(zone)
          .toFormat("ccc d LLL 'at' HH:mm ZZZZ")}`
      : undefined,
  };
}

/** What `/standup skip` did in one workstream, and to which run: its workstream-local date and the member's prompt. */
export interface SkipOutcome {
  workstream: string;
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
 * `/standup skip`: skips the member's next standup in the given workstream, or in every workstream of the member:
 * their run still open now (its window for them not closed), else the next scheduled one ({@link runToSkip}), which
 * for a member east of the workstream is often the workstream's "tomorrow". An open run marks the prompt skipped
 * (no prompt, no reminder); before the run opens the skip is recorded and applied when it opens.
 * @returns per workstream, what happened and to which run (date and the member's prompt time), for the answer.
 */
export async function skipToday(deps: Deps, userId: string, workstreamId?: string): Promise<SkipResult> {
  const wsIds = workstreamId ? [workstreamId] : workstreamsOf(deps.config, userId);
  const now = deps.clock.now();
  const out: SkipResult = [];
  for (const id of wsIds) {
    const ws = workstreamStandup(deps.config, id);
    const [open] = await deps.db
      .select({ prompt: standupPrompts, run: standupRuns })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .where(and(eq(standupRuns.workstreamId, id), eq(standupRuns.status, 'open'), eq(standupPrompts.userId, userId), gt(standupPrompts.closeAt, now.toJSDate())))
      .orderBy(asc(standupPrompts.promptAt))
      .limit(1);
    const next = open ? null : runToSkip(ws.plan, userId, now);
    const localDate = open?.run.localDate ?? next?.localDate ?? now.setZone(ws.zone).toISODate()!;
    const target = {
      workstream: ws.name,
      localDate,
      promptAt: open?.prompt.promptAt ?? next?.slot.promptAt.toJSDate() ?? null,
      zone: open?.prompt.zone ?? next?.slot.zone ?? zoneOf(deps.config, userId),
    };
    const [row] = open
      ? [open]
      : await deps.db
          .select({ prompt: standupPrompts, run: standupRuns })
          .from(standupPrompts)
          .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
          .where(and(eq(standupRuns.workstreamId, id), eq(standupRuns.localDate, localDate), eq(standupPrompts.userId, userId)));
    if (!row || row.run.status !== 'open') {
      await deps.db.insert(standupSkips).values({ userId, workstreamId: id, localDate }).onConflictDoNothing();
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
  const changed = await deps.db
    .update(standupPrompts)
    .set({ status })
    .where(and(inArray(standupPrompts.id, promptIds), inArray(standupPrompts.status, ['pending', 'sent'])))
    .returning({ runId: standupPrompts.runId });
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
 * `/standup start <workstream>`: its leads or the PM start today's run now (see immediateOccurrence).
 * @returns 'forbidden' with the refusal naming who can (domain/permissions.ts), or the StartResult (created false when today's run already exists).
 */
export async function startNow(deps: Deps, userId: string, workstreamId: string): Promise<{ kind: 'forbidden'; refusal: Refusal } | ({ kind: 'started' } & StartResult) | { kind: 'no-members' }> {
  const allowed = may(deps.config, userId, { on: 'run', verb: 'start', workstreamId });
  if (!allowed.allowed) return { kind: 'forbidden', refusal: allowed };
  const ws = workstreamStandup(deps.config, workstreamId);
  if (ws.plan.members.length === 0) return { kind: 'no-members' };
  const res = await startRun(deps, ws, immediateOccurrence(ws.plan, deps.clock.now()), userId);
  if (res.created) deps.log.info({ workstream: workstreamId, runId: res.runId, by: userId }, 'standup run started by command');
  return { kind: 'started', ...res };
}
