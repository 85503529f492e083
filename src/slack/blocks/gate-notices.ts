import { DateTime } from 'luxon';
import { shortId } from '../../domain/blockers/blocker.js';
import type { FirstCheckinAt, GateOutcomeNotice, SignOffsWithdrawnNotice } from '../../domain/gonogo/messages.js';
import { slackDate } from './slack-date.js';
import { escapeMrkdwn, mention } from './text.js';

/** "now", or a `<!date>` token Slack shows in each reader's zone, its fallback in `zone` (the recipient's). */
function firstCheckinText(at: FirstCheckinAt, zone: string): string {
  return at === 'now' ? 'now' : slackDate(DateTime.fromJSDate(at), zone, 'day at time');
}

/**
 * The text of a gate passing or failing, told to a downstream workstream (its channel) or one of its
 * participants (a DM): the first check-in's time in the recipient's zone; the signer's note escaped (it can never
 * ping `@channel` or form a link). Text only, as a notice in a DM or a channel.
 */
export function gateOutcomeNoticeMessage(n: GateOutcomeNotice): { text: string } {
  switch (n.kind) {
    case 'passed-channel': {
      const line = n.firstCheckin ? `First check-in: ${firstCheckinText(n.firstCheckin, n.zone)}.` : 'No check-in is scheduled yet.';
      return { text: `🟢 Gate “${n.gateName}” passed: ${n.workstreamName} is no longer waiting for it. ${line}` };
    }
    case 'passed-member':
      return {
        text: `🟢 Gate “${n.gateName}” passed, so ${n.workstreamName} starts. Your first check-in: ${firstCheckinText(n.firstCheckin, n.zone)} (you get a DM with the questions then).`,
      };
    case 'failed': {
      const why = n.note ? ` (${mention(n.actor)}: ${escapeMrkdwn(n.note)})` : ` (by ${mention(n.actor)})`;
      return { text: `🔴 Gate “${n.gateName}” failed${why}: ${n.workstreamName} is delayed until it passes.` };
    }
  }
}

/**
 * The DM telling a signer (and the PM) that a gate's sign-off was withdrawn by a blocker raised against it
 * afterwards: a joint gate (`all_of`) needs every signature again, any other gate one sign-off.
 */
export function signOffsWithdrawnMessage(n: SignOffsWithdrawnNotice): { text: string } {
  const names = (ids: string[]) => ids.map(mention).join(', ');
  const blocker = `${shortId(n.blockerId)} (${n.severity})`;
  return {
    text:
      n.rule === 'all_of'
        ? `⚠️ The sign-offs of gate “${n.gateName}” (${names(n.withdrawn)}) were withdrawn: ${blocker} was raised against it afterwards. It needs every signature again (${names(n.signOff)}) once that is resolved.`
        : `⚠️ The sign-off of gate “${n.gateName}”${n.withdrawn.length ? ` by ${names(n.withdrawn)}` : ''} was withdrawn: ${blocker} was raised against it afterwards. Sign it off again once that is resolved.`,
  };
}
