import { and, eq, sql } from 'drizzle-orm';
import { deliveries, standupPrompts } from '../../db/schema/index.js';
import type { DeliveryRef } from '../delivery/transitions.js';

/** The delivery kind of a run's report in its report channel (posted once, then edited; `reservation: report-<run id>`). */
export const REPORT = 'report';

/** The delivery of run `runId`'s report (its `ts` once posted). */
export const reportDelivery = (runId: number): DeliveryRef => ({ kind: REPORT, ownerKey: runId });

/** The delivery kind of a late answer in the report's thread (posted once, then edited; `late_answer-<answer id>`). */
export const LATE_ANSWER = 'late_answer';

/** The delivery of late answer `answerId`. */
export const lateAnswerDelivery = (answerId: number): DeliveryRef => ({ kind: LATE_ANSWER, ownerKey: answerId });

/** The delivery kind of a member's check-in prompt DM (`preflight_prompt`, `prompt-<prompt id>`), opened with the prompt. */
export const PROMPT = 'prompt';

/** The delivery of prompt `promptId`'s DM (its IM channel and `ts` once sent). */
export const promptDelivery = (promptId: number): DeliveryRef => ({ kind: PROMPT, ownerKey: promptId });

/** The delivery kind of the single reminder to a member who has not answered (`preflight_reminder`), opened when due. */
export const REMINDER = 'reminder';

/** The delivery of prompt `promptId`'s reminder. */
export const reminderDelivery = (promptId: number): DeliveryRef => ({ kind: REMINDER, ownerKey: promptId });

/** The join condition of a prompt with its DM's delivery (`deliveries`), where its status, IM channel and `ts` live. */
export const promptJoin = and(eq(deliveries.kind, PROMPT), eq(deliveries.ownerKey, sql`${standupPrompts.id}::text`));

/**
 * The delivery kind of the DM confirming a complete answer ("Thanks! Your answer is in the … report",
 * `preflight_answer_receipt`), opened with the answer in its transaction and sent by the `dm` queue behind the prompts.
 */
export const ANSWER_RECEIPT = 'answer_receipt';

/**
 * The receipt of version `version` of answer `answerId` (owner key `<answer id>.<version>`; version = 1 + the
 * answer's edits): each saved version of an answer (the first, then each edit through the form) gets one receipt.
 */
export const answerReceiptDelivery = (answerId: number, version: number): DeliveryRef => ({ kind: ANSWER_RECEIPT, ownerKey: `${answerId}.${version}` });
