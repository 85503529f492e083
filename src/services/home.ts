import { and, desc, eq } from 'drizzle-orm';
import { standupAnswers, standupPrompts, standupRuns } from '../db/schema/index.js';
import { myOpenBlockers } from './blockers/queries.js';
import { blockerView } from './blockers/view.js';
import type { Activity } from '../domain/workstreams/activity.js';
import type { Deps } from './deps.js';
import { PROGRAM_WORKSTREAM, STANDUP_CHECKIN } from '../domain/checkins/plans.js';
import { occurrenceOn } from '../domain/checkins/schedule.js';
import { nextCheckins } from './preview/next-checkins.js';
import { holdingOccurrence, startGates, type StartGates, workstreamActivity } from './workstreams/start-gates.js';
import { checkinsFor, zoneOf } from './checkins/participation.js';
import { localClock } from './checkins/prompts.js';
import type { OncallNote } from '../domain/oncall/note.js';
import { myOnCall } from './oncall/ladder.js';

/**
 * A member's check-in today (one line per check-in that prompts them; "today" in its workstream's zone): the
 * `workstreamName` is "Omega" for a standup, "Omega · Checkpoint 13:00" for another check-in. Clock
 * strings are the member's own close time in their zone ("12:00 EST"); `at`/`zone` are the workstream's plan.
 */
export type HomeStandup = { workstreamName: string } & (
  | { state: 'no run yet'; at: string; zone: string }
  | { state: 'answered' /** Set while the run is open: the answer can still be edited until then. */; editableUntil: string | null }
  | { state: 'waiting'; closesAt: string }
  | { state: 'skipped' }
  | { state: 'ooo' }
  | { state: 'closed' }
  /** The workstream holds no check-ins now (domain/workstreams/activity.ts): waiting for a gate, not started, ended. */
  | { state: 'inactive'; activity: Exclude<Activity, { state: 'active' }>; zone: string }
);

/** What the App Home tab shows a member: their standups today, then their open blockers by relation. */
export interface HomeModel {
  standups: HomeStandup[];
  /** The viewer's next check-ins (up to 5, services/preview), times in their own zone; homeModel always sets it. */
  nextCheckins?: Awaited<ReturnType<typeof nextCheckins>>;
  /** The rotations the viewer is on call for now (issue 22); homeModel always sets it. */
  oncall?: OncallNote[];
  /** Waiting on you (owner), escalated to you (a notice was sent to you), raised by you; oldest first. */
  blockers: { title: string; items: ReturnType<typeof blockerView>[] }[];
}

async function myStandups(deps: Deps, userId: string, gates: StartGates): Promise<HomeStandup[]> {
  const out: HomeStandup[] = [];
  const inactiveShown = new Set<string>();
  for (const c of checkinsFor(deps.config, userId)) {
    const today = deps.clock.now().setZone(c.zone).toISODate()!;
    const [row] = await deps.db
      .select({ run: standupRuns, prompt: standupPrompts })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .where(and(eq(standupRuns.workstreamId, c.workstreamId), eq(standupRuns.checkinId, c.checkinId), eq(standupRuns.localDate, today), eq(standupPrompts.userId, userId)))
      .orderBy(desc(standupRuns.id))
      .limit(1);
    const workstreamName = c.checkinId === STANDUP_CHECKIN ? c.name : `${c.name} · ${c.checkinName}`;
    if (!row && c.workstreamId !== PROGRAM_WORKSTREAM) {
      // a workstream that holds no check-ins now: one line saying why, whatever number of check-ins it declares
      const activity = workstreamActivity(deps, c.workstreamId, gates);
      if (activity.state !== 'active') {
        if (!inactiveShown.has(c.workstreamId)) out.push({ workstreamName: c.name, state: 'inactive', activity, zone: c.zone });
        inactiveShown.add(c.workstreamId);
        continue;
      }
    }
    if (!row) {
      // only check-ins that happen today (their days, and their workstream holding check-ins today)
      const occ = occurrenceOn(c.plan, today);
      if (occ && holdingOccurrence(deps.config, occ, deps.clock.now(), gates)?.members.some((m) => m.userId === userId)) out.push({ workstreamName, state: 'no run yet', at: c.plan.at, zone: c.zone });
      continue;
    }
    const [answer] = await deps.db
      .select({ complete: standupAnswers.complete })
      .from(standupAnswers)
      .where(and(eq(standupAnswers.runId, row.run.id), eq(standupAnswers.userId, userId)));
    const closes = localClock(row.prompt.closeAt, row.prompt.zone);
    if (answer?.complete) out.push({ workstreamName, state: 'answered', editableUntil: row.run.status === 'open' ? closes : null });
    else if (row.prompt.status === 'skipped') out.push({ workstreamName, state: 'skipped' });
    else if (row.prompt.status === 'ooo') out.push({ workstreamName, state: 'ooo' });
    else if (row.run.status !== 'open') out.push({ workstreamName, state: 'closed' });
    else out.push({ workstreamName, state: 'waiting', closesAt: closes });
  }
  return out;
}

/** The Home tab model for `userId` at the clock's now (Postgres reads only; rendering is slack/blocks/home.ts). */
export async function homeModel(deps: Deps, userId: string): Promise<HomeModel> {
  const now = deps.clock.now().toJSDate();
  // gate states once for both sections; the three reads are independent
  const gates = await startGates(deps.db);
  const zone = zoneOf(deps.config, userId);
  const [mine, standups, next, oncall] = await Promise.all([
    myOpenBlockers(deps.db, userId),
    myStandups(deps, userId, gates),
    nextCheckins(deps, userId, 5, gates),
    myOnCall(deps, userId, deps.clock.now(), zone),
  ]);
  const v = (rows: typeof mine.raised) => rows.map((b) => blockerView(deps.config, b, now, zone));
  return {
    standups,
    nextCheckins: next,
    oncall,
    blockers: [
      { title: 'Waiting on you', items: v(mine.waiting) },
      { title: 'Escalated to you', items: v(mine.escalated) },
      { title: 'Raised by you', items: v(mine.raised) },
    ],
  };
}
