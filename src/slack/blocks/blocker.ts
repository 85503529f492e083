import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../config/duration.js';
import { shortId } from '../../domain/blockers/blocker.js';
import { targetLabel, type Severity, type SkipReason } from '../../domain/blockers/ladder.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import type { BlockerView } from '../../services/blockers/view.js';
import type { EscalationNoticeModel } from '../../services/delivery/renderer.js';
import { plainTime, slackDate } from './slack-date.js';
import { BLOCKER_IDS, blockerActionsBlockId } from './ids.js';
import { LIMITS } from './limits.js';
import { countOf, mention, safeMrkdwn, taskRef, truncate } from './text.js';
import { oncallNotesSuffix, oncallNoteText } from './oncall.js';

export type { BlockerView } from '../../services/blockers/view.js';

const SEVERITY_EMOJI: Record<Severity, string> = { P0: '🔴', P1: '🟠', P2: '🟡' };

/** "5 minutes ago", kept current by Slack in each reader's zone; the fallback (`Wed 4 Feb 10:17 EST`) is in `zone`, the recipient's. */
export const ago = (sec: number, zone: string) => slackDate(sec, zone, 'ago');
/** "Today 10:17" in each reader's zone; the fallback is in `zone`, the recipient's. */
export const clock = (sec: number, zone: string) => slackDate(sec, zone, 'day time');

const SKIP_REASON: Record<SkipReason, string> = { acknowledged: 'already acknowledged', nobody: 'nobody to notify', away: 'away, nobody covering; the next level goes at once' };

/** "level 2 of 3 (the PM notified)", or "level 4 of 4 (the lead) skipped: already acknowledged" when it went to nobody. */
function levelLine(v: BlockerView): string {
  const n = v.policy.ladder.length;
  if (v.levelsDone === 0) {
    const first = v.policy.ladder[0];
    return first ? `escalates to ${targetLabel(first.notify)} after ${formatDuration(first.afterMs)}` : 'no escalation ladder';
  }
  const last = v.policy.ladder[v.levelsDone - 1]!;
  const outcome = v.lastLevel?.level === v.levelsDone - 1 ? v.lastLevel : null;
  if (outcome?.skipped) return `level ${v.levelsDone} of ${n} (${targetLabel(last.notify)}) skipped: ${SKIP_REASON[outcome.skipped]}`;
  return `level ${v.levelsDone} of ${n} (${targetLabel(last.notify)} notified)`;
}

function statusLine(v: BlockerView): string {
  const head = `${SEVERITY_EMOJI[v.severity]} *${shortId(v.id)} · ${v.severity}*`;
  if (v.status === 'resolved') {
    const took = v.resolvedAt ? ` after ${formatDuration((v.resolvedAt - v.raisedAt) * 1000)}` : '';
    return `${head} · ✅ Resolved by ${v.resolvedBy ? mention(v.resolvedBy) : 'someone'}${took}`;
  }
  const state = v.status === 'acknowledged' ? '👀 Acknowledged' : '🚧 Open';
  return `${head} · ${state} · ${levelLine(v)}`;
}

const snoozed = (v: BlockerView) => v.snoozedUntil !== null && v.snoozedUntil > v.now && v.status !== 'resolved';

function detailsLine(v: BlockerView): string {
  const parts = [`Raised by ${mention(v.reporter)} ${ago(v.raisedAt, v.zone)}`, v.owner ? `waiting on ${mention(v.owner)}` : 'no owner yet', `*${safeMrkdwn(v.workstreamName, 100)}*`];
  if (v.gateId) parts.push(`gate \`${safeMrkdwn(v.gateId, 40)}\``);
  if (v.task) parts.push(`task ${taskRef(v.task)}`);
  if (v.dueAt !== null) parts.push(`was due ${slackDate(v.dueAt, v.zone, 'day at time')}`);
  if (v.acknowledgedBy.length) parts.push(`acknowledged by ${v.acknowledgedBy.map(mention).join(', ')}`);
  if (snoozed(v)) parts.push(`😴 snoozed until ${clock(v.snoozedUntil!, v.zone)}`);
  return parts.join(' · ');
}

