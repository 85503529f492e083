import type { KnownBlock } from '@slack/types';
import { STANDUP_USAGE } from '../../domain/standups/command.js';

/** `/standup help`, or a malformed command's answer: what went wrong (if anything) and how to write it. */
export function standupHelpMessage(problem?: string): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${problem}` } });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Standups with Preflight*\n${STANDUP_USAGE}` } });
  return { text: problem ?? 'How to use /standup', blocks };
}
