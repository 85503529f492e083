import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { memberOutOfOffice, standupAnswers, standupPrompts, standupRuns, standupSkips } from '../../db/schema/index.js';
import { immediateOccurrence, nextOccurrence, occurrenceOn } from '../../domain/standups/schedule.js';
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
    next: next ? `*${next.ws.name}* on ${next.occ!.members.find((m) => m.userId === userId)!.promptAt.setZone(zone).toFormat("ccc d LLL 'at' HH:mm ZZZZ")}` : undefined,
  };
}

/**
 * The workstream-local date of the run `/standup skip` means: the earliest run (yesterday, today or the coming
 * days in the workstream's zone) whose window for this member has not closed yet. For a member east of the
 * workstream (Tokyo in a New York workstream) that is often the workstream's "tomorrow".
 */
export function runDateToSkip(ws: ReturnType<typeof workstreamStandup>, userId: string, now: DateTime): string {
  const today = now.setZone(ws.zone).startOf('day');
  for (const d of [-1, 0, 1, 2, 3, 4, 5, 6, 7]) {
    const date = today.plus({ days: d }).toISODate()!;
    const slot = occurrenceOn(ws.plan, date)?.members.find((m) => m.userId === userId);
    if (slot && slot.closeAt > now) return date;
  }
  return today.toISODate()!;
}

export type SkipResult = { workstream: string; outcome: 'skipped' | 'skip-recorded' | 'already-answered' }[];

/**
 * `/standup skip`: skips today's standup in the given workstream, or in every workstream of the member.
 * An open run marks the prompt skipped (no prompt, no reminder); before the run opens the skip is recorded
 * and applied when it opens.
 */
export async function skipToday(deps: Deps, userId: string, workstreamId?: string): Promise<SkipResult> {
  const wsIds = workstreamId ? [workstreamId] : workstreamsOf(deps.config, userId);
  const now = deps.clock.now();
  const out: SkipResult = [];
  for (const id of wsIds) {
    const ws = workstreamStandup(deps.config, id);
    const today = runDateToSkip(ws, userId, now);
    const [row] = await deps.db
      .select({ prompt: standupPrompts, run: standupRuns })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .where(and(eq(standupRuns.workstreamId, id), eq(standupRuns.localDate, today), eq(standupPrompts.userId, userId)));
    if (!row || row.run.status !== 'open') {
      await deps.db.insert(standupSkips).values({ userId, workstreamId: id, localDate: today }).onConflictDoNothing();
      out.push({ workstream: ws.name, outcome: 'skip-recorded' });
      continue;
    }
    const [answer] = await deps.db.select({ complete: standupAnswers.complete }).from(standupAnswers).where(and(eq(standupAnswers.runId, row.run.id), eq(standupAnswers.userId, userId)));
    if (answer?.complete) {
      out.push({ workstream: ws.name, outcome: 'already-answered' });
      continue;
    }
    await markPrompts(deps, [row.prompt.id], 'skipped');
    out.push({ workstream: ws.name, outcome: 'skipped' });
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
  await markPrompts(deps, open.map((o) => o.id), 'ooo');
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

