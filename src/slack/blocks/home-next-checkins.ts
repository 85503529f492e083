import type { KnownBlock } from '@slack/types';
import type { HomeModel } from '../../services/home.js';
import { safeMrkdwn } from './text.js';

/**
 * App Home's "Your next check-ins": up to 5 lines "Tue 2 Dec 10:00 · Payments · Standup" in the viewer's zone (named
 * in the heading), each with its DST note when the clocks change that day; or a line saying there is none in the
 * next two weeks.
 */
export function nextCheckinsSection(next: NonNullable<HomeModel['nextCheckins']>): KnownBlock {
  const lines = next.items.map((c) => `• ${c.when} · *${safeMrkdwn(c.title, 120)}*${c.dst ? ` _(${c.dst})_` : ''}`);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `*Your next check-ins* (${next.zone})\n${lines.length ? lines.join('\n') : 'None in the next two weeks.'}` },
  };
}
