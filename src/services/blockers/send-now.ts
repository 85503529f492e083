import type { Deps } from '../deps.js';
import { rateLimitedFor } from '../slack-errors.js';
import { sendNotice } from './delivery.js';

/**
 * Sends the due escalation DMs of a step from the job that wrote it (the escalation processor, src/jobs/registry.ts),
 * rather than through a `send-notice` job each: no enqueue and no second job's start between the step and the ping
 * (issue 25: escalation lateness). Each goes through {@link sendNotice}, so it is claimed and sent once whoever else
 * tries (a `send-notice` job of the due-work sweep, another replica).
 * A DM is handed to its `send-notice` job instead, at once, when:
 * - a Slack rate limit holds its post now (the workspace's or the recipient's; `deps.refusingHeldSlackCalls`): the
 *   call is refused before it is made rather than waited for under an escalation slot, and the dm queue is where a
 *   post waits out a Retry-After (its claim was given back uncounted);
 * - Slack answers 429, or the send throws otherwise (timeout, 5xx, a failed read): its claim was given back, and the
 *   job retries it (a send that went out and failed after, e.g. while asking for its DM's edit, finds it sent).
 * A 429 here pauses no BullMQ queue (the dm queue's own 429s do); the process's rate-limit gate holds the later calls.
 * A crash in the middle leaves the claim to `reclaim_after` and the sweep, as a crashed `send-notice` job does.
 * @param noticeIds due notices (`blocker_notices.id`), sent side by side.
 */
export async function sendNoticesNow(deps: Deps, noticeIds: readonly number[]): Promise<void> {
  const refusingHeld = deps.refusingHeldSlackCalls ?? (<T>(fn: () => Promise<T>) => fn());
  await Promise.all(
    noticeIds.map(async (noticeId) => {
      try {
        await refusingHeld(() => sendNotice(deps, noticeId));
      } catch (err) {
        if (rateLimitedFor(err) === null)
          deps.log.warn({ err, notice: noticeId }, 'escalation DM: the escalation job could not finish it (it may not have gone out); its send-notice job takes it over');
        await deps.wakeups.sendNotices([noticeId]);
      }
    }),
  );
}
