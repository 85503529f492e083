import type { DecisionAnnouncement, DecisionKind, SignOffReply } from '../../domain/gonogo/messages.js';
import { escapeMrkdwn, mention } from './text.js';

const LABEL: Record<DecisionKind, string> = { go: 'GO', 'no-go': 'NO-GO', conditional: 'CONDITIONAL GO' };
const EMOJI: Record<DecisionKind, string> = { go: '🟢', 'no-go': '🔴', conditional: '🟡' };

/**
 * A go/no-go decision's announcement (in the channel it was typed in and the program channel): the decision,
 * who made it, their note escaped (it can never ping `@channel` or form a link), and Preflight's verdict then.
 */
export function decisionAnnouncementMessage(a: DecisionAnnouncement): { text: string } {
  const note = a.note ? `: “${escapeMrkdwn(a.note)}”` : '';
  return {
    text: `${EMOJI[a.decision]} *Decision: ${LABEL[a.decision]}* for ${a.programName}, by ${mention(a.actor)}${note}. (Preflight's verdict at the time: ${a.verdict.decision}, ${a.verdict.percent}% of the checklist.)`,
  };
}

/** The ephemeral answer to a gate sign-off (or fail) that was not refused: what changed, or why nothing did. */
export function signOffReplyMessage(r: SignOffReply): { text: string } {
  const names = (ids: string[]) => ids.map(mention).join(', ');
  switch (r.kind) {
    case 'unknown-gate':
      return { text: `There is no gate \`${r.gateId}\`. Gates: ${r.gateIds.map((g) => `\`${g}\``).join(', ') || 'none'}.` };
    case 'already':
      return { text: `“${r.gateName}” is already ${r.outcome}.` };
    case 'cannot-pass':
      return { text: `“${r.gateName}” cannot pass yet: ${r.why}.` };
    case 'already-signed':
      return { text: `You already signed “${r.gateName}”; still waiting for ${names(r.pending)}.` };
    case 'signed':
      return { text: `✍️ You signed “${r.gateName}”. It passes when ${names(r.pending)} sign${r.pending.length === 1 ? 's' : ''} too.` };
    case 'passed':
      return { text: `✅ “${r.gateName}” signed off.` };
    case 'failed':
      return { text: `❌ “${r.gateName}” marked failed.` };
  }
}
