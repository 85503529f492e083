import { signersNotDelegated } from '../../domain/people/cover.js';
import { configRotationsAt, feedRotationsAt } from '../../domain/oncall/rotation.js';
import { DateTime } from 'luxon';
import { configuredDelegates } from '../people/away.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { PreviewCheckin } from '../../domain/preview/checkin-occurrences.js';
import { previewEvents, type PreviewFilter, type PreviewGate, type PreviewInput, type PreviewTask, type WorkstreamActivity } from '../../domain/preview/enumerate.js';
import type { Preview } from '../../domain/preview/events.js';
import { gatePolicy } from '../gonogo/gates.js';
import { addDays, localDayStart } from '../../domain/checkins/days.js';
import { PROGRAM_WORKSTREAM, scheduledCheckins } from '../../domain/checkins/plans.js';
import { zoneOf } from '../checkins/participation.js';
import { activityRule, runOpening, type StartGates } from '../workstreams/start-gates.js';
import { activityAt } from '../../domain/workstreams/activity.js';
import type { LiveState } from './live-state.js';
import { configuredTasks, taskDueAt } from '../tasks/catalog.js';
import { taskEscalation } from '../tasks/escalate.js';
import { rolesFor } from '../blockers/policy.js';

/**
 * The check-ins the scheduler runs, from the same plans it uses (domain/checkins/plans.ts `scheduledCheckins`: every
 * workstream's and the program's check-ins with someone to prompt).
 */
export function previewCheckins(config: WorkspaceConfig): PreviewCheckin[] {
  return scheduledCheckins(config).map((c) => ({
    workstreamId: c.workstreamId,
    workstreamName: c.name,
    checkinId: c.checkinId,
    checkinName: c.checkinName,
    program: c.program,
    plan: c.plan,
    calendarWorkdays: config.calendar.workdays,
  }));
}

/**
 * Whether a workstream holds check-ins at `at` (UTC), by the lifecycle rule the scheduler applies
 * (domain/workstreams/activity.ts `activityAt` with services/workstreams/start-gates.ts `activityRule`), with the
 * reason for a reader when it does not: "not active yet (from 2026-12-03 09:00 Europe/London)",
 * "ended (2026-12-20 00:00 …)", "waiting on gate Gate 2: Security review". The program (`_program`, the section of a
 * program check-in's participant in no workstream) always holds its check-ins. `gates` are the start gates' states
 * (an absent gate is pending).
 */
function activityOf(config: WorkspaceConfig, gates: StartGates): (workstreamId: string, localDate: string, at: DateTime) => WorkstreamActivity {
  return (workstreamId, _localDate, at) => {
    if (workstreamId === PROGRAM_WORKSTREAM) return { state: 'active' };
    const rule = activityRule(config, workstreamId);
    const a = activityAt(rule, at, rule.startsWhen ? (gates.get(rule.startsWhen.gateId) ?? null) : null);
    const local = (t: DateTime) => `${t.setZone(rule.zone).toFormat('yyyy-MM-dd HH:mm')} ${rule.zone}`;
    switch (a.state) {
      case 'active':
        return { state: 'active' };
      case 'not_started':
        return { state: 'not_started', detail: `not active yet (from ${local(a.from)})` };
      case 'ended':
        return { state: 'ended', detail: `ended (${local(a.until)})` };
      case 'waiting':
        return { state: 'waiting', detail: `waiting on gate ${a.gate.name}` };
    }
  };
}

/**
 * The preview's input from the config and, when given, the live state (out-of-office, skips, gate states, open
 * blockers). Without live state every gate counts as pending and nobody is away.
 */
