import type { View, KnownBlock } from '@slack/types';
import { blockerActions, blockerSummaryLine, type BlockerView } from './blocker.js';
import { LIMITS } from './limits.js';
import { safeMrkdwn } from './text.js';

/** A line of "my standup today" on the Home tab. */
export interface HomeStandup {
  workstreamName: string;
  state: 'waiting' | 'answered' | 'skipped' | 'ooo' | 'closed' | 'no run yet';
  detail: string;
}

/**
 * The App Home tab: my standup status today, then my open blockers (raised by me, waiting on me, escalated to
 * me), each with its actions. Within 100 blocks: past that, a pointer to `/blocker list`.
 */
export function homeView(standups: HomeStandup[], groups: { title: string; items: BlockerView[] }[]): View {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Preflight', emoji: true } }];
  const icon = { waiting: '⏳', answered: '✅', skipped: '⏭️', ooo: '🌴', closed: '🔒', 'no run yet': '🕙' } as const;
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: standups.length
        ? `*Your standup today*\n${standups.map((s) => `${icon[s.state]} *${safeMrkdwn(s.workstreamName, 80)}*: ${s.detail}`).join('\n')}`
        : '*Your standup today*\nYou are not in any workstream’s standup.',
    },
  });
  const seen = new Set<number>();
  let hidden = 0;
  for (const g of groups) {
    const items = g.items.filter((v) => !seen.has(v.id));
    items.forEach((v) => seen.add(v.id));
    if (blocks.length + 2 > LIMITS.homeBlocks - 2) {
      hidden += items.length;
      continue;
    }
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: `*${g.title}* (${items.length})${items.length ? '' : ': none'}` } });
    for (const v of items) {
      if (blocks.length + 2 > LIMITS.homeBlocks - 1) {
        hidden++;
        continue;
      }
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: blockerSummaryLine(v) } }, blockerActions(v));
    }
  }
  if (hidden) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…${hidden} more. \`/blocker list\` shows them all.` }] });
  return { type: 'home', blocks };
}
