import type { App } from '@slack/bolt';
import { parsePreflightCommand, PREFLIGHT_USAGE } from '../../domain/digest/command.js';
import { permission } from '../../domain/permissions.js';
import { digestStats } from '../../services/digest/scheduled-digest.js';
import { refreshRotations, rotationStatuses } from '../../services/oncall/rotations.js';
import { planVersion } from '../../services/plan/version.js';
import { closeWarRoom } from '../../services/warroom/rooms.js';
import { publishRetro } from '../../services/retro/publish.js';
import { digestMessage } from '../blocks/digest.js';
import { helpMessage } from '../blocks/help.js';
import { oncallStatusText } from '../blocks/oncall.js';
import { planText, reloadText } from '../blocks/plan.js';
import { refusalText } from '../blocks/refusal.js';
import { retroOutcomeText } from '../blocks/retro.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';

const help = (problem?: string) => {
  const m = helpMessage('Preflight', PREFLIGHT_USAGE, problem);
  return ephemeral(m.text, m.blocks);
};

/**
 * `/preflight stats [workstream] [days]`: the daily digest's numbers on demand, only to the person who asked
 * (ack at once, then the ephemeral answer through the command's response_url); `/preflight plan`: the plan version
 * this replica runs, when and by whom it was applied; `/preflight reload` (the PM only; anyone else is told who
 * can): reload preflight.yml now (ack at once, the outcome after); `/preflight oncall [id]`: who is on call now and
 * next, hand-offs in the viewer's zone; `/preflight oncall refresh [id]`: read the feeds now (ack at once, the
 * rotations after); `/preflight warroom close` (the PM only): close the war room (summary, then archive; issue 23);
 * `/preflight retro` (the PM only): the retrospective drafted as a canvas in the program channel, or
 * brought up to date (ack at once, where it is after); `/preflight help`. All ephemeral.
 */
export function registerPreflightCommand(app: App, ctx: SlackContext): void {
  const { deps, plan } = ctx;
  app.command('/preflight', async ({ command, ack, respond }) => {
    const cmd = parsePreflightCommand(command.text ?? '', Object.keys(deps.config.workstreams), Object.keys(deps.config.program.oncall ?? {}));
    try {
      if (cmd.kind === 'help') return await ack(help());
      if (cmd.kind === 'invalid') return await ack(help(cmd.message));
      const zone = deps.config.people[command.user_id]?.zone ?? deps.config.program.timezone;
      if (cmd.kind === 'plan') {
        if (!plan) return await ack(ephemeral(`Plan version \`${planVersion(deps.config)}\` (this process does not reload its plan).`));
        return await ack(ephemeral(planText(plan.holder.current, zone, plan.reloader.path)));
      }
      if (cmd.kind === 'reload') {
        const may = permission(deps.config.roles, command.user_id, { on: 'plan', verb: 'reload' });
        if (!may.allowed) return await ack(ephemeral(refusalText(may)));
        if (!plan) return await ack(ephemeral('This Preflight process does not reload its plan.'));
        await ack(ephemeral('Reloading the plan…'));
        const outcome = await plan.reloader.reload(command.user_id);
        await respond({ response_type: 'ephemeral', replace_original: false, text: reloadText(outcome) });
        return;
      }
      if (cmd.kind === 'warroom-close') {
        const closed = await closeWarRoom(deps, command.user_id);
        if (!closed.ok) return await ack(ephemeral('refusal' in closed ? refusalText(closed.refusal) : 'No war room is open.'));
        return await ack(ephemeral(`Closing the war room${closed.channel ? ` <#${closed.channel}>` : ''}: its summary goes in, then it is archived.\n${closed.summary}`));
      }
      if (cmd.kind === 'retro') {
        const may = permission(deps.config.roles, command.user_id, { on: 'retro', verb: 'draft' });
        if (!may.allowed) return await ack(ephemeral(refusalText(may)));
        // reading the record and calling Slack takes longer than Slack's 3 seconds: ack first
        await ack(ephemeral('Drafting the retrospective from the record…'));
        const outcome = await publishRetro(deps, command.user_id);
        await respond({ response_type: 'ephemeral', replace_original: false, text: retroOutcomeText(outcome) });
        return;
      }
      if (cmd.kind === 'oncall' || cmd.kind === 'oncall-refresh') {
        const ids = cmd.rotation ? [cmd.rotation] : undefined;
        // a refresh reads the feeds over HTTP (retries, Retry-After): ack first, answer through response_url
        if (cmd.kind === 'oncall-refresh') await ack(ephemeral('Reading the on-call feeds…'));
        const refreshed = cmd.kind === 'oncall-refresh' ? await refreshRotations(deps, ids) : undefined;
        const text = oncallStatusText([...(await rotationStatuses(deps, deps.clock.now(), ids)).values()], zone, refreshed);
        if (cmd.kind === 'oncall') return await ack(ephemeral(text));
        await respond({ response_type: 'ephemeral', replace_original: false, text });
        return;
      }
      // reading the history can take longer than Slack's 3 seconds on a big program: ack first
      await ack();
      const { digest, comparedWith, planChanges, staleTrackers } = await digestStats(deps, cmd.workstream, cmd.days);
      const scope = cmd.workstream ? deps.config.workstreams[cmd.workstream]!.name : undefined;
      const m = digestMessage({ kind: 'stats', digest, comparedWith, planChanges, staleTrackers, ...(scope ? { scope } : {}) });
      await respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });
    } catch (err) {
      deps.log.error({ err, command: '/preflight', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text:
          cmd.kind === 'retro'
            ? '⚠️ Preflight could not draft the retrospective just now (its database is not answering). Please try again in a minute.'
            : cmd.kind === 'reload'
              ? '⚠️ Preflight could not reload the plan just now (its database is not answering): the running plan stays. Please try again in a minute.'
              : cmd.kind === 'oncall' || cmd.kind === 'oncall-refresh'
                ? '⚠️ Preflight could not read the on-call rotations just now (its database is not answering). Please try again in a minute.'
                : '⚠️ Preflight could not read the numbers just now (its database is not answering). Please try again in a minute.',
      }).catch(() => {});
    }
  });
}
