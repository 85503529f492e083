import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import { reminderMessage, standupPromptMessage, type RunContext } from '../../slack/blocks/standup-dm.js';
import type { Deps } from '../deps.js';
import { isPermanent, platformError } from '../slack-errors.js';

export type SendOutcome = 'sent' | 'not-due' | 'failed-permanently';

/** "12:00 EST" in `zone`. */
export const localClock = (d: Date, zone: string) => DateTime.fromJSDate(d).setZone(zone).toFormat('HH:mm ZZZZ');

function runContext(run: typeof standupRuns.$inferSelect, closeAt: Date, zone: string): RunContext {
  return { runId: run.id, workstreamName: run.workstreamName, localDate: run.localDate, closesAtLocal: localClock(closeAt, zone) };
}

/**
 * Sends one member's standup prompt by DM, exactly once:
 * reserve the row (pending → sending) before calling Slack, store the DM channel and `ts` after.
 * A failed call releases the reservation and rethrows (the job is retried; a 429 pauses the queue), except
 * for recipient errors such as `user_not_found`, which mark the prompt failed.
 * @returns 'not-due' when the row is not pending (already sent, skipped, or another worker has it).
 */
export async function sendPrompt(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const [claimed] = await deps.db
    .update(standupPrompts)
    .set({ status: 'sending', attempts: sql`${standupPrompts.attempts} + 1`, claimedAt: now })
    .where(and(eq(standupPrompts.id, promptId), eq(standupPrompts.status, 'pending'), sql`${standupPrompts.closeAt} > ${now}`))
    .returning();
  if (!claimed) return 'not-due';
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, claimed.runId));
  if (!run || run.status !== 'open') {
    await deps.db.update(standupPrompts).set({ status: 'expired' }).where(eq(standupPrompts.id, promptId));
    return 'not-due';
  }
  const message = standupPromptMessage(runContext(run, claimed.closeAt, claimed.zone), run.questions);
  try {
    const res = await deps.slack.chat.postMessage({ channel: claimed.userId, ...message });
    await deps.db
      .update(standupPrompts)
      .set({ status: 'sent', promptTs: res.ts ?? null, dmChannel: res.channel ?? null, sentAt: deps.clock.now().toJSDate() })
      .where(eq(standupPrompts.id, promptId));
    return 'sent';
  } catch (err) {
    if (isPermanent(err)) {
      deps.log.warn({ promptId, userId: claimed.userId, error: platformError(err) }, 'standup prompt cannot be delivered to this member');
      await deps.db.update(standupPrompts).set({ status: 'failed' }).where(eq(standupPrompts.id, promptId));
      return 'failed-permanently';
    }
    await deps.db.update(standupPrompts).set({ status: 'pending', claimedAt: null }).where(and(eq(standupPrompts.id, promptId), eq(standupPrompts.status, 'sending')));
    throw err;
  }
}

/**
 * Sends the single reminder to a member who has not answered by `remind_after`, reserved like a prompt
 * (none → sending → sent). Does nothing once the member answered, the run closed or it was already sent.
 */
export async function sendReminder(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const [claimed] = await deps.db
    .update(standupPrompts)
    .set({ reminderStatus: 'sending', reminderClaimedAt: now })
    .where(
      and(
        eq(standupPrompts.id, promptId),
        eq(standupPrompts.status, 'sent'),
        eq(standupPrompts.reminderStatus, 'none'),
        sql`${standupPrompts.closeAt} > ${now}`,
        sql`NOT EXISTS (SELECT 1 FROM ${standupAnswers} a WHERE a.run_id = ${standupPrompts.runId} AND a.user_id = ${standupPrompts.userId} AND a.complete)`,
      ),
    )
    .returning();
  if (!claimed) return 'not-due';
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, claimed.runId));
  if (!run || run.status !== 'open') {
    await deps.db.update(standupPrompts).set({ reminderStatus: 'not_needed' }).where(eq(standupPrompts.id, promptId));
    return 'not-due';
  }
  try {
    const res = await deps.slack.chat.postMessage({
      channel: claimed.dmChannel ?? claimed.userId,
      ...reminderMessage(runContext(run, claimed.closeAt, claimed.zone), run.questions, claimed.dmStep),
    });
    await deps.db.update(standupPrompts).set({ reminderStatus: 'sent', reminderTs: res.ts ?? null }).where(eq(standupPrompts.id, promptId));
    return 'sent';
  } catch (err) {
    if (isPermanent(err)) {
      await deps.db.update(standupPrompts).set({ reminderStatus: 'not_needed' }).where(eq(standupPrompts.id, promptId));
      return 'failed-permanently';
    }
    await deps.db.update(standupPrompts).set({ reminderStatus: 'none', reminderClaimedAt: null }).where(and(eq(standupPrompts.id, promptId), eq(standupPrompts.reminderStatus, 'sending')));
    throw err;
  }
}
