import { formatDuration } from '../../config/duration.js';
import type { BlockerActReply } from '../../domain/blockers/act-reply.js';
import { shortId } from '../../domain/blockers/blocker.js';
import { mention } from './text.js';

/** The ephemeral answer to an action on a blocker that was not refused: what changed, or why nothing did. */
export function blockerActReplyMessage(r: BlockerActReply): { text: string } {
  return { text: replyText(r) };
}

function replyText(r: BlockerActReply): string {
  switch (r.kind) {
    case 'not-found':
      return `There is no blocker ${shortId(r.blockerId)}.`;
    case 'already-resolved':
      return `${shortId(r.blockerId)} was already resolved${r.resolvedBy ? ` by ${mention(r.resolvedBy)}` : ''}.`;
    case 'already-acknowledged':
      return `You already acknowledged ${shortId(r.blockerId)}.`;
    case 'acknowledged':
      return `👀 You acknowledged ${shortId(r.blockerId)}. ${r.stopsEscalation ? 'Its escalation stops here.' : 'No more pings to you; it still escalates until resolved.'}`;
    case 'resolved':
      return `✅ ${shortId(r.blockerId)} resolved after ${formatDuration(r.openForMs)}. Escalation stopped.`;
    case 'snooze-too-long':
      return `Snooze for up to ${formatDuration(r.maxMs)}.`;
    case 'snoozed':
      return `😴 ${shortId(r.blockerId)} snoozed for ${formatDuration(r.forMs)}: its next notice waits until then.`;
    case 'already-owner':
      return `${shortId(r.blockerId)} already waits on ${mention(r.owner)}.`;
    case 'reassigned':
      return `🔀 ${shortId(r.blockerId)} now waits on ${mention(r.owner)}.`;
    case 'ladder-exhausted':
      return `${shortId(r.blockerId)} has already been escalated to every level of its ladder.`;
    case 'escalating':
      return `⏫ Escalating ${shortId(r.blockerId)} to its next level now.`;
  }
}