/** Acknowledge, Resolve, Escalate now, Snooze (menu), Reassign (user picker), all carrying the blocker id. */
export function blockerActions(v: BlockerView): KnownBlock {
  const value = encodeSlack(slackPayloads.blockerButton, v.id);
  return {
    type: 'actions',
    block_id: blockerActionsBlockId(v.id),
    elements: [
      { type: 'button', action_id: BLOCKER_IDS.acknowledge, value, text: { type: 'plain_text', text: '👀 Acknowledge', emoji: true } },
      { type: 'button', action_id: BLOCKER_IDS.resolve, value, style: 'primary', text: { type: 'plain_text', text: '✅ Resolve', emoji: true } },
      { type: 'button', action_id: BLOCKER_IDS.escalate, value, style: 'danger', text: { type: 'plain_text', text: '⏫ Escalate now', emoji: true } },
      {
        type: 'static_select',
        action_id: BLOCKER_IDS.snooze,
        placeholder: { type: 'plain_text', text: '😴 Snooze…', emoji: true },
        options: v.snoozeChoices.map((ms) => ({ text: { type: 'plain_text', text: `for ${formatDuration(ms)}` }, value: encodeSlack(slackPayloads.blockerSnooze, { blockerId: v.id, ms }) })),
      },
      { type: 'users_select', action_id: BLOCKER_IDS.reassign, placeholder: { type: 'plain_text', text: '🔀 Reassign…', emoji: true } },
    ],
  } as KnownBlock;
}

