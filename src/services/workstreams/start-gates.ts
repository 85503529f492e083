import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { gateStates, standupRuns } from '../../db/schema/index.js';
import { type CheckinSetup, checkinsOf, PROGRAM_WORKSTREAM } from '../../domain/checkins/plans.js';
import { workstreamZone } from '../../domain/program/program.js';
import { latestOpenedOccurrence, nextOccurrence, type Occurrence } from '../../domain/checkins/schedule.js';
import { activityAt, boundaryInstant, isWorkstreamHoldingCheckins, type Activity, type ActivityRule, type StartGateState } from '../../domain/workstreams/activity.js';
import type { Deps } from '../deps.js';
import type { DbOrTx } from '../delivery/outbound.js';

/** Gate states as the activity rule reads them, by gate id (no row: pending). */
export type StartGates = ReadonlyMap<string, StartGateState>;

/** A workstream's `active` / `starts_when` from config, in its zone (workstream zone, else the program's). */
export function activityRule(config: WorkspaceConfig, workstreamId: string): ActivityRule {
  const ws = config.workstreams[workstreamId];
  if (!ws) throw new Error(`unknown workstream ${workstreamId}`);
  const gateId = ws.starts_when?.gate;
  return {
    zone: workstreamZone(config, workstreamId),
    from: ws.active?.from,
    until: ws.active?.until,
    startsWhen: gateId ? { gateId, gateName: config.gates.find((g) => g.id === gateId)?.name ?? gateId } : undefined,
  };
}

/** Every gate's state from Postgres, in one query: passed gates with the instant they passed (`signed_at`). */
export async function startGates(db: DbOrTx): Promise<StartGates> {
  const rows = await db.select({ gateId: gateStates.gateId, status: gateStates.status, signedAt: gateStates.signedAt }).from(gateStates);
  return new Map(rows.map((r) => [r.gateId, { status: r.status, passedAt: r.status === 'passed' ? (r.signedAt?.getTime() ?? 0) : null }]));
}

/** The state of `workstreamId` at the clock's now (for `/gonogo` and App Home). */
export function workstreamActivity(deps: Pick<Deps, 'config' | 'clock'>, workstreamId: string, gates: StartGates): Activity {
  const rule = activityRule(deps.config, workstreamId);
  return activityAt(rule, deps.clock.now(), rule.startsWhen ? (gates.get(rule.startsWhen.gateId) ?? null) : null);
}

/** Whether `workstreamId` holds the check-in whose window is [openAt, closeAt) as seen at `now` (domain rule). */
function holdsCheckin(config: WorkspaceConfig, workstreamId: string, occ: Pick<Occurrence, 'openAt' | 'closeAt'>, now: DateTime, gates: StartGates): boolean {
  const rule = activityRule(config, workstreamId);
  return isWorkstreamHoldingCheckins(rule, occ, now, rule.startsWhen ? (gates.get(rule.startsWhen.gateId) ?? null) : null);
}

/**
 * THE guard deciding whether a check-in occurrence is held (the scheduler's one call site is
 * services/checkins/runs.ts openDueRuns): a workstream check-in is held when its workstream holds check-ins for
 * that window at `now` (domain/workstreams/activity.ts isWorkstreamHoldingCheckins: inside `active`, its
 * `starts_when` gate passed); a program check-in keeps only the participants whose section is the program itself or
 * a workstream that holds it.
 * @param gates gate states from {@link startGates}.
 * @returns the occurrence (a program one without the participants of workstreams that do not hold it), or null
 * when nobody is left.
 */
export function holdingOccurrence(config: WorkspaceConfig, occ: Occurrence, now: DateTime, gates: StartGates): Occurrence | null {
  if (occ.workstreamId !== PROGRAM_WORKSTREAM) return holdsCheckin(config, occ.workstreamId, occ, now, gates) ? occ : null;
  const members = occ.members.filter((m) => !m.section || m.section.id === PROGRAM_WORKSTREAM || holdsCheckin(config, m.section.id, occ, now, gates));
  return members.length ? { ...occ, members } : null;
}

/** When the scheduler opens the run of an occurrence, and the occurrence it holds then ({@link runOpening}). */
export interface RunOpening {
  /** The instant the run opens, UTC: the occurrence's `openAt`, or later (see {@link runOpening}). */
  at: DateTime;
  /** The occurrence as {@link holdingOccurrence} holds it at `at` (a program one without the participants left out then). */
  occ: Occurrence;
}

/**
 * When the scheduler opens the run of `occ`, by the guard it asks at every tick ({@link holdingOccurrence}): the
 * first instant of the window [openAt, closeAt) at which it holds the occurrence. That is `openAt` when the
 * workstream holds check-ins then; else the instant it starts holding them during the window (its `starts_when`
 * gate passes, its `active.from` arrives), which the scheduler's next tick acts on; for a program check-in, the
 * first instant one participant's workstream (or the program itself) holds it, with the participants held then.
 * The guard's answer changes only at those instants, so they are the only ones asked. The preview lists a run's
 * prompts from this (services/preview/build.ts), so it and the scheduler share the rule.
 * @param gates gate states from {@link startGates} (a passed gate carries the instant it passed).
 * @returns null when no instant of the window holds it (the scheduler opens no run and records none as missed).
 */
