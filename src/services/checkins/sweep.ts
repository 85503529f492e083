import { and, eq, gt, inArray, lte, ne, not, or, sql } from 'drizzle-orm';
import { deliveries, standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { releaseStaleReservations } from '../delivery/release-stale.js';
import { closeDueRuns, openDueRuns } from './runs.js';
import * as transitions from '../delivery/transitions.js';
import { PROMPT, promptJoin, REMINDER, reminderDelivery } from './delivery-kinds.js';
import { removedParticipants } from './removed-participants.js';
import { promptAnswerComplete } from './answer-complete.js';

const BATCH = 10_000;

/** `deliveries.last_error` of a prompt or reminder not sent because a reload removed its member from the check-in. */
const REMOVED = 'removed from the plan';

/** Counts of what one tick did, for logs and tests. */
export interface TickReport {
  opened: number;
  missed: number;
  closed: number;
  prompts: number;
  reminders: number;
  reports: number;
  lateAnswers: number;
  released: number;
}

/**
 * The scheduler's tick (a BullMQ job scheduler runs it every `scheduler.tick`). Postgres is the truth and
 * this re-derives every wake-up from it, so a lost job or a flushed Redis delays work by one tick at most:
 * 1. open due runs (or record missed ones); 2. close runs past their close time;
 * 3. release reservations of every kind of message abandoned by a crashed process (services/delivery); 4. expire prompts whose member window closed,
 *    and cancel reminders left pending that are not wanted any more (answered, skipped, closed: `not_needed`);
 * 5. enqueue due prompts, reminders, report renders and late answers (deterministic job ids: no duplicates); the
 *    prompts and reminders of people a reload removed from the check-in are cancelled instead ({@link removedParticipants}).
 */
export async function tick(deps: Deps): Promise<TickReport> {
  const { opened, missed } = await openDueRuns(deps);
  const closed = await closeDueRuns(deps);
  const now = deps.clock.now().toJSDate();
  const { db } = deps;
  const released = await releaseStaleReservations(deps);

  // prompts whose member window closed before they were sent expire (their deliveries are cancelled)
  const expired = await db
    .select({ id: standupPrompts.id })
    .from(standupPrompts)
    .innerJoin(deliveries, promptJoin)
    .where(and(eq(deliveries.status, 'pending'), lte(standupPrompts.closeAt, now)));
  await transitions.giveUp(
    db,
    PROMPT,
    expired.map((p) => p.id),
    'cancelled',
    'expired',
  );

  // reminders an attempt opened and gave back (a 429, a crash) that are not wanted any more (answered, skipped,
  // window or run closed): their job would cancel them, but a job can be lost (Redis restarted without its data, a
  // job stalled past its limit) and the query below no longer wakes them; cancelled here, never left pending
  // (driven from the pending reminders, few, by their (kind, status) index; the prompt found by its primary key)
  const pendingReminders = db
    // CASE: the cast never meets another kind's key (an answer receipt's `12.3`), whatever order the plan evaluates in
    .select({ promptId: sql<number>`CASE WHEN ${deliveries.ownerKey} ~ '^[0-9]+$' THEN ${deliveries.ownerKey}::int END` })
    .from(deliveries)
    .where(and(eq(deliveries.kind, REMINDER), eq(deliveries.status, 'pending')));
  const unwanted = await db
    .select({ id: standupPrompts.id })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(and(inArray(standupPrompts.id, pendingReminders), or(ne(standupPrompts.status, 'expected'), lte(standupPrompts.closeAt, now), ne(standupRuns.status, 'open'), promptAnswerComplete)))
    .limit(BATCH);
  await transitions.giveUp(
    db,
    REMINDER,
    unwanted.map((p) => p.id),
    'cancelled',
    'not_needed',
  );

  const dueOrRemoved = await db
    .select({ id: standupPrompts.id, claims: deliveries.claims, userId: standupPrompts.userId, workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId })
    .from(standupPrompts)
    .innerJoin(deliveries, promptJoin)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(and(eq(deliveries.status, 'pending'), eq(standupPrompts.status, 'expected'), lte(standupPrompts.promptAt, now), eq(standupRuns.status, 'open')))
    .orderBy(standupPrompts.promptAt, standupPrompts.id)
    .limit(BATCH);
  // people a reload removed get nothing more: their prompts not sent yet are cancelled
  const removedPrompts = new Set(removedParticipants(deps.config, dueOrRemoved).map((p) => p.id));
  await transitions.giveUp(db, PROMPT, [...removedPrompts], 'cancelled', REMOVED);
  const duePrompts = dueOrRemoved.filter((p) => !removedPrompts.has(p.id));
  await deps.wakeups.sendPrompts(duePrompts.map((p) => ({ promptId: p.id, attempt: p.claims + 1 })));

  // reminders of prompts sent and not answered, not sent (nor being sent) yet
  const remindersOrRemoved = await db
    .select({ id: standupPrompts.id, userId: standupPrompts.userId, workstreamId: standupRuns.workstreamId, checkinId: standupRuns.checkinId })
    .from(standupPrompts)
    .innerJoin(deliveries, promptJoin)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(
      and(
        eq(standupPrompts.status, 'expected'),
        eq(deliveries.status, 'sent'),
        sql`NOT EXISTS (SELECT 1 FROM ${deliveries} r WHERE r.kind = ${REMINDER} AND r.owner_key = ${standupPrompts.id}::text AND r.status <> 'pending')`,
        lte(standupPrompts.remindAt, now),
        gt(standupPrompts.closeAt, now),
        eq(standupRuns.status, 'open'),
        not(promptAnswerComplete),
      ),
    )
    .limit(BATCH);
  // and no reminder: it is recorded as cancelled, so it is not due again
  const removedReminders = new Set(removedParticipants(deps.config, remindersOrRemoved).map((p) => p.id));
  if (removedReminders.size) {
    const refs = [...removedReminders].map((id) => reminderDelivery(id));
    await transitions.open(db, refs, now);
    await transitions.giveUp(db, REMINDER, [...removedReminders], 'cancelled', REMOVED);
  }
  const dueReminders = remindersOrRemoved.filter((r) => !removedReminders.has(r.id));
  await deps.wakeups.sendReminders(dueReminders.map((r) => r.id));

  const staleReports = await db
    .select({ id: standupRuns.id, version: standupRuns.reportVersion })
    .from(standupRuns)
    .where(gt(standupRuns.reportVersion, standupRuns.reportRenderedVersion))
    .limit(BATCH);
  await deps.wakeups.renderReports(staleReports.map((r) => ({ runId: r.id, version: r.version })));

  const late = await db
    .select({ id: standupAnswers.id, version: standupAnswers.lateVersion })
    .from(standupAnswers)
    .where(gt(standupAnswers.lateVersion, standupAnswers.latePostedVersion))
    .limit(BATCH);
  await deps.wakeups.postLateAnswers(late.map((l) => ({ answerId: l.id, version: l.version })));

  return {
    opened: opened.length,
    missed: missed.length,
    closed: closed.length,
    prompts: duePrompts.length,
    reminders: dueReminders.length,
    reports: staleReports.length,
    lateAnswers: late.length,
    released: Object.values(released).reduce((a, b) => a + b, 0),
  };
}
