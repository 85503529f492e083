import { type CheckinSetup, checkinsOf } from '../../domain/checkins/plans.js';
import type { Refusal } from '../../domain/permissions.js';
import { immediateOccurrence } from '../../domain/checkins/schedule.js';
import type { Deps } from '../deps.js';
import { may } from '../permission-check.js';
import { holdingOccurrence, startGates } from '../workstreams/start-gates.js';
import { startRun, type StartResult } from './runs.js';

/**
 * `/standup start <workstream> [check-in]`: its leads or the PM (only the PM for a program check-in) start that
 * check-in's run for today now (see immediateOccurrence). Without a check-in id: the workstream's only check-in;
 * with several, `which` lists them.
 * @returns 'forbidden' with the refusal naming who can (domain/permissions.ts), 'which' / 'unknown-checkin' with the
 *   check-in ids, or the StartResult (created false when today's run of that check-in already exists).
 */
export async function startNow(
  deps: Deps,
  userId: string,
  workstreamId: string,
  checkinId?: string,
): Promise<
  | { kind: 'forbidden'; refusal: Refusal }
  | ({ kind: 'started'; checkin: CheckinSetup } & StartResult)
  | { kind: 'no-members'; checkin: CheckinSetup }
  | { kind: 'which'; checkinIds: string[] }
  | { kind: 'unknown-checkin'; checkinIds: string[] }
> {
  const allowed = may(deps.config, userId, { on: 'run', verb: 'start', workstreamId });
  if (!allowed.allowed) return { kind: 'forbidden', refusal: allowed };
  const all = checkinsOf(deps.config, workstreamId);
  const ids = all.map((c) => c.checkinId);
  const ws = checkinId ? all.find((c) => c.checkinId === checkinId) : all.length === 1 ? all[0] : undefined;
  if (!ws) return checkinId ? { kind: 'unknown-checkin', checkinIds: ids } : { kind: 'which', checkinIds: ids };
  if (ws.plan.members.length === 0) return { kind: 'no-members', checkin: ws };
  const now = deps.clock.now();
  const immediate = immediateOccurrence(ws.plan, now);
  // `/standup start <ws>` is an explicit override of a waiting or inactive workstream (docs/usage.md); a program check-in
  // started by the PM still leaves out the sections of workstreams that hold no check-ins now
  const occ = ws.program ? (holdingOccurrence(deps.config, immediate, now, await startGates(deps.db)) ?? { ...immediate, members: [] }) : immediate;
  if (occ.members.length === 0) return { kind: 'no-members', checkin: ws };
  const res = await startRun(deps, ws, occ, userId);
  if (res.created) deps.log.info({ workstream: workstreamId, checkin: ws.checkinId, runId: res.runId, by: userId }, 'check-in run started by command');
  return { kind: 'started', checkin: ws, ...res };
}