/** The blocker's message in the blockers channel, re-rendered on every change (level, acks, snooze, owner). */
export function blockerMessage(v: BlockerView): { blocks: KnownBlock[]; text: string } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${statusLine(v)}\n>${safeMrkdwn(v.text, 2500).replace(/\n/g, '\n>')}`, LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(detailsLine(v), LIMITS.sectionText) }] },
  ];
  if (v.status !== 'resolved') blocks.push(blockerActions(v));
  return { blocks, text: safeMrkdwn(`${shortId(v.id)} (${v.severity}) ${v.status}: ${v.text}`, LIMITS.messageText) };
}

/**
 * The DM an escalation target gets, as the blocker stands now: it is sent once and edited in place on every change
 * (services/blockers/delivery.ts), so it never says "needs you" after that is no longer true.
 * - open: "needs you" (or "still open", for a repeat), the context, the ladder up to this DM's level (and how far it
 *   went since), a link to the blocker message and the same buttons as the message;
 * - acknowledged by the recipient (or, under `stop_when: acknowledged`, by anyone), snoozed: says so, buttons kept;
 * - resolved: "Resolved by @who <time>, after <duration>", no buttons.
 * Times are `<!date>` tokens whose fallbacks, like the plain `text`, are in the recipient's zone (`blocker.zone`).
 */
export function escalationDm(m: EscalationNoticeModel): { blocks: KnownBlock[]; text: string } {
  const v = m.blocker;
  const n = v.policy.ladder.length;
  const what = `${shortId(v.id)} (${v.severity}) in ${safeMrkdwn(v.workstreamName, 100)}`;
  const plainWhat = `${shortId(v.id)} (${v.severity})`;
  const age = formatDuration(Math.max(0, m.sentAt - v.raisedAt) * 1000);
  let headline: string;
  let summary: string;
  if (v.status === 'resolved') {
    const by = v.resolvedBy ? mention(v.resolvedBy) : 'someone';
    const took = v.resolvedAt ? `, after ${formatDuration(Math.max(0, v.resolvedAt - v.raisedAt) * 1000)}` : '';
    headline = `✅ *${what}*: Resolved by ${by}${v.resolvedAt ? ` ${slackDate(v.resolvedAt, v.zone, 'day at time')}` : ''}${took}.`;
    summary = `✅ ${plainWhat} resolved by ${by}${v.resolvedAt ? ` at ${plainTime(v.resolvedAt, v.zone)}` : ''}`;
  } else if (v.acknowledgedBy.includes(m.recipient)) {
    headline = `👀 *${what}*: You acknowledged it; ${v.policy.stopWhen === 'acknowledged' ? 'its escalation stopped' : 'it still escalates until it is resolved'}.`;
    summary = `👀 ${plainWhat} acknowledged by you`;
  } else if (v.policy.stopWhen === 'acknowledged' && v.acknowledgedBy.length) {
    headline = `👀 *${what}*: Acknowledged by ${v.acknowledgedBy.map(mention).join(', ')}; its escalation stopped.`;
    summary = `👀 ${plainWhat} acknowledged`;
  } else if (snoozed(v)) {
    headline = `😴 *${what}* is snoozed until ${clock(v.snoozedUntil!, v.zone)}: its escalation waits until then.`;
    summary = `😴 ${plainWhat} snoozed until ${plainTime(v.snoozedUntil!, v.zone)}`;
  } else {
    headline = m.attempt === 0 ? `🚨 *${what} needs you*: open for ${age}, escalated to level ${m.level + 1} of ${n}.` : `🔁 *${what} is still open* after ${age} (reminder ${m.attempt}).`;
    summary = `${plainWhat} needs you`;
  }
  const sofar = v.policy.ladder
    .slice(0, m.level + 1)
    .map((l, i) => `${i + 1}. ${targetLabel(l.notify)} at ${formatDuration(l.afterMs)}`)
    .join(' · ');
  const since = v.status !== 'resolved' && v.levelsDone > m.level + 1 ? `\n⏫ Since then: ${levelLine(v)}` : '';
  const link = v.permalink ? ` · <${v.permalink}|Open the blocker message>` : '';
  // a rotation chose the recipient: say so, times in their zone (issue 22)
  const why = m.oncall ? `📟 Why you: ${oncallNoteText({ ...m.oncall, zone: v.zone })}\n` : '';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${headline}${coverLine(m)}\n>${safeMrkdwn(v.text, 2000).replace(/\n/g, '\n>')}`, LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`${why}${detailsLine(v)}\nLadder so far: ${sofar}${since}${link}`, LIMITS.sectionText) }] },
  ];
  if (v.status !== 'resolved') blocks.push(blockerActions(v));
  return { text: `${summary}: ${safeMrkdwn(v.text, LIMITS.messageText - summary.length - 2)}`, blocks };
}

/** The time-off notes of a ladder step's event (issue 22), one per line under it; none when nobody was away. */
function awayLines(data: Record<string, unknown>): string {
  const notes = Array.isArray(data.away) ? data.away.filter((n): n is string => typeof n === 'string') : [];
  return notes.map((n) => `\n🌴 ${n}`).join('');
}

/** "🌴 <@ana> is away until 24 Dec; <@ben> is covering" under a DM's headline, when its recipient covers someone (issue 22). */
function coverLine(m: EscalationNoticeModel): string {
  return (m.covering ?? []).map((n) => `\n🌴 ${n}`).join('');
}