export function runOpening(config: WorkspaceConfig, occ: Occurrence, gates: StartGates): RunOpening | null {
  const workstreams = occ.workstreamId === PROGRAM_WORKSTREAM ? [...new Set(occ.members.flatMap((m) => (m.section && m.section.id !== PROGRAM_WORKSTREAM ? [m.section.id] : [])))] : [occ.workstreamId];
  const changes = workstreams.flatMap((id) => {
    const rule = activityRule(config, id);
    const passedAt = rule.startsWhen ? gates.get(rule.startsWhen.gateId)?.passedAt : null;
    return [...(rule.from !== undefined ? [boundaryInstant(rule.from, rule.zone)] : []), ...(passedAt != null ? [DateTime.fromMillis(passedAt, { zone: 'utc' })] : [])];
  });
  const instants = [occ.openAt, ...changes.filter((t) => t > occ.openAt && t < occ.closeAt).sort((a, b) => a.toMillis() - b.toMillis())];
  for (const at of instants) {
    const held = holdingOccurrence(config, occ, at, gates);
    if (held) return { at, occ: held };
  }
  return null;
}

/**
 * The first occurrence of check-in `c` held after `now`, given `gates`: the one whose window is open now (it opens
 * at the next scheduler tick) if no run was recorded for it yet, else the next one held, within 60 occurrences.
 * @returns null when none is (nobody to prompt, the workstream ends first).
 */
export async function firstOccurrence(deps: { db: DbOrTx; config: WorkspaceConfig }, c: CheckinSetup, now: DateTime, gates: StartGates): Promise<Occurrence | null> {
  if (c.plan.members.length === 0) return null;
  const current = latestOpenedOccurrence(c.plan, now);
  if (current && now < current.closeAt && holdingOccurrence(deps.config, current, now, gates)) {
    const [run] = await deps.db
      .select({ id: standupRuns.id })
      .from(standupRuns)
      .where(and(eq(standupRuns.workstreamId, c.workstreamId), eq(standupRuns.checkinId, c.checkinId), eq(standupRuns.localDate, current.localDate)));
    if (!run) return current;
  }
  let cursor = now;
  for (let i = 0; i < 60; i++) {
    const occ = nextOccurrence(c.plan, cursor);
    if (!occ) return null;
    if (holdingOccurrence(deps.config, occ, occ.openAt, gates)) return occ;
    cursor = occ.openAt;
  }
  return null;
}

/** When a workstream's check-ins start again: the earliest first occurrence, and each participant's own first prompt. */
export interface FirstCheckins {
  /** The earliest window opening among the workstream's check-ins (UTC). */
  openAt: DateTime;
  /** Per user id: the prompt time (UTC) of the earliest check-in of the workstream they take part in, and its name. */
  byMember: Map<string, { promptAt: DateTime; checkinName: string }>;
}

/**
 * The first check-ins `workstreamId` will hold after `now` (every check-in it declares, {@link firstOccurrence}):
 * the earliest opening, and for each participant the earliest of the check-ins they take part in. A participant
 * whose own window of a check-in has already closed (a zone far east of the workstream's) counts that check-in's
 * next occurrence. @returns null when it holds none (no participants, check-ins disabled, it ends first).
 */
export async function firstCheckins(deps: { db: DbOrTx; config: WorkspaceConfig }, workstreamId: string, now: DateTime, gates: StartGates): Promise<FirstCheckins | null> {
  let openAt: DateTime | null = null;
  const byMember = new Map<string, { promptAt: DateTime; checkinName: string }>();
  for (const c of checkinsOf(deps.config, workstreamId)) {
    const occ = await firstOccurrence(deps, c, now, gates);
    if (!occ) continue;
    if (!openAt || occ.openAt < openAt) openAt = occ.openAt;
    const later = occ.members.some((m) => m.closeAt <= now) ? await firstOccurrence(deps, c, occ.closeAt, gates) : null;
    for (const m of occ.members) {
      const slot = m.closeAt > now ? m : later?.members.find((x) => x.userId === m.userId);
      if (!slot) continue;
      const promptAt = DateTime.max(slot.promptAt, now);
      const known = byMember.get(m.userId);
      if (!known || promptAt < known.promptAt) byMember.set(m.userId, { promptAt, checkinName: c.checkinName });
    }
  }
  return openAt ? { openAt, byMember } : null;
}

/** Workstreams that wait for `gateId` (`starts_when: { gate }`), in config order. */
export function waitingOn(config: WorkspaceConfig, gateId: string): string[] {
  return Object.entries(config.workstreams)
    .filter(([, ws]) => ws.starts_when?.gate === gateId)
    .map(([id]) => id);
}

/** Workstreams downstream of `gateId`: those waiting for it, then the gate's `unblocks`; no duplicates. */
export function downstreamOf(config: WorkspaceConfig, gateId: string): string[] {
  const gate = config.gates.find((g) => g.id === gateId);
  return [...new Set([...waitingOn(config, gateId), ...(gate?.unblocks ?? [])])];
}
