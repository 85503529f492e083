import type { App, BlockButtonAction } from '@slack/bolt';
import { signOffGate } from '../../services/gonogo/gates.js';
import { GATE_IDS } from '../blocks/gonogo.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';
import { firstClick } from '../middleware/clicks.js';
import { resultText } from '../blocks/refusal.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';

/** "✅ Sign off" / "❌ Fail" buttons of the go/no-go summary: only the gate's sign-off authority (checked on the server). */
export function registerGateActions(app: App, ctx: SlackContext): void {
  app.action<BlockButtonAction>(new RegExp(`^(${GATE_IDS.signOff}|${GATE_IDS.fail})(:\\d+)?$`), async ({ ack, body, action, respond }) => {
    await ack();
    const userId = body.user.id;
    const gate = decodeSlack(slackPayloads.gateButton, action.value);
    if (!gate.ok) {
      ctx.deps.log.warn({ action: action.action_id, problem: gate.problem, userId }, 'gate button value did not decode');
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_PAYLOAD.gateAction }).catch(() => {});
      return;
    }
    const gateId = gate.value;
    if (!(await firstClick(ctx, userId, action.action_id.split(':')[0]!, gateId))) return;
    try {
      const outcome = action.action_id.startsWith(GATE_IDS.fail) ? 'failed' : 'passed';
      const res = await signOffGate(ctx.deps, gateId, userId, outcome, null);
      await respond({ response_type: 'ephemeral', replace_original: false, text: res.ok ? `${res.message} Type \`/gonogo\` for the updated summary.` : resultText(res) });
    } catch (err) {
      ctx.deps.log.error({ err, action: action.action_id }, 'gate sign-off failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: TRY_AGAIN }).catch(() => {});
    }
  });
}
