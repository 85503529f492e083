import type { App } from '@slack/bolt';
import { parsePreflightCommand, PREFLIGHT_USAGE } from '../../domain/digest/command.js';
import { digestStats } from '../../services/digest/scheduled-digest.js';
import { digestMessage } from '../blocks/digest.js';
import { helpMessage } from '../blocks/help.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';

const help = (problem?: string) => {
  const m = helpMessage('Preflight', PREFLIGHT_USAGE, problem);
  return ephemeral(m.text, m.blocks);
};

/**
 * `/preflight stats [workstream] [days]`: the daily digest's numbers on demand, only to the person who asked
 * (ack at once, then the ephemeral answer through the command's response_url); `/preflight help`.
 */
export function registerPreflightCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/preflight', async ({ command, ack, respond }) => {
    const cmd = parsePreflightCommand(command.text ?? '', Object.keys(deps.config.workstreams));
    try {
      if (cmd.kind === 'help') return await ack(help());
      if (cmd.kind === 'invalid') return await ack(help(cmd.message));
      // reading the history can take longer than Slack's 3 seconds on a big program: ack first
      await ack();
      const { digest, comparedWith } = await digestStats(deps, cmd.workstream, cmd.days);
      const scope = cmd.workstream ? deps.config.workstreams[cmd.workstream]!.name : undefined;
      const m = digestMessage({ kind: 'stats', digest, comparedWith, ...(scope ? { scope } : {}) });
      await respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });
    } catch (err) {
      deps.log.error({ err, command: '/preflight', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: '⚠️ Preflight could not read the numbers just now (its database is not answering). Please try again in a minute.',
      }).catch(() => {});
    }
  });
}
