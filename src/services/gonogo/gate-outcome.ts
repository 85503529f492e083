import { and, eq, lt } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { blockers, gateStates } from '../../db/schema/index.js';
import type { EscalationPolicy } from '../../domain/blockers/ladder.js';
import type { FirstCheckinAt } from '../../domain/gonogo/messages.js';
import { workstreamZone } from '../../domain/program/program.js';
import type { Deps } from '../deps.js';
import type { DbOrTx, OutboundItem } from '../delivery/outbound.js';
import type { MessageRenderer } from '../delivery/renderer.js';
import { zoneOf } from '../checkins/participation.js';
import { raiseBlocker } from '../blockers/raise.js';
import { reopenEscalation } from '../blockers/reopen.js';
import { activityRule, downstreamOf, firstCheckins, type StartGates, waitingOn } from '../workstreams/start-gates.js';
import { activityAt } from '../../domain/workstreams/activity.js';

type Gate = WorkspaceConfig['gates'][number];

/** When a first check-in opens, for a notice sent at `now`: 'now' once its time has come, else the instant. */
const firstAt = (at: DateTime, now: DateTime): FirstCheckinAt => (at <= now ? 'now' : at.toJSDate());

/**
 * The messages announcing that `gate` passed (audit row `auditId`, at `now`): for each workstream waiting for it
 * (`starts_when`) and not ended, one post in its channel, and one DM per participant with the time of their first
 * check-in (the earliest of the workstream's check-ins they take part in: their own prompt time, or "now" when its window is already open). Each is
 * a model rendered by `deps.renderer` (src/slack/blocks/gate-notices.ts), its time shown in the recipient's zone: the
 * workstream's for its channel, each member's own (services/checkins/participation.ts zoneOf) for their DM. Keys derive from the audit row, so queuing them twice (two
 * processes, a retry) queues them once.
 * @param gates gate states with this gate already passed at `now`.
 */
export async function gatePassedNotices(
  deps: { db: DbOrTx; config: WorkspaceConfig; renderer: MessageRenderer },
  gate: Gate,
  auditId: number,
  now: DateTime,
  gates: StartGates,
): Promise<OutboundItem[]> {
  const items: OutboundItem[] = [];
  for (const wsId of waitingOn(deps.config, gate.id)) {
    const ws = deps.config.workstreams[wsId]!;
    const state = activityAt(activityRule(deps.config, wsId), now, gates.get(gate.id) ?? null);
    if (state.state === 'ended') continue;
    const first = await firstCheckins(deps, wsId, now, gates);
    const key = `gate-passed-${auditId}:${wsId}`;
    const wsZone = workstreamZone(deps.config, wsId);
    const names = { gateName: gate.name, workstreamName: ws.name };
    items.push({
      kind: 'gate_outcome',
      key,
      channel: ws.channel,
      message: deps.renderer.gateOutcomeNotice({ kind: 'passed-channel', ...names, firstCheckin: first ? firstAt(first.openAt, now) : null, zone: wsZone }),
    });
    // each participant: the earliest of the workstream's check-ins they take part in
    for (const [userId, slot] of first?.byMember ?? []) {
      items.push({
        kind: 'gate_outcome',
        key: `${key}:${userId}`,
        channel: userId,
        message: deps.renderer.gateOutcomeNotice({ kind: 'passed-member', ...names, firstCheckin: firstAt(slot.promptAt, now), zone: zoneOf(deps.config, userId) }),
      });
    }
  }
  return items;
}

/**
 * The messages announcing that `gate` failed (audit row `auditId`): one post in each downstream workstream's channel
 * (waiting for it, or in its `unblocks`) saying it is delayed, with who failed it and their note, unless
 * `on_fail.notify_downstream` is false. Rendered by `deps.renderer` (the note escaped there).
 */
