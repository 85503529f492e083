import { isNotNull, ne } from 'drizzle-orm';
import { blockers, gateSignatures, gateStates, memberOutOfOffice, oncallRotations, standupRuns, standupSkips } from '../../db/schema/index.js';
import { sourceOf } from '../../domain/oncall/declaration.js';
import type { Shift } from '../../domain/oncall/rotation.js';
import { shiftFromStored } from '../oncall/rotations.js';
import type { Db } from '../../db/client.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { OpenedCheckin } from '../../domain/plan/plan-diff.js';
import type { PreviewBlocker, RecordedSkip, StartedRun } from '../../domain/preview/enumerate.js';
import type { OutOfOffice } from '../../domain/checkins/schedule.js';
import { ladderState } from '../blockers/ladder-state.js';
import { rolesFor } from '../blockers/policy.js';
import { noDelegateOn } from '../blockers/gate-cover.js';
import { taskCatalog } from '../tasks/catalog.js';
import { startGates, type StartGates } from '../workstreams/start-gates.js';

/** What the preview reads from Postgres: out-of-office spans, recorded skips, gate states and open blockers. */
export interface LiveState {
  outOfOffice: OutOfOffice[];
  skips: RecordedSkip[];
  /** Runs started early with `/standup start`: their date's scheduled check-in will not happen. */
  startedRuns: StartedRun[];
  /**
   * Every check-in occurrence with a run recorded (opened, closed or missed; the plan diff's `opened`,
   * domain/plan/plan-diff.ts): the scheduler never opens one again. Absent: not read (the preview does not need it).
   */
  openedRuns?: OpenedCheckin[];
  /** Gate id → status; a gate without a row is pending. */
  gateStatus: Map<string, 'pending' | 'passed' | 'failed'>;
  /** Gate id → who has signed it so far (a joint `all_of` gate half-signed escalates only to the signers missing). */
  gateSigned: Map<string, string[]>;
  /** Start gates as the lifecycle rule reads them (services/workstreams/start-gates.ts `startGates`: passed ones with when). */
  startGates: StartGates;
  /** Gates whose "not signed off by its due time" escalation is already under way (its steps are in `blockers`). */
  gatesEscalating: Set<string>;
  /** Ids of what is done (tasks done, gates passed: what a task's `requires` may name; services/tasks/catalog.ts). */
  doneIds: Set<string>;
  /** Tasks whose due-time escalation is already under way (its steps are in `blockers`). */
  tasksEscalating: Set<string>;
  /** Open blockers (escalations of late gates included) with their ladder position. */
  blockers: PreviewBlocker[];
  /**
   * The last known shifts of each feed rotation the config declares (`oncall_rotations`, issue 22), by rotation id:
   * who `oncall:<id>` steps would ping. Absent: not read.
   */
  oncallShifts?: Map<string, Shift[]>;
}

/**
 * Reads the live state the preview and the plan diff need, in ten queries (read-only).
 * @throws whatever the database throws (unreachable, not migrated): the caller falls back to the config alone.
 */
export async function readLiveState(db: Db, config: WorkspaceConfig): Promise<LiveState> {
  const ooo = await db.select().from(memberOutOfOffice);
  const skips = await db.select().from(standupSkips);
  const started = await db
    .select({ workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId, localDate: standupRuns.localDate, startedBy: standupRuns.startedBy })
    .from(standupRuns)
    .where(isNotNull(standupRuns.startedBy));
  const opened = await db.select({ workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId, localDate: standupRuns.localDate }).from(standupRuns);
  const gates = await db.select({ gateId: gateStates.gateId, status: gateStates.status }).from(gateStates);
  const gatesForRule = await startGates(db);
  const signatures = await db.select({ gateId: gateSignatures.gateId, userId: gateSignatures.userId }).from(gateSignatures);
  const gateSigned = new Map<string, string[]>();
  for (const r of signatures) gateSigned.set(r.gateId, [...(gateSigned.get(r.gateId) ?? []), r.userId]);
  const { doneIds } = await taskCatalog({ db, config });
  const open = await db.select().from(blockers).where(ne(blockers.status, 'resolved'));
  const feeds = Object.entries(config.program.oncall ?? {}).filter(([, r]) => sourceOf(r) !== 'config');
  const stored = feeds.length ? await db.select().from(oncallRotations) : [];
  const oncallShifts = new Map<string, Shift[]>();
  for (const [id, r] of feeds) {
    const row = stored.find((x) => x.rotationId === id && x.source === sourceOf(r));
    if (row) oncallShifts.set(id, row.shifts.map(shiftFromStored));
  }
  return {
    oncallShifts,
    outOfOffice: ooo.map((o) => ({ userId: o.userId, from: o.fromDate, until: o.untilDate, delegate: o.delegate })),
    skips: skips.map((s) => ({ userId: s.userId, workstreamId: s.workstreamId, checkinId: s.checkinId, localDate: s.localDate })),
    startedRuns: started.map((r) => ({ workstreamId: r.workstreamId, checkinId: r.checkinId, localDate: r.localDate, startedBy: r.startedBy! })),
    openedRuns: opened,
    gateStatus: new Map(gates.map((g) => [g.gateId, g.status])),
    startGates: gatesForRule,
    gateSigned,
    doneIds,
    tasksEscalating: new Set(open.filter((b) => b.source === 'task' && b.taskId).map((b) => b.taskId!)),
    gatesEscalating: new Set(open.filter((b) => b.source === 'gate' && b.gateId).map((b) => b.gateId!)),
    blockers: open.map((b) => ({
      id: b.id,
      severity: b.severity,
      text: b.text,
      workstreamId: b.workstreamId,
      policy: b.policy,
      state: ladderState(b),
      roles: rolesFor(config, b.workstreamId),
      // as services/blockers/escalate.ts: a gate's signers only under delegate_may_sign: true
      noDelegate: noDelegateOn(config, b),
    })),
  };
}
