import { countsInReport } from '../../domain/checkins/late-answers.js';
import { and, eq, sql } from 'drizzle-orm';
import { deliveries, standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import { SWEEP_BATCH } from '../blockers/sweep.js';
import type { Deps } from '../deps.js';
import { deliverClaim } from '../delivery/deliver.js';
import type { AnswerReceiptModel } from '../delivery/renderer.js';
import { messageTransport } from '../delivery/send-once.js';
import * as transitions from '../delivery/transitions.js';
import { ANSWER_RECEIPT, answerReceiptDelivery, PROMPT } from './delivery-kinds.js';
import { localClock } from './prompts.js';

/** One saved version of a complete answer: its row and its version, 1 + the edits it had then (`standup_answers.edits`). */
export interface AnswerReceiptItem {
  answerId: number;
  version: number;
}

/**
 * Sends the DM confirming a complete answer ("✅ Thanks! Your answer is in the … report", with the button to edit it
 * while the run is open), exactly once per saved version, as its delivery (delivery-kinds.ts `answer_receipt`, opened
 * by recordAnswer in the answer's own transaction, so a crash between the commit and this send loses nothing: the
 * due-work sweep queues it again through {@link pendingAnswerReceipts}). It runs on the `dm` queue behind prompts and
 * escalation DMs (jobs/job-definition.ts DM_PRIORITY, issue 25): under a fan-out the receipt waits, the answer does
 * not (it was stored before). An answer typed in the DM is confirmed in that conversation (the IM channel its prompt
 * went to); a form answer to the member's user id (Slack posts it in their DM with the app; no conversations.open).
 * A version superseded by a later edit is cancelled (`superseded`): the later one says the same.
 * @returns 'sent' (or found sent by an earlier attempt), 'failed' (parked: Slack refused it for good), 'not-due'
 *   (already sent, superseded, or another worker has it).
 * @throws a transient Slack or database error (the claim is released and the job retries).
 */
export async function sendAnswerReceipt(deps: Deps, item: AnswerReceiptItem): Promise<'sent' | 'failed' | 'not-due'> {
  const ref = answerReceiptDelivery(item.answerId, item.version);
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  const [row] = await deps.db
    .select({ answer: standupAnswers, run: standupRuns, prompt: standupPrompts, dm: deliveries.conversation })
    .from(standupAnswers)
    .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
    .innerJoin(standupPrompts, and(eq(standupPrompts.runId, standupAnswers.runId), eq(standupPrompts.userId, standupAnswers.userId)))
    .leftJoin(deliveries, and(eq(deliveries.kind, PROMPT), eq(deliveries.ownerKey, sql`${standupPrompts.id}::text`)))
    .where(eq(standupAnswers.id, item.answerId));
  if (!row || row.answer.edits + 1 !== item.version) {
    await transitions.cancel(deps, ref, claimed.claimedAt, row ? 'superseded' : 'answer_gone');
    return 'not-due';
  }
  const { answer, run, prompt, dm } = row;
  // read as the receipt goes out, which can be after the run closed (it waits behind a fan-out's prompts)
  const message = deps.renderer.answerReceipt(answerReceiptModel(run, prompt, answer.late, answer.updatedAt));
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, { channel: answer.source === 'dm' && dm ? dm : answer.userId, imChannel: dm }, message));
  return outcome === 'failed' ? 'failed' : outcome === 'taken-over' ? 'not-due' : 'sent';
}

/**
 * The confirmation of a complete answer, as the member sees it now: where it shows (the report, or its thread when
 * `late`, and the closed report too when this version came within the late-answer window: `answeredAt`, when it was saved), their
 * close time in their own zone, and whether it can still be edited (the run is open).
 */
export function answerReceiptModel(run: typeof standupRuns.$inferSelect, prompt: Pick<typeof standupPrompts.$inferSelect, 'closeAt' | 'zone'>, late: boolean, answeredAt: Date): AnswerReceiptModel {
  return {
    runId: run.id,
    workstreamName: run.workstreamName,
    checkinName: run.checkinName,
    localDate: run.localDate,
    closesAtLocal: localClock(prompt.closeAt, prompt.zone),
    reportChannel: run.reportChannel,
    late,
    lateInReport: late && countsInReport(run.closeAt.getTime(), answeredAt.getTime()),
    editable: run.status === 'open',
  };
}

/** Answer receipts still pending in Postgres (at most SWEEP_BATCH), for the due-work sweep to queue again. */
export async function pendingAnswerReceipts(deps: Pick<Deps, 'db'>): Promise<AnswerReceiptItem[]> {
  const rows = await deps.db
    .select({ ownerKey: deliveries.ownerKey })
    .from(deliveries)
    .where(and(eq(deliveries.kind, ANSWER_RECEIPT), eq(deliveries.status, 'pending')))
    .limit(SWEEP_BATCH);
  return rows.map((r) => {
    const [answerId, version] = r.ownerKey.split('.').map(Number);
    return { answerId: answerId!, version: version! };
  });
}