export function previewInput(config: WorkspaceConfig, live: LiveState | null): PreviewInput {
  const zone = config.program.timezone;
  const gates: PreviewGate[] = config.gates.map((g) => {
    // as services/gonogo/gates.ts escalateOverdueGates: to the signers still missing (all of them unless a joint gate is half-signed)
    const signed = live?.gateSigned.get(g.id) ?? [];
    const ladder = gatePolicy(g.sign_off.filter((u) => !signed.includes(u)));
    return {
      id: g.id,
      name: g.name,
      dueAt: g.due ? DateTime.fromISO(g.due, { zone }).toUTC() : null,
      signOff: g.sign_off,
      status: live?.gateStatus.get(g.id) ?? 'pending',
      // an escalation already raised is previewed from its blocker row (live.blockers), not again from the due time
      ladder: live?.gatesEscalating.has(g.id) ? { ...ladder, ladder: [] } : ladder,
      // services/gonogo/gates.ts raises a late gate's escalation at P1
      severity: 'P1',
      // an away signer is covered by their delegate only under delegate_may_sign: true (services/blockers/escalate.ts)
      noDelegate: signersNotDelegated(g),
    };
  });
  // open tasks with a due time (issue 10); a task done (live state) has no due-time escalation
  const done = live?.doneIds ?? new Set<string>();
  const tasks: PreviewTask[] = configuredTasks(config).flatMap(({ workstreamId, task }) => {
    const dueAt = taskDueAt(config, workstreamId, task.due);
    if (dueAt === null || done.has(task.id)) return [];
    // the very rule the escalation applies (services/tasks/escalate.ts escalateTaskIfDue)
    const { policy: ladder, severity, ladder: ladderName } = taskEscalation(config, task);
    return [
      {
        id: task.id,
        title: task.title,
        workstreamId,
        owner: task.owner,
        dueAt: DateTime.fromMillis(dueAt).toUTC(),
        // an escalation already raised is previewed from its blocker row (live.blockers), not again from the due time
        ladder: live?.tasksEscalating.has(task.id) ? { ...ladder, ladder: [] } : ladder,
        ladderName,
        roles: rolesFor(config, workstreamId),
        waitingFor: task.requires.filter((r) => !done.has(r)),
        severity,
        url: task.url ?? null,
        ownerUnmatched: task.owner_unmatched ?? null,
      },
    ];
  });
  const quiet = config.escalation.quiet_hours;
  const startGates = live?.startGates ?? new Map();
  return {
    programZone: zone,
    programChannel: config.program.channel,
    pm: config.program.pm,
    checkins: previewCheckins(config),
    gates,
    tasks,
    gonogoAt: config.gonogo?.at ? DateTime.fromISO(config.gonogo.at, { zone }).toUTC() : null,
    quietHours: quiet ? { from: quiet.from, to: quiet.to, except: quiet.except } : null,
    zoneOf: (userId) => zoneOf(config, userId),
    // rotations written in preflight.yml, and feeds from their last known shifts (live state), at each step's due time
    oncallAt: (at) => ({ ...feedRotationsAt(live?.oncallShifts ?? new Map(), at), ...configRotationsAt(config.program.oncall ?? {}, zone, at) }),
    // the scheduler's own guard decides when each run opens and whom it holds; activityOf says why not
    opening: (occ) => {
      const r = runOpening(config, occ, startGates);
      return r && { at: r.at, userIds: r.occ.members.map((m) => m.userId) };
    },
    activity: activityOf(config, startGates),
    outOfOffice: live?.outOfOffice ?? [],
    // issue 22: ladder steps with time off applied (out of office from the live state, `program.delegates`)
    delegates: configuredDelegates(config),
    skips: live?.skips ?? [],
    startedRuns: live?.startedRuns ?? [],
    blockers: live?.blockers ?? [],
  };
}

/**
 * The span [from, until) of `days` program-local days starting on `fromDate` (YYYY-MM-DD), as UTC instants: from the
 * first instant of `fromDate` to the first instant of the day after the last (domain/checkins/days.ts
 * `localDayStart`: a midnight that happens twice starts the day at the first one, one that does not exist at the
 * instant the clocks jump to).
 */
export function previewSpan(config: WorkspaceConfig, fromDate: string, days: number): { from: DateTime; until: DateTime } {
  const zone = config.program.timezone;
  return { from: localDayStart(fromDate, zone), until: localDayStart(addDays(fromDate, days), zone) };
}

/**
 * Everything Preflight would do from `fromDate` (program-local, YYYY-MM-DD) for `days` days, optionally for one
 * workstream and/or one person. See domain/preview/enumerate.ts for what is listed.
 */
export function buildPreview(config: WorkspaceConfig, live: LiveState | null, fromDate: string, days: number, filter: PreviewFilter = {}): Preview {
  const { from, until } = previewSpan(config, fromDate, days);
  const unblocks = (gateId: string) => config.gates.find((g) => g.id === gateId)?.unblocks ?? [];
  return previewEvents(previewInput(config, live), from, until, filter, unblocks);
}
