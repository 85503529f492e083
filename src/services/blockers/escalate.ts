import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { formatDuration } from '../../config/duration.js';
import { blockers } from '../../db/schema/index.js';
import { afterStep, escalateNowStep, nextStep, quietUntil, stepOutcome } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import { zoneOf } from '../checkins/participation.js';
import { rolesFor } from './policy.js';
import { ladderState } from './ladder-state.js';
import { recordEscalationStep } from './record-step.js';
import { oncallForTarget } from '../oncall/ladder.js';
import { rotationReader } from '../oncall/rotations.js';
import { awayStatusesBefore } from '../people/away-status.js';
import { coverOutcome, outOfOfficeSpans } from '../people/away.js';
import { noDelegateOn } from './gate-cover.js';

export type EscalateOutcome = 'stale' | 'not-due' | 'finished' | 'skipped' | 'notified';

/**
 * How long before a step is due its wake-up runs, in ms (issue 25: escalation lateness; the escalate job's delay in
 * src/jobs/registry.ts is the due time minus this). The job's pick-up and its reads happen before the due time; the
 * processor then waits for it and writes the step at it: never early, since the step is computed and written only
 * once the clock shows it due. A wake-up that comes earlier than this does nothing ('not-due'), as before.
 */
export const EARLY_WAKE_MS = 100;

/**
 * Waits until `dueAt` when the clock (read now, after the caller's reads) shows it at most {@link EARLY_WAKE_MS}
 * ahead; a timer may fire a moment before the wall clock shows its time (Node's timers run on the event loop's
 * cached time), so it waits again, up to 3 times.
 * @returns the clock's now after the wait (still before `dueAt` under a clock that does not follow the wall, in
 * tests, or when `dueAt` is further ahead than EARLY_WAKE_MS).
 */
async function waitUntilDue(deps: Pick<Deps, 'clock'>, dueAt: DateTime): Promise<DateTime> {
  let at = deps.clock.now();
  if (dueAt.toMillis() - at.toMillis() > EARLY_WAKE_MS) return at;
  for (let i = 0; i < 3 && dueAt > at; i++) {
    await sleep(dueAt.toMillis() - at.toMillis());
    at = deps.clock.now();
  }
  return at;
}

/** How {@link escalate} hands over the DMs its step made due. */
export interface EscalateOptions {
  /**
   * Sends or queues the due notices (`blocker_notices.id`, ascending). Default: a `send-notice` job each
   * (`deps.wakeups.sendNotices`); the escalation job sends them itself (send-now.ts sendNoticesNow).
   */
  sendNotices?: (deps: Deps, noticeIds: number[]) => Promise<void>;
}

/**
 * The escalation processor for one wake-up (blocker id + the version it was scheduled for).
 * Reads the row (no lock); does nothing if the version moved on, the blocker is resolved or the step is not due yet.
 * Woken up to {@link EARLY_WAKE_MS} before the step is due, it reads first, then waits for the due time.
 * Otherwise writes the step in one statement guarded by that version (record-step.ts): the ladder's new state, one
 * notice reserved per recipient (unique (blocker, episode, level, attempt, recipient)), the timeline event and their
 * deliveries, all or nothing; so however many workers or duplicate wake-ups race, each ping is reserved once, and a
 * step computed from a row that changed meanwhile (acknowledged, snoozed, resolved) writes nothing. The due notices
 * are then handed to `opts.sendNotices` (default: their own jobs), before anything else the step asks for.
 * A level with nobody to notify is skipped (timeline + log, with the reason: all its people already acknowledged,
 * or none configured); the row keeps what the latest level did (`last_level`) for the blocker message. Recipients in their quiet hours get the notice
 * deferred to the end of them (severities in `quiet_hours.except` are never deferred); the clock keeps running.
 * After downtime the ladder climbs one level per wake-up (see nextStep), never straight to the top.
 */
