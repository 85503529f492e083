/*
 * A late answer: one completed after its run closed. It always joins the report's thread; for a while after the
 * close the closed report counts it too (its member marked _late_). Pure.
 */

/**
 * How long after a run's close (ms) it is still answered late in full: a DM reply still answers it (later, a DM is
 * conversation, not a late answer to an old run) and a late answer still edits its closed report (whose expected
 * tasks and carried-over blockers stay as they were at the close: services/checkins/report-message.ts). A late
 * answer through the form after that only goes to the report's thread: past the check-in's day, its report stays as
 * the day left it.
 */
export const LATE_ANSWER_WINDOW_MS = 12 * 3_600_000;

/**
 * Whether an answer given at `answeredAtMs` still counts in the report of a run that closes (or closed) at
 * `closeAtMs`: before the close, or within {@link LATE_ANSWER_WINDOW_MS} after it. Both epoch ms (UTC).
 */
export function countsInReport(closeAtMs: number, answeredAtMs: number): boolean {
  return answeredAtMs - closeAtMs <= LATE_ANSWER_WINDOW_MS;
}
