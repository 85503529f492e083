import { and, eq } from 'drizzle-orm';
import { standupAnswers, standupRuns } from '../../db/schema/index.js';
import { checkinsOf } from '../../domain/checkins/plans.js';
import { immediateOccurrence } from '../../domain/checkins/schedule.js';
import type { Question } from '../../domain/program/questions.js';
import type { RetroAnswer } from '../../domain/retro/retro.js';
import { startRun } from '../checkins/runs.js';
import type { Deps } from '../deps.js';

/** The retro check-in's id on its runs (`standup_runs.checkin_id`); no configured check-in may take it. */
export const RETRO_CHECKIN = 'retro';

/** Issue 23: "What went well? What didn't? What would you change?" (each may be left empty but one). */
export const RETRO_QUESTIONS: Question[] = [
  { id: 'went_well', prompt: 'What went well?', kind: 'text', required: true },
  { id: 'did_not', prompt: "What didn't?", kind: 'text', required: true },
  { id: 'change', prompt: 'What would you change?', kind: 'text', required: true },
];

/** How long the retro check-in stays open for answers: two days, whatever the workstream's standup window. */
export const RETRO_WINDOW_MS = 2 * 24 * 3_600_000;

/**
 * Opens the retro check-in for every participant (issue 23): one run per workstream, built from the workstream's
 * first check-in (its members, zone, report channel) with the {@link RETRO_QUESTIONS}, id {@link RETRO_CHECKIN},
 * open {@link RETRO_WINDOW_MS}, started now by the ordinary check-in machinery (services/checkins/runs.ts startRun:
 * prompts by DM, one reminder, the report in the workstream channel, answers by form or DM). Exactly once per
 * workstream and local date (the run's unique key).
 * @param startedBy who asked (`/preflight retro`), null when Preflight opened it after `program.end`
 * @returns the run ids created now (none for a workstream whose retro run of today exists or who has no members)
 */
export async function startRetroCheckin(deps: Pick<Deps, 'db' | 'wakeups' | 'clock' | 'config'>, startedBy: string | null): Promise<number[]> {
  const now = deps.clock.now();
  const created: number[] = [];
  for (const workstreamId of Object.keys(deps.config.workstreams)) {
    const base = checkinsOf(deps.config, workstreamId)[0];
    if (!base || base.plan.members.length === 0) continue;
    const plan = { ...base.plan, checkinId: RETRO_CHECKIN, remindAfterMs: 24 * 3_600_000, closeAfterMs: RETRO_WINDOW_MS };
    const setup = { ...base, checkinId: RETRO_CHECKIN, checkinName: 'Retrospective', questions: RETRO_QUESTIONS, plan };
    const res = await startRun(deps, setup, immediateOccurrence(plan, now), startedBy);
    if (res.created) created.push(res.runId);
  }
  return created;
}

const text = (v: string | number | undefined) => (typeof v === 'string' && v.trim() && v.trim().toLowerCase() !== 'none' ? v.trim() : null);

/**
 * The retro check-in's complete answers (late ones included), for the retro's "What the teams said": workstream,
 * person, the three answers verbatim, when completed. Permalink null: answers come by DM or form, not as a message
 * of the channel.
 */
export async function retroAnswers(deps: Pick<Deps, 'db'>): Promise<RetroAnswer[]> {
  const rows = await deps.db
    .select({ workstreamId: standupRuns.workstreamId, userId: standupAnswers.userId, answers: standupAnswers.answers, at: standupAnswers.completedAt })
    .from(standupAnswers)
    .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
    .where(and(eq(standupRuns.checkinId, RETRO_CHECKIN), eq(standupAnswers.complete, true)))
    .orderBy(standupAnswers.completedAt, standupAnswers.id);
  return rows.map((r) => {
    const a = r.answers as Record<string, string | number>;
    return { workstreamId: r.workstreamId, userId: r.userId, wentWell: text(a.went_well), didNot: text(a.did_not), change: text(a.change), at: r.at?.getTime() ?? 0, permalink: null };
  });
}
