import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../config/duration.js';
import { shortId } from '../../domain/blockers/blocker.js';
import { targetLabel, type EscalationPolicy, type Severity, type SkipReason, type StepOutcome } from '../../domain/blockers/ladder.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import type { BlockerView } from '../../services/blockers/view.js';
import { BLOCKER_IDS, blockerActionsBlockId } from './ids.js';
import { LIMITS } from './limits.js';
import { countOf, mention, safeMrkdwn, truncate } from './text.js';

export type { BlockerView } from '../../services/blockers/view.js';

const SEVERITY_EMOJI: Record<Severity, string> = { P0: '🔴', P1: '🟠', P2: '🟡' };

/** Slack renders `<!date^…^{ago}|…>` in each reader's own time zone and keeps "ago" current. */
export const ago = (sec: number) => `<!date^${Math.floor(sec)}^{ago}|${new Date(sec * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
export const clock = (sec: number) => `<!date^${Math.floor(sec)}^{date_short_pretty} {time}|${new Date(sec * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

const SKIP_REASON: Record<SkipReason, string> = { acknowledged: 'already acknowledged', nobody: 'nobody to notify' };

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

function detailsLine(v: BlockerView): string {
  const parts = [`Raised by ${mention(v.reporter)} ${ago(v.raisedAt)}`, v.owner ? `waiting on ${mention(v.owner)}` : 'no owner yet', `*${safeMrkdwn(v.workstreamName, 100)}*`];
  if (v.gateId) parts.push(`gate \`${safeMrkdwn(v.gateId, 40)}\``);
  if (v.acknowledgedBy.length) parts.push(`acknowledged by ${v.acknowledgedBy.map(mention).join(', ')}`);
  if (v.snoozedUntil && v.snoozedUntil > v.now && v.status !== 'resolved') parts.push(`😴 snoozed until ${clock(v.snoozedUntil)}`);
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

/** The DM an escalation target gets: the context, the levels so far, a link to the blocker, the same buttons. */
export function escalationDm(v: BlockerView, level: number, attempt: number): { blocks: KnownBlock[]; text: string } {
  const age = formatDuration((v.now - v.raisedAt) * 1000);
  const n = v.policy.ladder.length;
  const headline =
    attempt === 0
      ? `🚨 *${shortId(v.id)} (${v.severity}) in ${safeMrkdwn(v.workstreamName, 100)} needs you*: open for ${age}, escalated to level ${level + 1} of ${n}.`
      : `🔁 *${shortId(v.id)} (${v.severity}) in ${safeMrkdwn(v.workstreamName, 100)} is still open* after ${age} (reminder ${attempt}).`;
  const sofar = v.policy.ladder
    .slice(0, level + 1)
    .map((l, i) => `${i + 1}. ${targetLabel(l.notify)} at ${formatDuration(l.afterMs)}`)
    .join(' · ');
  const link = v.permalink ? ` · <${v.permalink}|Open the blocker message>` : '';
  return {
    text: safeMrkdwn(`${shortId(v.id)} (${v.severity}) needs you: ${v.text}`, LIMITS.messageText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`${headline}\n>${safeMrkdwn(v.text, 2000).replace(/\n/g, '\n>')}`, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`${detailsLine(v)}\nLadder so far: ${sofar}${link}`, LIMITS.sectionText) }] },
      blockerActions(v),
    ],
  };
}

/** One line of the blocker's thread for a timeline event. */
export function threadLine(kind: string, actor: string | null, data: Record<string, any>): string {
  const who = actor ? mention(actor) : 'someone';
  switch (kind) {
    case 'escalated':
      return data.attempt > 0
        ? `🔁 Reminded ${(data.to as string[]).map(mention).join(', ')} after ${data.age} (repeat ${data.attempt})`
        : `⏫ Escalated to ${(data.to as string[]).map(mention).join(', ')} after ${data.age} (level ${data.level} of ${data.levels})`;
    case 'skipped':
      return `⏭️ Level ${data.level} of ${data.levels} (${targetLabel(data.target)}) skipped after ${data.age}: ${SKIP_REASON[data.reason as SkipReason] ?? SKIP_REASON.nobody}`;
    case 'acknowledged':
      return `👀 Acknowledged by ${who}`;
    case 'snoozed':
      return `😴 Snoozed by ${who} for ${formatDuration(data.ms)}`;
    case 'reassigned':
      return `🔀 Reassigned by ${who} to ${mention(data.to)}`;
    case 'resolved':
      return `✅ Resolved by ${who} after ${formatDuration(data.ageMs)}`;
    case 'raised':
      return `🚧 Raised by ${who}`;
    default:
      return `${kind} by ${who}`;
  }
}

/** A one-line summary for lists and the Home tab. */
export function blockerSummaryLine(v: BlockerView): string {
  return truncate(
    `${SEVERITY_EMOJI[v.severity]} *${shortId(v.id)}* ${v.severity} · ${safeMrkdwn(v.workstreamName, 60)} · raised ${ago(v.raisedAt)} · ${v.status === 'acknowledged' ? 'acknowledged · ' : ''}${levelLine(v)}\n${safeMrkdwn(v.text, 300)}`,
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
      `• ${clock(e.at)}: ${e.kind === 'raised' ? `🚧 Raised by ${e.actor ? mention(e.actor) : 'someone'} (${String(e.data.severity ?? v.severity)}${e.data.owner ? `, owner ${mention(String(e.data.owner))}` : ''})` : threadLine(e.kind, e.actor, e.data)}`,
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
