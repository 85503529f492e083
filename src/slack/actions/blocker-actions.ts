import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { actOnBlocker, type BlockerAction } from '../../services/blockers/act.js';
import { BLOCKER_IDS, blockerIdFromBlockId } from '../blocks/ids.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';
import { firstClick } from '../middleware/clicks.js';
import { publishHome } from '../events/app-home.js';
import { resultText } from '../blocks/refusal.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';

type Parsed = { blockerId: number; action: BlockerAction } | null;

/**
 * Reads the blocker id and action from a block_actions payload: buttons carry the id in their value
 * (slackPayloads.blockerButton), the snooze menu in its option's value (slackPayloads.blockerSnooze), the user
 * picker only in its block_id. A value present but malformed names no blocker (never the block_id's).
 * @returns null when it names no blocker or action.
 */
export function parseBlockerAction(a: { action_id: string; block_id?: string; value?: string; selected_option?: { value: string }; selected_user?: string }): Parsed {
  const fromValue = a.value === undefined ? null : decodeSlack(slackPayloads.blockerButton, a.value);
  const id = fromValue ? (fromValue.ok ? fromValue.value : null) : blockerIdFromBlockId(a.block_id);
  switch (a.action_id) {
    case BLOCKER_IDS.acknowledge:
      return id ? { blockerId: id, action: { kind: 'acknowledge' } } : null;
    case BLOCKER_IDS.resolve:
      return id ? { blockerId: id, action: { kind: 'resolve' } } : null;
    case BLOCKER_IDS.escalate:
      return id ? { blockerId: id, action: { kind: 'escalate' } } : null;
    case BLOCKER_IDS.snooze: {
      const snooze = decodeSlack(slackPayloads.blockerSnooze, a.selected_option?.value);
      return snooze.ok ? { blockerId: snooze.value.blockerId, action: { kind: 'snooze', ms: snooze.value.ms } } : null;
    }
    case BLOCKER_IDS.reassign:
      return id && a.selected_user ? { blockerId: id, action: { kind: 'reassign', owner: a.selected_user } } : null;
    default:
      return null;
  }
}

/**
 * Acknowledge / Resolve / Escalate now / Snooze / Reassign, from the blocker message, an escalation DM or the
 * Home tab. ack() first; the role check happens on the server in actOnBlocker (a forged payload from someone
 * else is refused). Answers go back ephemerally (or by DM from the Home tab, which has no response_url).
 */
export function registerBlockerActions(app: App, ctx: SlackContext): void {
  const ids = Object.values(BLOCKER_IDS).filter((id) => id !== BLOCKER_IDS.form);
  app.action<BlockAction>(new RegExp(`^(${ids.join('|')})$`), async ({ ack, body, action, client, respond }) => {
    await ack();
    const userId = body.user.id;
    const parsed = parseBlockerAction(action as never);
    const reply = async (text: string) => {
      if (body.container?.type === 'view' || !('response_url' in body)) await client.chat.postMessage({ channel: userId, text });
      else await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    try {
      if (!parsed) return await reply(STALE_PAYLOAD.blockerAction);
      const clickKey = `${parsed.blockerId}:${JSON.stringify(parsed.action)}`;
      if (!(await firstClick(ctx, userId, action.action_id, clickKey))) return;
      const res = await actOnBlocker(ctx.deps, parsed.blockerId, userId, parsed.action);
      await reply(resultText(res));
      if (body.container?.type === 'view') await publishHome(ctx, client as WebClient, userId);
    } catch (err) {
      ctx.deps.log.error({ err, action: action.action_id }, 'blocker action failed');
      await reply(TRY_AGAIN).catch(() => {});
    }
  });
}