export function gateFailedNotices(deps: { config: WorkspaceConfig; renderer: MessageRenderer }, gate: Gate, auditId: number, actor: string, note: string | null): OutboundItem[] {
  const { config } = deps;
  if (!gate.on_fail.notify_downstream) return [];
  return downstreamOf(config, gate.id).map((wsId) => {
    const ws = config.workstreams[wsId]!;
    return {
      kind: 'gate_outcome' as const,
      key: `gate-failed-${auditId}:${wsId}`,
      channel: ws.channel,
      message: deps.renderer.gateOutcomeNotice({ kind: 'failed', gateName: gate.name, workstreamName: ws.name, actor, note }),
    };
  });
}

/** `on_fail.escalate_to` as user ids: `lead` → the downstream workstreams' leads, `pm`, `exec` → every exec. */
export function escalationTargets(config: WorkspaceConfig, gate: Gate): string[] {
  const out = gate.on_fail.escalate_to.flatMap((t) => {
    if (t === 'pm') return [config.program.pm];
    if (t === 'exec') return config.program.execs;
    if (t === 'lead') return downstreamOf(config, gate.id).flatMap((w) => config.workstreams[w]!.leads);
    return [t];
  });
  return [...new Set(out)];
}

/**
 * A failed gate escalates through the blocker ladder (seed 000: "If fails: … escalate to exec"): the gate's own
 * escalation blocker (one per gate, unique key; the same row as "not signed off by its due time") is raised, or
 * reopened when it belongs to an earlier episode, as a P0 in the program channel whose single level notifies
 * `on_fail.escalate_to` at once. Its text is the gate, the signer's note and the delayed workstreams, as plain text
 * (escaped like any blocker text); who failed it is its reporter, which every message shows as a mention. Called after the failure commits and again by every due-work sweep, so a crash in
 * between delays the escalation by one sweep; the unique key and a conditional reopen make it once per failure.
 * @returns the gates escalated now.
 */
export async function escalateFailedGates(deps: Deps, only?: string): Promise<string[]> {
  const failed = await deps.db
    .select()
    .from(gateStates)
    .where(only ? and(eq(gateStates.status, 'failed'), eq(gateStates.gateId, only)) : eq(gateStates.status, 'failed'));
  const done: string[] = [];
  for (const state of failed) {
    const gate = deps.config.gates.find((g) => g.id === state.gateId);
    const failedAt = state.signedAt ?? state.updatedAt;
    if (!gate) continue;
    const targets = escalationTargets(deps.config, gate);
    if (!targets.length) continue;
    const downstream = downstreamOf(deps.config, gate.id).map((w) => deps.config.workstreams[w]!.name);
    // plain text (shown escaped, as user text): who failed it is the blocker's reporter, shown as a mention
    const text = `Gate “${gate.name}” failed${state.note ? `: ${state.note}` : ''}.${downstream.length ? ` Delayed: ${downstream.join(', ')}.` : ''}`;
    const reporter = state.signedBy ?? deps.config.program.pm;
    const policy: EscalationPolicy = { ladder: [{ afterMs: 0, notify: targets }], stopWhen: 'resolved' };
    const [exists] = await deps.db
      .select()
      .from(blockers)
      .where(and(eq(blockers.gateId, gate.id), eq(blockers.source, 'gate')));
    if (!exists) {
      const res = await raiseBlocker(deps, {
        reporter,
        text,
        severity: 'P0',
        owner: targets[0],
        workstreamId: downstreamOf(deps.config, gate.id)[0] ?? Object.keys(deps.config.workstreams)[0],
        gateId: gate.id,
        source: 'gate',
        policy,
        channel: deps.config.program.channel,
      });
      if (res.ok) done.push(gate.id);
      continue;
    }
    if (exists.raisedAt >= failedAt) continue; // this failure is escalated already
    // a new failure starts the same escalation row over (reopen.ts says why the earlier notices go)
    const reopened = await reopenEscalation(deps, exists.id, { text, severity: 'P0', owner: targets[0], policy, reporter, dueAt: null }, lt(blockers.raisedAt, failedAt));
    if (!reopened) continue;
    done.push(gate.id);
  }
  return done;
}
