import type { KnownBlock } from '@slack/types';
import { type StaleTracker, staleTrackerLine } from '../../domain/trackers/staleness.js';
import { LIMITS } from './limits.js';
import { safeMrkdwn } from './text.js';

/**
 * One context block for `/gonogo` and the digest (issue 21): a line per tracker source that did not sync lately,
 * "⏳ Jira LAUNCH tasks last synced 14:05 — unavailable: 503" (times in `zone`, the program's; the date added when
 * not `now`'s day). Labels and reasons are escaped (tracker text). At most 10 lines (the last one counts the rest).
 * @returns null when every source is healthy.
 */
export function staleTrackersBlock(items: readonly StaleTracker[], now: number, zone: string): KnownBlock | null {
  if (!items.length) return null;
  const lines = items.map((s) => `⏳ ${safeMrkdwn(staleTrackerLine(s, now, zone), 300)}`);
  const shown =
    lines.length > LIMITS.contextElements ? [...lines.slice(0, LIMITS.contextElements - 1), `…and ${lines.length - LIMITS.contextElements + 1} more tracker sources not synced lately`] : lines;
  return { type: 'context', elements: shown.map((text) => ({ type: 'mrkdwn', text: text.slice(0, LIMITS.sectionText) })) };
}