/** One line of the blocker's thread for a timeline event. */
export function threadLine(kind: string, actor: string | null, data: Record<string, any>): string {
  const who = actor ? mention(actor) : 'someone';
  switch (kind) {
    case 'escalated':
      return (
        (data.attempt > 0
          ? `🔁 Reminded ${(data.to as string[]).map(mention).join(', ')} after ${data.age} (repeat ${data.attempt})`
          : `⏫ Escalated to ${(data.to as string[]).map(mention).join(', ')} after ${data.age} (level ${data.level} of ${data.levels})${oncallNotesSuffix(data.oncall)}`) + awayLines(data)
      );
    case 'skipped':
      return `⏭️ Level ${data.level} of ${data.levels} (${targetLabel(data.target)}) skipped after ${data.age}: ${SKIP_REASON[data.reason as SkipReason] ?? SKIP_REASON.nobody}${oncallNotesSuffix(data.oncall)}${Array.isArray(data.oncall) && data.level < data.levels ? '; on to the next level now' : ''}${awayLines(data)}`;
    case 'acknowledged':
      return `👀 Acknowledged by ${who}`;
    case 'snoozed':
      return `😴 Snoozed by ${who} for ${formatDuration(data.ms)}`;
    case 'reassigned':
      return `🔀 Reassigned by ${who} to ${mention(data.to)}`;
    case 'resolved':
      return `✅ Resolved by ${who} after ${formatDuration(data.ageMs)}${data.note ? `: ${safeMrkdwn(String(data.note), 300)}` : ''}`;
    case 'raised':
      return `🚧 Raised by ${who}`;
    default:
      return `${kind} by ${who}`;
  }
}

/** A one-line summary for lists and the Home tab. */
export function blockerSummaryLine(v: BlockerView): string {
  return truncate(
    `${SEVERITY_EMOJI[v.severity]} *${shortId(v.id)}* ${v.severity} · ${safeMrkdwn(v.workstreamName, 60)} · raised ${ago(v.raisedAt, v.zone)} · ${v.status === 'acknowledged' ? 'acknowledged · ' : ''}${levelLine(v)}\n${safeMrkdwn(v.text, 300)}`,
    LIMITS.sectionText,
  );
}

/**
 * `/blocker list`: sections of summaries (oldest first), within 50 blocks. A blocker can appear in several
 * groups (raised by you and in your workstream): the counts in `text` and the footer are of distinct blockers.
 */
export function blockerListMessage(groups: { title: string; items: BlockerView[] }[]): { blocks: KnownBlock[]; text: string } {
  const blocks: KnownBlock[] = [];
  const all = new Set<number>();
  const shown = new Set<number>();
  for (const g of groups) {
    for (const v of g.items) all.add(v.id);
    if (blocks.length >= LIMITS.messageBlocks - 3) continue;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${g.title}* (${g.items.length})${g.items.length ? '' : ': none 🎉'}` } });
    for (const v of g.items) {
      if (blocks.length >= LIMITS.messageBlocks - 2) break;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: blockerSummaryLine(v) } });
      shown.add(v.id);
    }
  }
  const hidden = all.size - shown.size;
  const total = countOf(all.size, 'open blocker');
  const footer = hidden > 0 ? `${total} · …${hidden} more not shown. \`/blocker show B-<id>\` for one.` : groups.length > 1 ? `${total} in all` : '';
  if (footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  return { blocks, text: all.size ? total : 'No open blockers' };
}

/** `/blocker show B-42`: the blocker and its whole timeline (raised, acknowledged, escalated, …, resolved). */
export function blockerTimelineMessage(v: BlockerView, events: { kind: string; actor: string | null; at: number; data: Record<string, any> }[]): { blocks: KnownBlock[]; text: string } {
  const lines = events.map(
    (e) =>
      `• ${clock(e.at, v.zone)}: ${e.kind === 'raised' ? `🚧 Raised by ${e.actor ? mention(e.actor) : 'someone'} (${String(e.data.severity ?? v.severity)}${e.data.owner ? `, owner ${mention(String(e.data.owner))}` : ''})` : threadLine(e.kind, e.actor, e.data)}`,
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`${statusLine(v)}\n>${safeMrkdwn(v.text, 1500)}`, LIMITS.sectionText) } }];
  let chunk = '';
  for (const l of lines) {
    if (chunk.length + l.length + 1 > LIMITS.sectionText - 100) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
      if (blocks.length >= LIMITS.messageBlocks - 1) break;
    }
    chunk = chunk ? `${chunk}\n${l}` : l;
  }
  if (chunk && blocks.length < LIMITS.messageBlocks) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  return { blocks, text: `${shortId(v.id)} timeline` };
}
