import type { App } from '@slack/bolt';
import { formatDuration } from '../../config/duration.js';
import { shortId } from '../../domain/blockers/blocker.js';
import { parseBlockerCommand } from '../../domain/blockers/command.js';
import { targetLabel } from '../../domain/blockers/ladder.js';
import { blockerTimeline, getBlocker, listOpenBlockers } from '../../services/blockers/queries.js';
import { raiseBlocker, resolveWorkstream } from '../../services/blockers/raise.js';
import { blockerView } from '../../services/blockers/view.js';
import { zoneOf } from '../../services/checkins/participation.js';
import { blockerListMessage, blockerTimelineMessage } from '../blocks/blocker.js';
import { blockerFormView } from '../blocks/blocker-form.js';
import { blockerHelpMessage } from '../blocks/blocker-help.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';

/**
 * `/blocker <text> [P0|P1|P2] [@owner] [ws:<id>] [gate:<id>]`, `/blocker` (form), `list`, `show B-42`, `help`.
 * Raising writes the blocker first, then acks with its short id; the channel message and the ladder are jobs.
 */
export function registerBlockerCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/blocker', async ({ command, ack, client }) => {
    const userId = command.user_id;
    const cmd = parseBlockerCommand(command.text ?? '', Object.keys(deps.config.workstreams));
    const now = deps.clock.now().toJSDate();
    try {
      switch (cmd.kind) {
        case 'help':
          return await ack(ephemeral('How to use /blocker', blockerHelpMessage().blocks));
        case 'invalid':
          return await ack(ephemeral(cmd.message, blockerHelpMessage(cmd.message).blocks));
        case 'modal': {
          await ack();
          await client.views.open({
            trigger_id: command.trigger_id,
            view: blockerFormView({
              workstreams: Object.entries(deps.config.workstreams).map(([id, w]) => ({ id, name: w.name })),
              defaultWorkstream: resolveWorkstream(deps, { reporter: userId, channelId: command.channel_id }),
              defaultSeverity: deps.config.escalation.default_severity,
              gates: deps.config.gates.map((g) => ({ id: g.id, name: g.name })),
              channelId: command.channel_id,
            }),
          });
          return;
        }
        case 'raise': {
          // write, ack, then wake the jobs (Slack's 3 s rule: validate, write, ack(), follow-ups)
          const res = await raiseBlocker(
            deps,
            {
              reporter: userId,
              text: cmd.text,
              severity: cmd.severity,
              owner: cmd.owner,
              workstreamId: cmd.workstream,
              channelId: cmd.channel ?? command.channel_id,
              gateId: cmd.gate,
              source: 'command',
            },
            { deferWakeups: true },
          );
          if (!res.ok) return await ack(ephemeral(res.message, blockerHelpMessage(res.message).blocks));
          const b = res.blocker;
          const first = b.policy.ladder[0];
          const ladder = first ? ` It escalates to ${targetLabel(first.notify)} after ${formatDuration(first.afterMs)} unless resolved.` : '';
          await ack(ephemeral(`🚧 Raised *${shortId(b.id)}* (${b.severity}) in *${deps.config.workstreams[b.workstreamId]!.name}*, posted in <#${b.channel}>.${ladder}`));
          await res.wake?.().catch((err) => deps.log.warn({ blocker: b.id, err: (err as Error).message }, 'could not wake the blocker jobs; the sweeper will'));
          return;
        }
        case 'list': {
          const groups = await listOpenBlockers(deps, userId, cmd.scope);
          const msg = blockerListMessage(groups.map((g) => ({ title: g.title, items: g.items.map((b) => blockerView(deps.config, b, now, zoneOf(deps.config, userId))) })));
          return await ack(ephemeral(msg.text, msg.blocks));
        }
        case 'show': {
          const b = await getBlocker(deps.db, cmd.id);
          if (!b) return await ack(ephemeral(`There is no blocker ${shortId(cmd.id)}. \`/blocker list all\` shows the open ones.`));
          const events = await blockerTimeline(deps.db, b.id);
          const msg = blockerTimelineMessage(
            blockerView(deps.config, b, now, zoneOf(deps.config, userId)),
            events.map((e) => ({ kind: e.kind, actor: e.actor, at: Math.floor(e.at.getTime() / 1000), data: e.data })),
          );
          return await ack(ephemeral(msg.text, msg.blocks));
        }
      }
    } catch (err) {
      deps.log.error({ err, command: '/blocker', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
    }
  });
}
