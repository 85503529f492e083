import type { KnownBlock } from '@slack/types';
import { LIMITS } from './limits.js';
import { truncate } from './text.js';

/** Section text budget: Slack's 3000-character limit with room to spare. */
export const SECTION_BUDGET = LIMITS.sectionText - 50;

/**
 * Packs mrkdwn lines into as few sections as possible, each within Slack's 3000-character section limit,
 * using at most `maxBlocks` sections. A single over-long line is cut with a marker.
 * @returns the sections and the lines that did not fit (`rest`), in order.
 */
export function packSections(lines: string[], maxBlocks: number): { blocks: KnownBlock[]; dropped: number; rest: string[] } {
  const blocks: KnownBlock[] = [];
  let current = '';
  let used = 0;
  const flush = () => {
    if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
    current = '';
  };
  for (const raw of lines) {
    const line = raw.length > SECTION_BUDGET ? truncate(raw, SECTION_BUDGET) : raw;
    if (current && current.length + 1 + line.length > SECTION_BUDGET) {
      if (blocks.length + 1 >= maxBlocks) break;
      flush();
    }
    current = current ? `${current}\n${line}` : line;
    used++;
  }
  flush();
  return { blocks, dropped: lines.length - used, rest: lines.slice(used) };
}
