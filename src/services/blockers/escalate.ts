import { queueWriteBack } from '../trackers/write-back.js';
import { eq, sql } from 'drizzle-orm';
import { formatDuration } from '../../config/duration.js';
import { blockerEvents, blockerNotices, blockers } from '../../db/schema/index.js';
import { afterStep, escalateNowStep, nextStep, quietUntil, stepOutcome } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import { zoneOf } from '../checkins/participation.js';
import { rolesFor } from './policy.js';
import { ladderState } from './ladder-state.js';
import * as transitions from '../delivery/transitions.js';
import { noticeDelivery, threadLineDelivery } from './delivery-kinds.js';
import { oncallForTarget } from '../oncall/ladder.js';
import { rotationStatuses } from '../oncall/rotations.js';
import { awayStatusesBefore } from '../people/away-status.js';
import { coverOutcome, outOfOfficeSpans } from '../people/away.js';
import { noDelegateOn } from './gate-cover.js';

export type EscalateOutcome = 'stale' | 'not-due' | 'finished' | 'skipped' | 'notified';

/**
 * The escalation processor for one wake-up (blocker id + the version it was scheduled for).
 * Locks the row; does nothing if the version moved on, the blocker is resolved or the step is not due yet.
 * Otherwise reserves one notice per recipient (unique (blocker, episode, level, attempt, recipient)) in the same
 * transaction that advances the ladder, so however many workers or duplicate wake-ups race, each ping is
 * reserved once; notices are sent by their own jobs after commit.
 * A level with nobody to notify is skipped (timeline + log, with the reason: all its people already acknowledged,
 * or none configured); the row keeps what the latest level did (`last_level`) for the blocker message. Recipients in their quiet hours get the notice
 * deferred to the end of them (severities in `quiet_hours.except` are never deferred); the clock keeps running.
 * After downtime the ladder climbs one level per wake-up (see nextStep), never straight to the top.
 */
