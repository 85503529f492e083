import type { App } from '@slack/bolt';
import { handleDmReply, type DmReplyOutcome } from '../../services/checkins/record-answers.js';
import { taskProgressFromDm } from '../../services/tasks/checkin.js';
import { formLinkMessage, invalidReplyMessage, nextQuestionMessage } from '../blocks/standup-dm.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';
import { escapeMrkdwn } from '../blocks/text.js';

/**
 * Replies in the bot's DM (`message.im`) answer the standup one question at a time. The event was already
 * acknowledged by Bolt and deduped on `event_id`; the answer is written before we reply.
 */
export function registerDmMessages(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.message(async ({ message, client }) => {
    if (message.channel_type !== 'im') return;
    // edits, joins, bot posts and the like are not answers
    if (message.subtype !== undefined) return;
    if (!('user' in message) || !message.user || ('bot_id' in message && message.bot_id)) return;
    const userId = message.user;
    const text = message.text ?? '';
    let out: DmReplyOutcome;
    try {
      // task progress (`tasks: O-1 75, O-3 done`, or a line that reads entirely as progress on the member's own
      // open tasks) is recorded on the tasks and does not answer the check-in's current question
      const progress = await taskProgressFromDm(deps, userId, text);
      if (progress) {
        const reply = progress.ok ? (progress.lines.length ? progress.lines.join('\n') : 'Nothing changed: those are the percents I already had.') : `🤔 ${progress.message}`;
        // the lines name task titles (tracker text, issue 21) and echo the member's words: escaped, never live mentions
        await client.chat.postMessage({ channel: message.channel, text: escapeMrkdwn(reply) });
        if (progress.ok) await progress.after().catch((err) => deps.log.warn({ userId, err: (err as Error).message }, 'task follow-ups failed; the sweeper will redo them'));
        return;
      }
      out = await handleDmReply(deps, userId, message.channel, text, message.ts);
    } catch (err) {
      deps.log.error({ err, userId }, 'DM answer could not be saved');
      await client.chat.postMessage({ channel: message.channel, text: `${TRY_AGAIN} (Your last reply was not recorded: send it again.)` }).catch(() => {});
      return;
    }
    const say = (payload: { text: string; blocks?: unknown[] }) => client.chat.postMessage({ channel: message.channel, ...(payload as { text: string }) });
    switch (out.kind) {
      case 'no-run':
        await say({ text: 'No standup is waiting for your answer right now. Type `/standup help` to see what I can do.' });
        return;
      case 'closed':
        await say({ text: 'That standup has closed. Your next prompt will arrive at the next standup time.' });
        return;
      case 'already-answered':
        await say(formLinkMessage(out.runId, '✅ You already answered this standup. To change your answer, use the form:'));
        return;
      case 'invalid':
        await say(invalidReplyMessage(out.hint, out.run.questions, out.step));
        return;
      case 'next':
        await say(nextQuestionMessage(out.run.questions, out.step));
        return;
      case 'done':
        // the answer is stored; its receipt DM ("Thanks! …") is queued behind the prompts (services/checkins/answer-receipts.ts)
        return;
    }
  });
}