export async function escalate(deps: Deps, blockerId: number, version: number, opts: EscalateOptions = {}): Promise<EscalateOutcome> {
  let now = deps.clock.now();
  // read at once (issue 25: lateness with 100,000 open timers): the blocker, who is on call (Postgres only; feeds are
  // read by the refresh job, never here), the out-of-office spans, and the Slack statuses that mean "away"
  // (program.away_statuses); the write below is guarded by the version read here
  const [[b], onCallAt, outOfOffice, statuses] = await Promise.all([
    deps.db.select().from(blockers).where(eq(blockers.id, blockerId)),
    rotationReader(deps),
    outOfOfficeSpans(deps.db),
    awayStatusesBefore(deps, blockerId),
  ]);
  if (!b || b.version !== version || b.status === 'resolved') return 'stale';
  const state = ladderState(b);
  const due = nextStep(b.policy, state);
  // "Escalate now" stores next_due_at = now ahead of the ladder's own due time
  const forced = b.nextDueAt && due && b.nextDueAt < due.dueAt.toJSDate() ? escalateNowStep(b.policy, state, now) : null;
  const step = forced ?? due;
  if (!step) {
    const cleared = await deps.db
      .update(blockers)
      .set({ nextDueAt: null })
      .where(and(eq(blockers.id, blockerId), eq(blockers.version, version)))
      .returning({ id: blockers.id });
    return cleared.length ? 'finished' : 'stale';
  }
  if (step.dueAt > now) now = await waitUntilDue(deps, step.dueAt);
  if (step.dueAt > now) return 'not-due';
  // who is on call when the step is written (the reads above may be up to EARLY_WAKE_MS older)
  const onCall = onCallAt(now);
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
  const after = afterStep(state, step, now);
  let next = nextStep(b.policy, after);
  const snoozed = !!(b.snoozedUntil && b.snoozedUntil > now.toJSDate());
  // a level that reached nobody because no one is known on call falls through to the next level at once (issue 22),
  // unless a snooze holds the ladder (the snooze wins, as nextStep has it)
  if (next && to.length === 0 && rotations.nobodyKnown && next.attempt === 0 && next.dueAt > now && !snoozed) next = { ...next, dueAt: now };
  // everyone away and nobody covering: the next level does not wait its delay (issue 22); stored as "Escalate now" is
  if (outcome.skipped === 'away' && next && next.attempt === 0 && next.dueAt > now && !snoozed) next = { ...next, dueAt: now };
  const written = await recordEscalationStep(deps.db, {
    blockerId,
    version,
    now: now.toJSDate(),
    set: {
      levelsDone: after.levelsDone,
      ...(step.attempt === 0 ? { lastLevel: outcome } : {}),
      repeatsDone: after.repeatsDone,
      lastNotifiedAt: now.toJSDate(),
      nextDueAt: next?.dueAt.toJSDate() ?? null,
    },
    notices: to.map((recipient) => ({
      recipient,
      episode: b.episode,
      level: step.level,
      attempt: step.attempt,
      dueAt: step.dueAt.toJSDate(),
      // when the ping is due: the step's due time (≤ now), or the end of the recipient's quiet hours
      notBefore: (exempt ? null : quietUntil(now, zoneOf(deps.config, recipient), quiet))?.toJSDate() ?? step.dueAt.toJSDate(),
      oncall: rotations.notes.find((n) => n.userId === recipient) ?? null,
      coveringFor: coveringFor[recipient] ?? null,
    })),
    event: {
      kind: to.length ? 'escalated' : 'skipped',
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
    },
    // a tracker task's escalation step comments on its issue once (issue 21, write_back sources only)
    ...(b.source === 'task' && b.taskId && step.attempt === 0 && to.length > 0
      ? { writeBack: { config: deps.config, issueKey: b.taskId, purpose: `escalation:${blockerId}:${step.level}` as const } }
      : {}),
  });
  // the row changed since it was read (acknowledged, snoozed, resolved, another wake-up's step): its own wake-up follows
  if (!written) return 'stale';
  // the DMs first: everything else after the write can wait for them
  await (opts.sendNotices ?? ((d, ids) => d.wakeups.sendNotices(ids)))(deps, written.dueNoticeIds);
  if (!to.length) deps.log.warn({ blocker: blockerId, level: step.level + 1, reason: outcome.skipped }, 'escalation level skipped: nobody left to notify');
  else deps.log.info({ blocker: blockerId, level: step.level + 1, to }, 'blocker escalated');
  // the job's delay counts from when it is added: from the clock now, after the DMs above (a Slack call or two)
  if (written.nextDueAt) await deps.wakeups.escalate([{ blockerId, version: written.version, dueAt: written.nextDueAt, now: deps.clock.now().toJSDate() }]);
  await deps.wakeups.renderBlockers([{ blockerId, version: written.messageVersion }]);
  // the DMs of earlier levels say how far it went since
  await deps.wakeups.updateNotices([{ blockerId, version: written.messageVersion }]);
  await deps.wakeups.postThreadLines([written.eventId]);
  return to.length ? 'notified' : 'skipped';
}
