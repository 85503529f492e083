import type { App, BlockButtonAction } from '@slack/bolt';
import { runToAnswer } from '../../services/checkins/run-to-answer.js';
import { IDS } from '../blocks/ids.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';
import { firstClick } from '../middleware/clicks.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';
import { openStandupForm } from '../views/open-standup-form.js';

/** The "Open the form" / "Edit my answer" button in standup DMs: ack, then open the modal (double-clicks open one). */
export function registerOpenStandupFormAction(app: App, ctx: SlackContext): void {
  app.action<BlockButtonAction>(IDS.openStandupForm, async ({ ack, body, action, client, respond }) => {
    await ack();
    const userId = body.user.id;
    if (!(await firstClick(ctx, userId, action.action_id, action.value ?? ''))) return;
    const runId = decodeSlack(slackPayloads.openStandupForm, action.value);
    if (!runId.ok) {
      ctx.deps.log.warn({ action: action.action_id, problem: runId.problem, userId }, 'standup form button value did not decode');
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_PAYLOAD.openStandupForm }).catch(() => {});
      return;
    }
    try {
      const found = await runToAnswer(ctx.deps, userId, { runId: runId.value });
      if (!found.ok) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: 'That standup is not yours to answer. Type `/standup` to open your own.' });
        return;
      }
      await openStandupForm(ctx, client, body.trigger_id, userId, found);
    } catch (err) {
      ctx.deps.log.error({ err, action: action.action_id }, 'opening the standup form failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: TRY_AGAIN }).catch(() => {});
    }
  });
}
