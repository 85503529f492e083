/*
 * How the edits of a check-in report are coalesced (issue 25). chat.update is Tier 3 (about 50 a minute,
 * docs.slack.dev/reference/methods/chat.update), so a report is not edited after every answer: every wake-up of a
 * run's report after its first post shares one job (BullMQ deduplication on the key `report-<runId>`, see
 * WakeupJob.coalesce in job-definition.ts), which runs REPORT_COALESCE_MS after the first change it covers and reads
 * the report's latest state from Postgres (services/checkins/report-message.ts renderReport). A change while that job
 * runs is kept in Redis and gets the next job, REPORT_COALESCE_MS after this one ends. So:
 * - a report is edited at most once per REPORT_COALESCE_MS (a burst of answers over W seconds costs at most
 *   ⌈W / 5 s⌉ + 1 chat.update calls, none when the render finds nothing new);
 * - an answer shows within REPORT_COALESCE_MS plus one render (twice that at worst: it came while a render ran),
 *   inside issue 25's 10 s;
 * - the job and its key are in Redis: another replica does not add a second one, and a restart still runs it (the
 *   standup tick queues again any report whose rendered version is behind, should Redis lose it).
 * The first post (version 1) is not coalesced: it goes at once, so the report is in the channel before the run's
 * prompts use up chat.postMessage's workspace cap.
 */

/** Minimum time between two edits of one report, and the delay of the edit after a change, in ms. */
export const REPORT_COALESCE_MS = 5_000;

/** The coalescing key of a run's report edits: `report-<runId>` (no ':', which BullMQ forbids). */
export function reportCoalesceKey(runId: number): string {
  return `report-${runId}`;
}