export async function escalate(deps: Deps, blockerId: number, version: number): Promise<EscalateOutcome> {
  const now = deps.clock.now();
  // read at once before the row lock, never while holding it (issue 25: the lock is held until the notices commit):
  // who is on call (Postgres only; feeds are read by the refresh job, never here), the out-of-office spans, and the
  // Slack statuses that mean "away" (program.away_statuses)
  const [onCall, outOfOffice, statuses] = await Promise.all([rotationStatuses(deps, now), outOfOfficeSpans(deps.db), awayStatusesBefore(deps, blockerId)]);
  const res = await deps.db.transaction(async (tx) => {
    const [b] = await tx.select().from(blockers).where(eq(blockers.id, blockerId)).for('update');
    if (!b || b.version !== version || b.status === 'resolved') return { outcome: 'stale' as const };
    const state = ladderState(b);
    const due = nextStep(b.policy, state);
    // "Escalate now" stores next_due_at = now ahead of the ladder's own due time
    const forced = b.nextDueAt && due && b.nextDueAt < due.dueAt.toJSDate() ? escalateNowStep(b.policy, state, now) : null;
    const step = forced ?? due;
    if (!step) {
      await tx.update(blockers).set({ nextDueAt: null }).where(eq(blockers.id, blockerId));
      return { outcome: 'finished' as const };
    }
    if (step.dueAt > now) return { outcome: 'not-due' as const };
    const level = b.policy.ladder[step.level]!;
    const rotations = oncallForTarget(level.notify, onCall, (u) => (u ? zoneOf(deps.config, u) : deps.config.program.timezone));
    // time off (issue 22): an away recipient's delegate gets the step; nobody covering skips it, the next level at once
    const { outcome, coveringFor } = coverOutcome(
      deps.config,
      [...outOfOffice, ...statuses],
      stepOutcome(step, level.notify, { ...rolesFor(deps.config, b.workstreamId), oncall: rotations.oncall }, b.acknowledgedBy),
      now,
      b.acknowledgedBy,
      // a gate's signers may be covered on its "not signed off" escalation only under delegate_may_sign: true
      noDelegateOn(deps.config, b),
    );
    const to = outcome.to;
    const ageMs = now.toMillis() - b.raisedAt.getTime();
    const quiet = deps.config.escalation.quiet_hours;
    const exempt = quiet?.except.includes(b.severity) ?? true;
    let noticeIds: number[] = [];
    let reserved: number[] = [];
    if (to.length > 0) {
      const rows = await tx
        .insert(blockerNotices)
        .values(
          to.map((recipient) => ({
            blockerId,
            episode: b.episode,
            level: step.level,
            attempt: step.attempt,
            recipient,
            dueAt: step.dueAt.toJSDate(),
            // when the ping is due: the step's due time (≤ now), or the end of the recipient's quiet hours
            notBefore: (exempt ? null : quietUntil(now, zoneOf(deps.config, recipient), quiet))?.toJSDate() ?? step.dueAt.toJSDate(),
            oncall: rotations.notes.find((n) => n.userId === recipient) ?? null,
            coveringFor: coveringFor[recipient] ?? null,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: blockerNotices.id, notBefore: blockerNotices.notBefore });
      reserved = rows.map((r) => r.id);
      noticeIds = rows.filter((r) => r.notBefore <= now.toJSDate()).map((r) => r.id);
    }
    // a tracker task's escalation step comments on its issue once (issue 21, write_back sources only)
    if (b.source === 'task' && b.taskId && step.attempt === 0 && to.length > 0) {
      await queueWriteBack(tx, deps.config, b.taskId, `escalation:${blockerId}:${step.level}`, now.toJSDate());
    }
    const [ev] = await tx
      .insert(blockerEvents)
      .values({
        blockerId,
        kind: to.length ? 'escalated' : 'skipped',
        actor: null,
        at: now.toJSDate(),
        data: {
          level: step.level + 1,
          levels: b.policy.ladder.length,
          attempt: step.attempt,
          to,
          target: level.notify,
          ageMs,
          age: formatDuration(ageMs),
          ...(outcome.skipped ? { reason: outcome.skipped } : {}),
          ...(rotations.notes.length ? { oncall: rotations.notes } : {}),
          ...(outcome.away?.length ? { away: outcome.away } : {}),
        },
      })
      .returning({ id: blockerEvents.id });
    // the notices' deliveries and the thread line's in one statement (the row lock is held until commit, and the
    // escalation DMs wait for it: issue 25's lateness with 100,000 open timers)
    await transitions.open(tx, [...reserved.map((id) => noticeDelivery(id)), threadLineDelivery(ev!.id)], now.toJSDate());
    const after = afterStep(state, step, now);
    let next = nextStep(b.policy, after);
    // a level that reached nobody because no one is known on call falls through to the next level at once (issue 22),
    // unless a snooze holds the ladder (the snooze wins, as nextStep has it)
    if (next && to.length === 0 && rotations.nobodyKnown && next.attempt === 0 && next.dueAt > now && !(b.snoozedUntil && b.snoozedUntil > now.toJSDate())) next = { ...next, dueAt: now };
    // everyone away and nobody covering: the next level does not wait its delay (issue 22); stored as "Escalate now" is
    if (outcome.skipped === 'away' && next && next.attempt === 0 && next.dueAt > now && !(b.snoozedUntil && b.snoozedUntil > now.toJSDate())) next = { ...next, dueAt: now };
    const [updated] = await tx
      .update(blockers)
      .set({
        levelsDone: after.levelsDone,
        ...(step.attempt === 0 ? { lastLevel: outcome } : {}),
        repeatsDone: after.repeatsDone,
        lastNotifiedAt: now.toJSDate(),
        nextDueAt: next?.dueAt.toJSDate() ?? null,
        version: sql`${blockers.version} + 1`,
        messageVersion: sql`${blockers.messageVersion} + 1`,
      })
      .where(eq(blockers.id, blockerId))
      .returning();
    return { outcome: to.length ? ('notified' as const) : ('skipped' as const), updated: updated!, noticeIds, eventId: ev!.id, to, level: step.level, reason: outcome.skipped };
  });
  if (!('updated' in res) || !res.updated) return res.outcome;
  const b = res.updated;
  // the DMs first: everything else after commit can wait for them
  await deps.wakeups.sendNotices(res.noticeIds);
  if (res.outcome === 'skipped') deps.log.warn({ blocker: blockerId, level: res.level + 1, reason: res.reason }, 'escalation level skipped: nobody left to notify');
  else deps.log.info({ blocker: blockerId, level: res.level + 1, to: res.to }, 'blocker escalated');
  if (b.nextDueAt) await deps.wakeups.escalate([{ blockerId, version: b.version, dueAt: b.nextDueAt, now: now.toJSDate() }]);
  await deps.wakeups.renderBlockers([{ blockerId, version: b.messageVersion }]);
  // the DMs of earlier levels say how far it went since
  await deps.wakeups.updateNotices([{ blockerId, version: b.messageVersion }]);
  await deps.wakeups.postThreadLines([res.eventId]);
  return res.outcome;
}
