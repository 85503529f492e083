import type { KnownBlock } from '@slack/types';
import { BLOCKER_USAGE } from '../../domain/blockers/command.js';

/** `/blocker help`, or a malformed command's answer with how to write it. */
export function blockerHelpMessage(problem?: string): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${problem}` } });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Blockers with Preflight*\n${BLOCKER_USAGE}` } });
  return { text: problem ?? 'How to use /blocker', blocks };
}
