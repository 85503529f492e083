import { and, asc, eq, gt } from 'drizzle-orm';
import { standupAnswers, standupPrompts, standupRuns, standupSkips } from '../../db/schema/index.js';
import { runToSkip } from '../../domain/checkins/schedule.js';
import type { Deps } from '../deps.js';
import { markPrompts } from './mark-prompts.js';
import { checkinsFor, zoneOf } from './participation.js';

type Run = typeof standupRuns.$inferSelect;

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
