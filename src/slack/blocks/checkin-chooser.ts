import type { KnownBlock } from '@slack/types';
import type { OpenChoice } from '../../services/checkins/run-to-answer.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import { IDS } from './ids.js';
import { LIMITS } from './limits.js';
import { safeMrkdwn } from './text.js';

/** Choices shown at most (one section each, plus the question): well within a message's 50 blocks. */
const MAX_CHOICES = 20;

/**
 * The ephemeral answer to `/standup` when several check-ins are open for the member: one line per open check-in
 * (workstream · check-in, close time, answered or not) with an "Open" button. Each button is its own section's
 * accessory (an action_id must be unique within a block) and is the DM's "Open the form" action, so a click opens
 * that run's form.
 */
export function checkinChooserMessage(choices: readonly OpenChoice[]): { blocks: KnownBlock[]; text: string } {
  const shown = choices.slice(0, MAX_CHOICES);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `You have ${choices.length} check-ins open. Which one do you want to answer?` } }];
  for (const c of shown) {
    const name = c.checkinName === 'Standup' ? `${c.workstreamName} standup` : `${c.workstreamName} · ${c.checkinName}`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${safeMrkdwn(name, 200)}*\n${c.answered ? '✅ answered, editable' : '⏳ not answered'} until ${c.closesAtLocal}` },
      accessory: {
        type: 'button',
        action_id: IDS.openStandupForm,
        value: encodeSlack(slackPayloads.openStandupForm, c.runId),
        text: { type: 'plain_text', text: c.answered ? '✏️ Edit' : '📝 Open', emoji: true },
      },
    });
  }
  if (choices.length > shown.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${choices.length - shown.length} more: add a workstream id to \`/standup\`.` }] });
  return { blocks: blocks.slice(0, LIMITS.messageBlocks), text: `You have ${choices.length} check-ins open. Which one do you want to answer?` };
}
