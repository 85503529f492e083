import type { View, KnownBlock } from '@slack/types';
import type { HomeModel, HomeStandup } from '../../services/home.js';
import { blockerActions, blockerSummaryLine } from './blocker.js';
import { nextCheckinsSection } from './home-next-checkins.js';
import { LIMITS } from './limits.js';
import { safeMrkdwn } from './text.js';
import { myOnCallText } from './oncall.js';

const ICON: Record<HomeStandup['state'], string> = { waiting: '⏳', answered: '✅', skipped: '⏭️', ooo: '🌴', closed: '🔒', 'no run yet': '🕙', inactive: '⏸️' };

/** One "my standup today" line's detail. */
function standupDetail(s: HomeStandup): string {
  switch (s.state) {
    case 'no run yet':
      return `opens at ${s.at} (${s.zone})`;
    case 'answered':
      return s.editableUntil ? `answered; editable until ${s.editableUntil} with \`/standup\`` : 'answered';
    case 'waiting':
      return `waiting for your answer until ${s.closesAt}: \`/standup\``;
    case 'skipped':
      return 'skipped today';
    case 'ooo':
      return 'out of office';
    case 'closed':
      return 'closed without your answer (you can still answer late with `/standup`)';
    case 'inactive': {
      const a = s.activity;
      if (a.state === 'waiting') return `waiting for “${safeMrkdwn(a.gate.name, 80)}”: no check-ins until it passes`;
      if (a.state === 'not_started') return `not started: check-ins from ${a.from.setZone(s.zone).toFormat('ccc d LLL HH:mm')} (${s.zone})`;
      return `ended ${a.until.setZone(s.zone).toFormat('ccc d LLL HH:mm')} (${s.zone}): no more check-ins`;
    }
  }
}

/**
 * The App Home tab: my standup status today, then my open blockers (raised by me, waiting on me, escalated to
 * me), each with its actions. Within 100 blocks: past that, a pointer to `/blocker list`.
 */
export function homeView(model: HomeModel): View {
  const { standups, blockers: groups } = model;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Preflight', emoji: true } }];
  if (model.oncall?.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: myOnCallText(model.oncall) } });
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: standups.length
        ? `*Your check-ins today*\n${standups.map((s) => `${ICON[s.state]} *${safeMrkdwn(s.workstreamName, 80)}*: ${standupDetail(s)}`).join('\n')}`
        : '*Your check-ins today*\nYou are not in any check-in.',
    },
  });
  if (model.nextCheckins) blocks.push(nextCheckinsSection(model.nextCheckins));
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
