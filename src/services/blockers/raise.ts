import { and, eq } from 'drizzle-orm';
import { blockerEvents, blockers, standupAnswers, standupRuns } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { blockersOf } from '../../domain/standups/answers.js';
import { nextStep, type EscalationPolicy, type Severity } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import { workstreamsOf } from '../standups/plans.js';
import { blockersChannel, policyFor } from './policy.js';
import type { BlockerRow } from './rows.js';

export interface RaiseInput {
  reporter: string;
  text: string;
  severity?: Severity;
  owner?: string;
  workstreamId?: string;
  /** The channel the command was typed in: a workstream's channel or blockers channel picks that workstream. */
  channelId?: string;
  gateId?: string;
  /** The task the blocker is about (`/task block`, or a task's due-time escalation). */
  taskId?: string;
  source: 'command' | 'modal' | 'standup' | 'gate' | 'task';
  standupAnswerId?: number;
  /** Internal raisers (gate escalations) bring their own ladder and channel. */
  policy?: EscalationPolicy;
  channel?: string;
}

export type RaiseResult =
  | { ok: true; blocker: BlockerRow /** With `deferWakeups`: call after acking Slack. */; wake?: () => Promise<void> }
  | { ok: false; reason: 'no-workstream' | 'unknown-gate' | 'duplicate'; message: string };

/**
 * The workstream a blocker belongs to: the one named, else the channel's, else the reporter's (first) one.
 * @returns null when none fits.
 */
export function resolveWorkstream(deps: Pick<Deps, 'config'>, input: Pick<RaiseInput, 'workstreamId' | 'channelId' | 'reporter'>): string | null {
  const { config } = deps;
  if (input.workstreamId && config.workstreams[input.workstreamId]) return input.workstreamId;
  if (input.channelId) {
    const byChannel = Object.entries(config.workstreams).find(([, w]) => w.channel === input.channelId || w.blockers_channel === input.channelId);
    if (byChannel) return byChannel[0];
  }
  const mine = workstreamsOf(config, input.reporter);
  if (mine[0]) return mine[0];
  const led = Object.entries(config.workstreams).find(([, w]) => w.leads.includes(input.reporter));
  return led?.[0] ?? null;
}

/**
 * Raises a blocker: freezes the escalation policy for its severity onto the row, records the `raised` event,
 * and wakes the escalation processor at the first level's due time, the message renderer and the withdrawal
 * of the gate sign-offs it affects (with `deferWakeups`, the caller runs `wake()` after acking; if it never
 * runs, the sweeper re-derives all three: overdue escalations, stale messages, and sign-offs still to withdraw
 * through gonogo/gates.ts withdrawalsDue).
 * A standup answer raises at most one blocker (unique key on the answer id).
 */
export async function raiseBlocker(deps: Deps, input: RaiseInput, opts: { deferWakeups?: boolean } = {}): Promise<RaiseResult> {
  const workstreamId = resolveWorkstream(deps, input);
  if (!workstreamId) {
    return { ok: false, reason: 'no-workstream', message: `Which workstream is blocked? Add \`ws:<id>\` (${Object.keys(deps.config.workstreams).join(', ')}).` };
  }
  if (input.gateId && !deps.config.gates.some((g) => g.id === input.gateId)) {
    return { ok: false, reason: 'unknown-gate', message: `There is no gate \`${input.gateId}\`. Gates: ${deps.config.gates.map((g) => g.id).join(', ') || 'none configured'}.` };
  }
  const severity = input.severity ?? deps.config.escalation.default_severity;
  const policy = input.policy ?? policyFor(deps.config, severity);
  const now = deps.clock.now();
  const draft = {
    workstreamId,
    gateId: input.gateId ?? null,
    taskId: input.taskId ?? null,
    severity,
    text: input.text,
    reporter: input.reporter,
    owner: input.owner ?? null,
    status: 'open' as const,
    policy,
    raisedAt: now.toJSDate(),
    source: input.source,
    standupAnswerId: input.standupAnswerId ?? null,
    channel: input.channel ?? blockersChannel(deps.config, workstreamId),
  };
  const first = nextStep(policy, { raisedAt: now, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] });
  const row = await deps.db.transaction(async (tx) => {
    const [b] = await tx
      .insert(blockers)
      .values({ ...draft, nextDueAt: first?.dueAt.toJSDate() ?? null })
      .onConflictDoNothing()
      .returning();
    if (!b) return null;
    await tx
      .insert(blockerEvents)
      .values({ blockerId: b.id, kind: 'raised', actor: input.reporter, at: now.toJSDate(), data: { severity, owner: input.owner ?? null, text: input.text }, threadStatus: 'none' });
    return b;
  });
  if (!row) return { ok: false, reason: 'duplicate', message: 'This standup answer already raised a blocker.' };
  deps.log.info({ blocker: row.id, severity, workstream: workstreamId, source: input.source }, 'blocker raised');
  // the blocker is committed: what follows must not turn the answer into "try again" (a retry would raise it
  // twice), and a slash command acks before it (Slack's 3 s; bench/RESULTS-blockers.md measured the gain)
  const wake = async () => {
    if (row.nextDueAt) await deps.wakeups.escalate([{ blockerId: row.id, version: row.version, dueAt: row.nextDueAt, now: now.toJSDate() }]);
    await deps.wakeups.renderBlockers([{ blockerId: row.id, version: row.messageVersion }]);
    // a blocking-severity blocker withdraws the gate sign-offs it affects: a job (gonogo/gates.ts), not a call
    await deps.wakeups.withdrawSignOffs([row.id]);
  };
  if (opts.deferWakeups) return { ok: true, blocker: row, wake };
  await wake();
  return { ok: true, blocker: row };
}

/**
 * A complete standup answer whose blockers field is not empty ("none", "-" and the like are empty) raises a
 * blocker linked to that answer, once.
 */
export async function raiseFromStandupAnswer(deps: Deps, db: Db, runId: number, userId: string): Promise<RaiseResult | null> {
  const [row] = await db
    .select({ answer: standupAnswers, run: standupRuns })
    .from(standupAnswers)
    .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
    .where(and(eq(standupAnswers.runId, runId), eq(standupAnswers.userId, userId)));
  if (!row || !row.answer.complete) return null;
  const texts = blockersOf(row.run.questions, row.answer.answers);
  if (texts.length === 0) return null;
  const [existing] = await db.select({ id: blockers.id }).from(blockers).where(eq(blockers.standupAnswerId, row.answer.id));
  if (existing) return null;
  return raiseBlocker(deps, { reporter: userId, text: texts.join('\n'), workstreamId: row.run.workstreamId, source: 'standup', standupAnswerId: row.answer.id });
}
