import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { gateStates, standupRuns } from '../../db/schema/index.js';
import { latestOpenedOccurrence, nextOccurrence, type Occurrence } from '../../domain/standups/schedule.js';
import { activityAt, isWorkstreamHoldingCheckins, type Activity, type ActivityRule, type StartGateState } from '../../domain/workstreams/activity.js';
import type { Deps } from '../deps.js';
import type { DbOrTx } from '../delivery/outbound.js';
import { workstreamStandup } from '../standups/plans.js';

/** Gate states as the activity rule reads them, by gate id (no row: pending). */
export type StartGates = ReadonlyMap<string, StartGateState>;

/** A workstream's `active` / `starts_when` from config, in its zone (workstream zone, else the program's). */
export function activityRule(config: WorkspaceConfig, workstreamId: string): ActivityRule {
  const ws = config.workstreams[workstreamId];
  if (!ws) throw new Error(`unknown workstream ${workstreamId}`);
  const gateId = ws.starts_when?.gate;
  return {
    zone: ws.timezone ?? config.program.timezone,
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

/** The scheduler's single guard (services/standups/runs.ts): does the workstream hold this check-in now? */
export function holdsCheckin(config: WorkspaceConfig, workstreamId: string, occ: Pick<Occurrence, 'openAt' | 'closeAt'>, now: DateTime, gates: StartGates): boolean {
  const rule = activityRule(config, workstreamId);
  return isWorkstreamHoldingCheckins(rule, occ, now, rule.startsWhen ? (gates.get(rule.startsWhen.gateId) ?? null) : null);
}

/**
 * The first check-in `workstreamId` will hold after `now`, given `gates`: the one whose window is open now (it
 * opens at the next scheduler tick) if no run was recorded for it yet, else the next one the workstream holds,
 * within 60 occurrences. @returns null when it holds none (no members, standups disabled, it ends first).
 */
export async function firstCheckin(deps: { db: DbOrTx; config: WorkspaceConfig }, workstreamId: string, now: DateTime, gates: StartGates): Promise<Occurrence | null> {
  const ws = deps.config.workstreams[workstreamId]!;
  if (ws.standup.enabled === false || ws.members.length === 0) return null;
  const { plan } = workstreamStandup(deps.config, workstreamId);
  const current = latestOpenedOccurrence(plan, now);
  if (current && now < current.closeAt && holdsCheckin(deps.config, workstreamId, current, now, gates)) {
    const [run] = await deps.db
      .select({ id: standupRuns.id })
      .from(standupRuns)
      .where(and(eq(standupRuns.workstreamId, workstreamId), eq(standupRuns.localDate, current.localDate)));
    if (!run) return current;
  }
  let cursor = now;
  for (let i = 0; i < 60; i++) {
    const occ = nextOccurrence(plan, cursor);
    if (!occ) return null;
    if (holdsCheckin(deps.config, workstreamId, occ, occ.openAt, gates)) return occ;
    cursor = occ.openAt;
  }
  return null;
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
