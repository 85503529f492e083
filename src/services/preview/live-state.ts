import { isNotNull, ne } from 'drizzle-orm';
import { blockers, gateStates, memberOutOfOffice, standupRuns, standupSkips } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { PreviewBlocker, RecordedSkip, StartedRun } from '../../domain/preview/enumerate.js';
import type { OutOfOffice } from '../../domain/standups/schedule.js';
import { ladderState } from '../blockers/ladder-state.js';
import { rolesFor } from '../blockers/policy.js';
import { startGates, type StartGates } from '../workstreams/activity.js';

/** What the preview reads from Postgres: out-of-office spans, recorded skips, gate states and open blockers. */
export interface LiveState {
  outOfOffice: OutOfOffice[];
  skips: RecordedSkip[];
  /** Runs started early with `/standup start`: their date's scheduled check-in will not happen. */
  startedRuns: StartedRun[];
  /** Gate id → status; a gate without a row is pending. */
  gateStatus: Map<string, 'pending' | 'passed' | 'failed'>;
  /** Start gates as the lifecycle rule reads them (services/workstreams/activity.ts `startGates`: passed ones with when). */
  startGates: StartGates;
  /** Gates whose "not signed off by its due time" escalation is already under way (its steps are in `blockers`). */
  gatesEscalating: Set<string>;
  /** Open blockers (escalations of late gates included) with their ladder position. */
  blockers: PreviewBlocker[];
}

/**
 * Reads the live state the preview needs, in six queries (read-only).
 * @throws whatever the database throws (unreachable, not migrated): the caller falls back to the config alone.
 */
export async function readLiveState(db: Db, config: WorkspaceConfig): Promise<LiveState> {
  const ooo = await db.select().from(memberOutOfOffice);
  const skips = await db.select().from(standupSkips);
  const started = await db
    .select({ workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId, localDate: standupRuns.localDate, startedBy: standupRuns.startedBy })
    .from(standupRuns)
    .where(isNotNull(standupRuns.startedBy));
  const gates = await db.select({ gateId: gateStates.gateId, status: gateStates.status }).from(gateStates);
  const gatesForRule = await startGates(db);
  const open = await db.select().from(blockers).where(ne(blockers.status, 'resolved'));
  return {
    outOfOffice: ooo.map((o) => ({ userId: o.userId, from: o.fromDate, until: o.untilDate })),
    skips: skips.map((s) => ({ userId: s.userId, workstreamId: s.workstreamId, checkinId: s.checkinId, localDate: s.localDate })),
    startedRuns: started.map((r) => ({ workstreamId: r.workstreamId, checkinId: r.checkinId, localDate: r.localDate, startedBy: r.startedBy! })),
    gateStatus: new Map(gates.map((g) => [g.gateId, g.status])),
    startGates: gatesForRule,
    gatesEscalating: new Set(open.filter((b) => b.source === 'gate' && b.gateId).map((b) => b.gateId!)),
    blockers: open.map((b) => ({
      id: b.id,
      severity: b.severity,
      text: b.text,
      workstreamId: b.workstreamId,
      policy: b.policy,
      state: ladderState(b),
      roles: rolesFor(config, b.workstreamId),
    })),
  };
}
