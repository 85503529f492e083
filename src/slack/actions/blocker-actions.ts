import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { actOnBlocker, type BlockerAction } from '../../services/blockers/act.js';
import { BLOCKER_IDS, blockerIdFromBlockId } from '../blocks/ids.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';
import { firstClick } from '../middleware/clicks.js';
import { publishHome } from '../events/app-home.js';
import { resultText } from '../blocks/refusal.js';

type Parsed = { blockerId: number; action: BlockerAction } | null;

/** Reads the blocker id and action from a block_actions payload (buttons carry the id; menus carry it in their value or block_id). */
export function parseBlockerAction(a: { action_id: string; block_id?: string; value?: string; selected_option?: { value: string }; selected_user?: string }): Parsed {
  const idFromValue = a.value && /^\d+$/.test(a.value) ? Number(a.value) : null;
  const id = idFromValue ?? blockerIdFromBlockId(a.block_id);
  switch (a.action_id) {
    case BLOCKER_IDS.acknowledge:
      return id ? { blockerId: id, action: { kind: 'acknowledge' } } : null;
    case BLOCKER_IDS.resolve:
      return id ? { blockerId: id, action: { kind: 'resolve' } } : null;
    case BLOCKER_IDS.escalate:
      return id ? { blockerId: id, action: { kind: 'escalate' } } : null;
    case BLOCKER_IDS.snooze: {
      const m = /^(\d+):(\d+)$/.exec(a.selected_option?.value ?? '');
      return m ? { blockerId: Number(m[1]), action: { kind: 'snooze', ms: Number(m[2]) } } : null;
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
      if (!parsed) return await reply('That action did not name a blocker I know. Try `/blocker list`.');
      const clickKey = `${parsed.blockerId}:${JSON.stringify(parsed.action)}`;
      if (!(await firstClick(ctx.redis, userId, action.action_id, clickKey))) return;
      const res = await actOnBlocker(ctx.deps, parsed.blockerId, userId, parsed.action);
      await reply(resultText(res));
      if (body.container?.type === 'view') await publishHome(ctx, client as WebClient, userId);
    } catch (err) {
      ctx.deps.log.error({ err, action: action.action_id }, 'blocker action failed');
      await reply(TRY_AGAIN).catch(() => {});
    }
  });
}
