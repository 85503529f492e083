import type { App } from '@slack/bolt';
import { DateTime } from 'luxon';
import { parseStandupCommand } from '../../domain/checkins/command.js';
import { PROGRAM_WORKSTREAM } from '../../domain/checkins/plans.js';
import { zoneOf } from '../../services/checkins/participation.js';
import { endOutOfOffice, setOutOfOffice } from '../../services/checkins/out-of-office.js';
import { runToAnswer } from '../../services/checkins/run-to-answer.js';
import { skipToday } from '../../services/checkins/skip.js';
import { awayThroughout, configuredDelegates } from '../../services/people/away.js';
import { startNow } from '../../services/checkins/start-now.js';
import { checkinChooserMessage } from '../blocks/checkin-chooser.js';
import { standupHelpMessage } from '../blocks/standup-help.js';
import { standupSkipText } from '../blocks/standup-skip.js';
import { mention } from '../blocks/text.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';
import { refusalText } from '../blocks/refusal.js';
import { openStandupForm } from '../views/open-standup-form.js';

/**
 * `/standup [workstream [check-in]] | skip [workstream [check-in]] | ooo <date> | back | start <workstream> [check-in] | help`.
 * Several check-ins open for the member → an ephemeral chooser (a button per check-in).
 * Validate and write first, then `ack()` with the ephemeral answer (Slack's 3-second rule); the form is
 * opened right after ack with the command's `trigger_id` (valid 3 s, one use).
 */
export function registerStandupCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/standup', async ({ command, ack, client }) => {
    const userId = command.user_id;
    const today = deps.clock.now().setZone(zoneOf(deps.config, userId)).toISODate()!;
    // `program` names the program's check-ins (unless a workstream is called that)
    const programAlias = deps.config.program.checkins.length > 0 && !deps.config.workstreams.program;
    const wsIds = [...Object.keys(deps.config.workstreams), ...(programAlias ? ['program'] : [])];
    const cmd = parseStandupCommand(command.text ?? '', today, wsIds);
    const wsKey = (w: string | undefined) => (w === 'program' && programAlias ? PROGRAM_WORKSTREAM : w);
    try {
      switch (cmd.kind) {
        case 'help':
          return await ack(ephemeral('How to use /standup', standupHelpMessage().blocks));
        case 'invalid':
          return await ack(ephemeral(cmd.message, standupHelpMessage(cmd.message).blocks));
        case 'form': {
          const found = await runToAnswer(deps, userId, { workstreamId: wsKey(cmd.workstream), checkinId: cmd.checkin });
          if (!found.ok && found.reason === 'several-open') {
            const chooser = checkinChooserMessage(found.choices);
            return await ack(ephemeral(chooser.text, chooser.blocks));
          }
          if (!found.ok) {
            return await ack(
              ephemeral(
                found.reason === 'not-member'
                  ? `You are not in ${cmd.workstream ? `\`${cmd.workstream}\`${cmd.checkin ? ` check-in \`${cmd.checkin}\`` : ''}` : 'any check-in'}. Ask your PM (${mention(deps.config.program.pm)}) to add you to preflight.yml.`
                  : `No check-in is open for you right now.${found.next ? ` Your next one: ${found.next}.` : ''}`,
              ),
            );
          }
          await ack();
          await openStandupForm(ctx, client, command.trigger_id, userId, found);
          return;
        }
        case 'skip': {
          const skipped = await skipToday(deps, userId, wsKey(cmd.workstream), cmd.checkin);
          if (cmd.workstream && skipped.length === 0) {
            return await ack(ephemeral(`You are not in ${cmd.checkin ? `check-in \`${cmd.checkin}\` of ` : ''}\`${cmd.workstream}\`, or it has no check-in coming up, so there is nothing to skip.`));
          }
          return await ack(ephemeral(standupSkipText(skipped)));
        }
        case 'ooo': {
          if (cmd.delegate === userId) return await ack(ephemeral('You cannot be your own delegate: name someone who covers for you, like `delegate:@ben`.'));
          await setOutOfOffice(deps, userId, cmd.from, cmd.until, cmd.delegate ?? null);
          const span = cmd.from === today ? `until ${fmtDay(cmd.until)}` : `from ${fmtDay(cmd.from)} until ${fmtDay(cmd.until)}`;
          const delegate = cmd.delegate ?? configuredDelegates(deps.config)[userId];
          const delegateAway = delegate ? await awayThroughout(deps.db, delegate, cmd.from, cmd.until) : null;
          const cover = !delegate
            ? ' Your escalations skip you and go to the next step at once (add `delegate:@name` to have someone cover).'
            : delegateAway
              ? ` ${mention(delegate)} is away too until ${fmtDay(delegateAway.until)}, so they cannot cover: name someone else with \`delegate:@name\`, or your escalations go to the next step.`
              : ` ${mention(delegate)} gets your escalations meanwhile.`;
          return await ack(ephemeral(`🌴 Out of office ${span} (inclusive): no standup prompts then.${cover} Type \`/standup back\` if you return early.`));
        }
        case 'back': {
          const had = await endOutOfOffice(deps, userId);
          return await ack(ephemeral(had ? '👋 Welcome back! You will get standup prompts again from the next run.' : 'You were not marked out of office, so nothing changed.'));
        }
        case 'start': {
          const res = await startNow(deps, userId, wsKey(cmd.workstream)!, cmd.checkin);
          if (res.kind === 'forbidden') return await ack(ephemeral(refusalText(res.refusal)));
          if (res.kind === 'which' || res.kind === 'unknown-checkin') {
            const list = res.checkinIds.map((id) => `\`${id}\``).join(', ') || 'none';
            const head = res.kind === 'which' ? `\`${cmd.workstream}\` has several check-ins: say which.` : `\`${cmd.workstream}\` has no check-in \`${cmd.checkin}\`.`;
            return await ack(ephemeral(`${head} Write \`/standup start ${cmd.workstream} <check-in>\` with one of: ${list}.`));
          }
          const what = `${res.checkin.name}'s ${res.checkin.checkinId === 'standup' ? 'standup' : `check-in “${res.checkin.checkinName}”`}`;
          if (res.kind === 'no-members') return await ack(ephemeral(`${what} has nobody to prompt in preflight.yml (or its workstreams hold no check-ins today).`));
          if (!res.created) return await ack(ephemeral(`${what} already ran today (run ${res.runId}, ${res.status}). One run per check-in per day.`));
          return await ack(ephemeral(`▶️ Started ${what}: prompting ${res.prompted} member${res.prompted === 1 ? '' : 's'} now. The report goes to <#${res.checkin.channel}>.`));
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
