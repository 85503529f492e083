import { and, eq, gte, isNotNull } from 'drizzle-orm';
import { memberOutOfOffice, standupRuns, standupSkips } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { zoneOf } from '../checkins/participation.js';
import { startGates, type StartGates } from '../workstreams/start-gates.js';
import { buildPreview } from './build.js';

/** One of a person's next check-ins, for App Home: times already formatted in the viewer's zone. */
export interface NextCheckin {
  /** "Tue 2 Dec 10:00", in the viewer's zone. */
  when: string;
  /** "Payments · Standup". */
  title: string;
  /** A DST change that day ("clocks go forward: 02:30 moves to 03:30"), else null. */
  dst: string | null;
}

/** How far ahead App Home looks for the next check-ins. */
const HORIZON_DAYS = 14;

/**
 * The next `count` check-ins that will prompt `userId` after now, from the preview (the same enumeration as
 * `npm run preview` and the scheduler), honouring their out-of-office, recorded skips and check-ins started early
 * with `/standup start` (they took their date's slot). Times in the viewer's own zone.
 * @param gates the lifecycle rule's start gates when the caller has read them already (App Home reads them once).
 * @returns the check-ins and that zone (IANA name).
 */
export async function nextCheckins(deps: Deps, userId: string, count = 5, gates?: StartGates): Promise<{ zone: string; items: NextCheckin[] }> {
  const now = deps.clock.now();
  const zone = zoneOf(deps.config, userId);
  const fromDate = now.setZone(deps.config.program.timezone).minus({ days: 1 }).toISODate()!;
  const [ooo, skips, started, gatesForRule] = await Promise.all([
    deps.db.select().from(memberOutOfOffice).where(eq(memberOutOfOffice.userId, userId)),
    deps.db
      .select()
      .from(standupSkips)
      .where(and(eq(standupSkips.userId, userId), gte(standupSkips.localDate, fromDate))),
    deps.db
      .select({ workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId, localDate: standupRuns.localDate, startedBy: standupRuns.startedBy })
      .from(standupRuns)
      .where(and(isNotNull(standupRuns.startedBy), gte(standupRuns.localDate, fromDate))),
    gates ?? startGates(deps.db),
  ]);
  const live = {
    outOfOffice: ooo.map((o) => ({ userId: o.userId, from: o.fromDate, until: o.untilDate })),
    skips: skips.map((s) => ({ userId: s.userId, workstreamId: s.workstreamId, checkinId: s.checkinId, localDate: s.localDate })),
    startedRuns: started.map((r) => ({ workstreamId: r.workstreamId, checkinId: r.checkinId, localDate: r.localDate, startedBy: r.startedBy! })),
    gateStatus: new Map(),
    gateSigned: new Map(),
    doneIds: new Set<string>(),
    tasksEscalating: new Set<string>(),
    // the lifecycle rule's gate states: a workstream waiting on its gate has no next check-ins
    startGates: gatesForRule,
    gatesEscalating: new Set<string>(),
    blockers: [],
  };
  const items = buildPreview(deps.config, live, fromDate, HORIZON_DAYS + 1, { userId })
    .events.filter((e) => e.kind === 'checkin_prompt' && e.at > now)
    .slice(0, count)
    .map((p) => ({ when: p.at.setZone(zone).toFormat('ccc d LLL HH:mm'), title: p.summary.replace(/: prompt$/, ''), dst: p.dst }));
  return { zone, items };
}
