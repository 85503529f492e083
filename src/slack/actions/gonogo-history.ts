import type { App, BlockButtonAction } from '@slack/bolt';
import { gonogoHistory } from '../../services/gonogo/history-page.js';
import { zoneOf } from '../../services/checkins/participation.js';
import { GONOGO_HISTORY_IDS, gonogoHistoryMessage, historyNames, parseHistoryCursor } from '../blocks/gonogo-history.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

/**
 * "⏪ Show older" under `/gonogo history`: answers with the next older page as a new ephemeral message (the page
 * shown stays), through the action's `response_url`. A value this bot did not write gets a plain refusal.
 */
export function registerGonogoHistoryActions(app: App, ctx: SlackContext): void {
  app.action<BlockButtonAction>(GONOGO_HISTORY_IDS.older, async ({ ack, action, body, respond }) => {
    await ack();
    const cursor = parseHistoryCursor(action.value);
    if (!cursor) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: 'That button is out of date: type `/gonogo history` again.' }).catch(() => {}));
    try {
      const msg = gonogoHistoryMessage(await gonogoHistory(ctx.deps, cursor), historyNames(ctx.deps.config, zoneOf(ctx.deps.config, body.user.id)), { older: true });
      await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
    } catch (err) {
      ctx.deps.log.error({ err, action: action.action_id }, 'go/no-go history page failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: TRY_AGAIN }).catch(() => {});
    }
  });
}
