import { and, eq, gt, not, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { deliverClaim } from '../delivery/deliver.js';
import type { StandupDmModel } from '../delivery/renderer.js';
import { messageTransport } from '../delivery/send-once.js';
import * as transitions from '../delivery/transitions.js';
import { PROMPT, promptDelivery, REMINDER, reminderDelivery } from './delivery-kinds.js';
import { checkinTasksOf } from '../tasks/checkin.js';
import { promptAnswerComplete } from './answer-complete.js';

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
 * Sends one member's check-in prompt by DM, exactly once, as its delivery (services/checkins/delivery-kinds.ts
 * `prompt`; services/delivery/deliver.ts): claimed (pending → sending) before Slack is called, its IM channel and
 * `ts` recorded after; a re-send after a crash or a timeout first looks for the earlier attempt's message. A
 * transient failure releases the claim and rethrows (the job is retried; a 429 pauses the queue); a recipient error
 * such as `user_not_found` parks it as failed; a run closed meanwhile cancels it (`expired`).
 * @returns 'not-due' when it is not pending (already sent, skipped, expired, or another worker has it).
 */
export async function sendPrompt(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const [prompt] = await deps.db
    .select()
    .from(standupPrompts)
    .where(and(eq(standupPrompts.id, promptId), eq(standupPrompts.status, 'expected'), gt(standupPrompts.closeAt, now)));
  if (!prompt) return 'not-due';
  const ref = promptDelivery(promptId);
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, prompt.runId));
  if (!run || run.status !== 'open') {
    await transitions.cancel(deps, ref, claimed.claimedAt, 'expired');
    return 'not-due';
  }
  // the member's open tasks, each asked for its progress (issue 10)
  const tasks = await checkinTasksOf(deps, prompt.userId);
  const message = deps.renderer.standupPrompt({ ...dmModel(run, prompt, 0), tasks });
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, { channel: prompt.userId, imChannel: claimed.conversation }, message));
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.promptSent('prompt');
  return outcome === 'failed' ? 'failed-permanently' : outcome === 'taken-over' ? 'not-due' : 'sent';
}

/**
 * Sends the single reminder to a member who has not answered by `remind_after`, exactly once like a prompt (its
 * delivery `reminder`, opened here), in the prompt's DM. Does nothing once the member answered, the run closed or it
 * was already sent; a reminder left pending by an earlier attempt is then cancelled (`not_needed`).
 */
export async function sendReminder(deps: Deps, promptId: number): Promise<SendOutcome> {
  const now = deps.clock.now().toJSDate();
  const [due] = await deps.db
    .select({ prompt: standupPrompts, dm: deliveries.conversation })
    .from(standupPrompts)
    .innerJoin(deliveries, and(eq(deliveries.kind, PROMPT), eq(deliveries.ownerKey, sql`${standupPrompts.id}::text`)))
    .where(and(eq(standupPrompts.id, promptId), eq(standupPrompts.status, 'expected'), eq(deliveries.status, 'sent'), gt(standupPrompts.closeAt, now), not(promptAnswerComplete)));
  if (!due) {
    // answered, skipped or closed meanwhile: a reminder an earlier attempt opened (then released, after a 429) is
    // not wanted any more, so it must not stay pending for good
    await transitions.giveUp(deps.db, REMINDER, [promptId], 'cancelled', 'not_needed');
    return 'not-due';
  }
  const { prompt, dm } = due;
  const ref = reminderDelivery(promptId);
  await transitions.open(deps.db, ref, now);
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  const [run] = await deps.db.select().from(standupRuns).where(eq(standupRuns.id, prompt.runId));
  if (!run || run.status !== 'open') {
    await transitions.cancel(deps, ref, claimed.claimedAt, 'not_needed');
    return 'not-due';
  }
  const target = { channel: dm ?? prompt.userId, imChannel: dm };
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, target, deps.renderer.standupReminder(dmModel(run, prompt, prompt.dmStep))));
  if (outcome !== 'failed' && outcome !== 'taken-over') deps.observer?.promptSent('reminder');
  return outcome === 'failed' ? 'failed-permanently' : outcome === 'taken-over' ? 'not-due' : 'sent';
}
