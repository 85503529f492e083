import type { DeliveryRef } from '../delivery/transitions.js';

/** The delivery kind of a run's report in its report channel (posted once, then edited; `reservation: report-<run id>`). */
export const REPORT = 'report';

/** The delivery of run `runId`'s report (its `ts` once posted). */
export const reportDelivery = (runId: number): DeliveryRef => ({ kind: REPORT, ownerKey: runId });

/** The delivery kind of a late answer in the report's thread (posted once, then edited; `late_answer-<answer id>`). */
export const LATE_ANSWER = 'late_answer';

/** The delivery of late answer `answerId`. */
export const lateAnswerDelivery = (answerId: number): DeliveryRef => ({ kind: LATE_ANSWER, ownerKey: answerId });
