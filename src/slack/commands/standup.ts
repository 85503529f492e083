import type { App } from '@slack/bolt';
import { DateTime } from 'luxon';
import { parseStandupCommand } from '../../domain/standups/command.js';
import { workstreamsOf, zoneOf } from '../../services/standups/plans.js';
import { endOutOfOffice, runToAnswer, setOutOfOffice, skipToday, startNow } from '../../services/standups/members.js';
import { standupHelpMessage } from '../blocks/standup-help.js';
import { standupSkipText } from '../blocks/standup-skip.js';
import { mention } from '../blocks/text.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';
import { refusalText } from '../blocks/refusal.js';
import { openStandupForm } from '../views/open-standup-form.js';

/**
 * `/standup [workstream] | skip | ooo <date> | back | start <workstream> | help`.
 * Validate and write first, then `ack()` with the ephemeral answer (Slack's 3-second rule); the form is
 * opened right after ack with the command's `trigger_id` (valid 3 s, one use).
 */
export function registerStandupCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/standup', async ({ command, ack, client }) => {
    const userId = command.user_id;
    const today = deps.clock.now().setZone(zoneOf(deps.config, userId)).toISODate()!;
    const cmd = parseStandupCommand(command.text ?? '', today, Object.keys(deps.config.workstreams));
    try {
      switch (cmd.kind) {
        case 'help':
          return await ack(ephemeral('How to use /standup', standupHelpMessage().blocks));
        case 'invalid':
          return await ack(ephemeral(cmd.message, standupHelpMessage(cmd.message).blocks));
        case 'form': {
          const found = await runToAnswer(deps, userId, { workstreamId: cmd.workstream });
          if (!found.ok) {
            return await ack(
              ephemeral(
                found.reason === 'not-member'
                  ? `You are not in ${cmd.workstream ? `workstream \`${cmd.workstream}\`` : 'any workstream'}'s standup. Ask your PM (${mention(deps.config.program.pm)}) to add you to preflight.yml.`
                  : `No standup is open for you right now.${found.next ? ` Your next one: ${found.next}.` : ''}`,
              ),
            );
          }
          await ack();
          await openStandupForm(ctx, client, command.trigger_id, userId, found);
          return;
        }
        case 'skip': {
          if (cmd.workstream && !workstreamsOf(deps.config, userId).includes(cmd.workstream)) {
            return await ack(ephemeral(`You are not in \`${cmd.workstream}\`'s standup, so there is nothing to skip.`));
          }
          return await ack(ephemeral(standupSkipText(await skipToday(deps, userId, cmd.workstream))));
        }
        case 'ooo': {
          await setOutOfOffice(deps, userId, cmd.from, cmd.until);
          const span = cmd.from === today ? `until ${fmtDay(cmd.until)}` : `from ${fmtDay(cmd.from)} until ${fmtDay(cmd.until)}`;
          return await ack(ephemeral(`🌴 Out of office ${span} (inclusive): no standup prompts then. Type \`/standup back\` if you return early.`));
        }
        case 'back': {
          const had = await endOutOfOffice(deps, userId);
          return await ack(ephemeral(had ? '👋 Welcome back! You will get standup prompts again from the next run.' : 'You were not marked out of office, so nothing changed.'));
        }
        case 'start': {
          const res = await startNow(deps, userId, cmd.workstream);
          const name = deps.config.workstreams[cmd.workstream]!.name;
          if (res.kind === 'forbidden') return await ack(ephemeral(refusalText(res.refusal)));
          if (res.kind === 'no-members') return await ack(ephemeral(`${name} has no members in preflight.yml, so there is nobody to prompt.`));
          if (!res.created) return await ack(ephemeral(`${name} already had its standup today (run ${res.runId}, ${res.status}). One run per workstream per day.`));
          return await ack(
            ephemeral(`▶️ Started ${name}'s standup: prompting ${res.prompted} member${res.prompted === 1 ? '' : 's'} now. The report goes to <#${deps.config.workstreams[cmd.workstream]!.channel}>.`),
          );
        }
      }
    } catch (err) {
      deps.log.error({ err, command: '/standup', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
    }
  });
}

function fmtDay(iso: string): string {
  return DateTime.fromISO(iso).toFormat('ccc d LLL yyyy');
}
