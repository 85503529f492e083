import type { Deps } from '../deps.js';
import { sendNotice } from './delivery.js';

/**
 * Sends the due escalation DMs of a step from the job that wrote it (the escalation processor, src/jobs/registry.ts),
 * rather than through a `send-notice` job: no enqueue and no second job's start between the step and the ping
 * (issue 25: escalation lateness). Each goes through {@link sendNotice}, so it is claimed and sent once whoever else
 * tries (a `send-notice` job of the due-work sweep, another replica).
 * The `send-notice` job stays the way for everything else; a DM is handed to it instead of sent here when:
 * - a Slack rate limit holds chat.postMessage now (`deps.slackOpen`): its wait would hold an escalation slot, and the
 *   dm queue is where a 429 pauses and retries;
 * - the send throws (a 429, a timeout, a 5xx, a failed read): its claim was given back, and the job retries it.
 * A crash in between leaves the claim to `reclaim_after` and the sweep, as a crashed `send-notice` job does.
 * @param noticeIds due notices (`blocker_notices.id`), sent side by side.
 */
export async function sendNoticesNow(deps: Deps, noticeIds: readonly number[]): Promise<void> {
  const queued: number[] = [];
  await Promise.all(
    noticeIds.map(async (noticeId) => {
      if (deps.slackOpen && !deps.slackOpen('chat.postMessage')) {
        queued.push(noticeId);
        return;
      }
      try {
        await sendNotice(deps, noticeId);
      } catch (err) {
        deps.log.warn({ err, notice: noticeId }, 'escalation DM not sent from the escalation job; its send-notice job retries it');
        queued.push(noticeId);
      }
    }),
  );
  if (queued.length) await deps.wakeups.sendNotices(queued.sort((a, b) => a - b));
}
