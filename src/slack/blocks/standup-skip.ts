import { DateTime } from 'luxon';
import type { SkipOutcome } from '../../services/checkins/skip.js';
import { safeMrkdwn } from './text.js';

/**
 * The answer to `/standup skip`: one line per check-in naming the run it skipped (the workstream-local date) and
 * when that run prompts the member in their own zone, e.g. "Skipped *Payments*' standup on Tue 1 Dec (10:00 your
 * time): no prompt or reminder." When the member's prompt falls on another calendar day in their zone than the
 * run's date (a run started by `/standup start`), the prompt's own date is given too.
 */
export function standupSkipText(results: readonly SkipOutcome[]): string {
  if (results.length === 0) return 'You are not in any check-in coming up, so there is nothing to skip.';
  return results.map(skipLine).join('\n');
}

function skipLine(r: SkipOutcome): string {
  const name = `*${safeMrkdwn(r.workstream, 100)}*`;
  const runDay = DateTime.fromISO(r.localDate, { zone: 'utc' }).toFormat('ccc d LLL');
  const local = r.promptAt ? DateTime.fromJSDate(r.promptAt).setZone(r.zone) : null;
  const when = !local ? '' : local.toISODate() === r.localDate ? ` (${local.toFormat('HH:mm')} your time)` : ` (your prompt: ${local.toFormat('ccc d LLL HH:mm')} your time)`;
  const what = r.checkin === 'Standup' ? 'standup' : `check-in *${safeMrkdwn(r.checkin, 100)}*`;
  const run = `${name}’s ${what} on ${runDay}${when}`;
  if (r.outcome === 'already-answered') return `• You already answered ${run}, so it stays in the report.`;
  return `• ⏭️ Skipped ${run}: no prompt or reminder.`;
}
