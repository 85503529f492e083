import type { App } from '@slack/bolt';
import { GONOGO_USAGE, parseGonogoCommand } from '../../domain/gonogo/command.js';
import { checklistForm, queueSummary, recordDecision } from '../../services/gonogo/decisions.js';
import { gonogoHistory } from '../../services/gonogo/history-page.js';
import { signOffGate } from '../../services/gonogo/gates.js';
import { replan } from '../../services/plan/replan.js';
import { replanText } from '../blocks/replan.js';
import { zoneOf } from '../../services/checkins/participation.js';
import { checklistView } from '../blocks/gonogo.js';
import { helpMessage } from '../blocks/help.js';
import { gonogoHistoryMessage, historyNames } from '../blocks/gonogo-history.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';
import { refusalText, resultText } from '../blocks/refusal.js';

const help = (problem?: string) => {
  const m = helpMessage('Go/no-go with Preflight', GONOGO_USAGE, problem);
  return ephemeral(m.text, m.blocks);
};

/**
 * `/gonogo` (summary queued for this channel, or the program channel when Slack refuses this one for good), `checklist`,
 * `signoff` / `fail`, `decide`, `history`, `due <gate> <time>` (issue 20: the PM moves a gate's due time, an
 * override on top of preflight.yml), `help`. Privileged actions are checked on the server.
 */
export function registerGonogoCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/gonogo', async ({ command, ack, client, respond }) => {
    const userId = command.user_id;
    const cmd = parseGonogoCommand(
      command.text ?? '',
      Object.keys(deps.config.workstreams),
      deps.config.gates.map((g) => g.id),
    );
    try {
      switch (cmd.kind) {
        case 'help':
          return await ack(help());
        case 'invalid':
          return await ack(help(cmd.message));
        case 'summary': {
          // ack first (building the summary reads every gate, workstream and blocker), then queue it once per
          // invocation for the outbound worker (retries never re-post it); the program channel is the fallback
          // when Slack refuses this one for good
          const here = command.channel_id;
          const program = deps.config.program.channel;
          await ack(ephemeral(here === program ? 'Posting the go/no-go summary here…' : `Posting the go/no-go summary here… (if I cannot post in this channel, it goes to <#${program}> instead)`));
          try {
            await queueSummary(deps, here, command.trigger_id);
          } catch (err) {
            deps.log.error({ err, command: '/gonogo' }, 'could not queue the go/no-go summary');
            await respond({ response_type: 'ephemeral', replace_original: false, text: TRY_AGAIN }).catch(() => {});
          }
          return;
        }
        case 'checklist': {
          const form = await checklistForm(deps, cmd.workstream, userId);
          if (!form.ok) return await ack(ephemeral(refusalText(form.refusal)));
          const { items } = form;
          if (!items.length) return await ack(ephemeral(`${deps.config.workstreams[cmd.workstream]!.name} has no checklist in preflight.yml (\`workstreams.${cmd.workstream}.checklist\`).`));
          await ack();
          await client.views.open({ trigger_id: command.trigger_id, view: checklistView({ workstreamId: cmd.workstream, workstreamName: deps.config.workstreams[cmd.workstream]!.name, items }) });
          return;
        }
        case 'due': {
          // an override of the gate's due time on top of preflight.yml (issue 20): the PM; answered once reloaded
          const res = await replan(deps, ctx.plan, userId, { kind: 'gate_due', gateId: cmd.gate, due: cmd.due, reason: cmd.reason });
          if (!res.ok) return await ack(ephemeral('refusal' in res ? refusalText(res.refusal) : res.message));
          return await ack(ephemeral(replanText(res)));
        }
        case 'sign': {
          const res = await signOffGate(deps, cmd.gate, userId, cmd.outcome, cmd.note);
          return await ack(ephemeral(resultText(res)));
        }
        case 'decide': {
          // announced here and in the program channel, each once (queued by the service, posted by a worker)
          const res = await recordDecision(deps, userId, cmd.decision, cmd.note, [command.channel_id]);
          if (!res.ok) return await ack(ephemeral(refusalText(res.refusal)));
          return await ack();
        }
        case 'history': {
          const msg = gonogoHistoryMessage(await gonogoHistory(deps), historyNames(deps.config, zoneOf(deps.config, userId)));
          return await ack(ephemeral(msg.text, msg.blocks));
        }
      }
    } catch (err) {
      deps.log.error({ err, command: '/gonogo', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
    }
  });
}
