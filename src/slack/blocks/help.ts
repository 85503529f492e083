import type { KnownBlock } from '@slack/types';

/**
 * A command's help, or a malformed command's answer: what went wrong (if anything) and how to write it.
 * @param title e.g. "Standups with Preflight"; @param usage the command's usage lines (mrkdwn).
 */
export function helpMessage(title: string, usage: string, problem?: string): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${problem}` } });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${usage}` } });
  return { text: problem ?? title, blocks };
}
