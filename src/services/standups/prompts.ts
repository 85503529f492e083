import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { StandupDmModel } from '../delivery/renderer.js';
import { claimReservation, settleReservation } from '../delivery/reservation.js';
import { PROMPT, REMINDER } from '../delivery/reservations.js';
import { deliverClaimed } from '../delivery/send-once.js';
import { checkinTasksOf } from '../tasks/checkin.js';

export type SendOutcome = 'sent' | 'not-due' | 'failed-permanently';

/** "12:00 EST" in `zone`. */
export const localClock = (d: Date, zone: string) => DateTime.fromJSDate(d).setZone(zone).toFormat('HH:mm ZZZZ');

function dmModel(run: typeof standupRuns.$inferSelect, prompt: typeof standupPrompts.$inferSelect, step: number): StandupDmModel {
  return {
    runId: run.id,
    workstreamName: run.workstreamName,
    checkinName: run.checkinName,
    localDate: run.localDate,
    closesAtLocal: localClock(prompt.closeAt, prompt.zone),
    questions: run.questions,
    step,
  };
}

/**
 * Sends one member's standup prompt by DM, exactly once, through services/delivery: the row is reserved
 * (pending → sending) before Slack is called and its DM channel and `ts` stored after; a re-send after a
 * crash or a timeout first looks for the earlier attempt's message. A transient failure releases the
 * reservation and rethrows (the job is retried; a 429 pauses the queue); a recipient error such as
 * `user_not_found` marks the prompt failed.
 * @returns 'not-due' when the row is not pending (already sent, skipped, or another worker has it).
 */
export async function sendPrompt(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const claimed = await claimReservation(deps, PROMPT, promptId, sql`${standupPrompts.closeAt} > ${now}`);
  if (!claimed) return 'not-due';
  const prompt = claimed.row;
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, prompt.runId));
  if (!run || run.status !== 'open') {
    await settleReservation(deps, PROMPT, promptId, 'expired');
    return 'not-due';
  }
  // the member's open tasks, each asked for its progress (issue 10)
  const tasks = await checkinTasksOf(deps, prompt.userId);
  const outcome = await deliverClaimed(deps, PROMPT, claimed, promptId, { channel: prompt.userId, imChannel: prompt.dmChannel }, deps.renderer.standupPrompt({ ...dmModel(run, prompt, 0), tasks }));
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.promptSent('prompt');
  return outcome === 'failed' ? 'failed-permanently' : outcome === 'taken-over' ? 'not-due' : 'sent';
}

/**
 * Sends the single reminder to a member who has not answered by `remind_after`, exactly once like a prompt
 * (none → sending → sent). Does nothing once the member answered, the run closed or it was already sent.
 */
export async function sendReminder(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const claimed = await claimReservation(
    deps,
    REMINDER,
    promptId,
    and(
      eq(standupPrompts.status, 'sent'),
      sql`${standupPrompts.closeAt} > ${now}`,
      sql`NOT EXISTS (SELECT 1 FROM ${standupAnswers} a WHERE a.run_id = ${standupPrompts.runId} AND a.user_id = ${standupPrompts.userId} AND a.complete)`,
    ),
  );
  if (!claimed) return 'not-due';
  const prompt = claimed.row;
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, prompt.runId));
  if (!run || run.status !== 'open') {
    await settleReservation(deps, REMINDER, promptId, 'not_needed');
    return 'not-due';
  }
  const target = { channel: prompt.dmChannel ?? prompt.userId, imChannel: prompt.dmChannel };
  const outcome = await deliverClaimed(deps, REMINDER, claimed, promptId, target, deps.renderer.standupReminder(dmModel(run, prompt, prompt.dmStep)));
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.promptSent('reminder');
  return outcome === 'failed' ? 'failed-permanently' : outcome === 'taken-over' ? 'not-due' : 'sent';
}
