import type { KnownBlock } from '@slack/types';
import type { StaleTracker } from '../../domain/trackers/staleness.js';
import { staleTrackersBlock } from './trackers.js';
import { DateTime } from 'luxon';
import { formatDuration } from '../../config/duration.js';
import type { GateFacts, Verdict, VerdictInput, WorkstreamFacts } from '../../domain/gonogo/verdict.js';
import { PERCENT_COMPLETE_RULE } from '../../domain/tasks/progress.js';
import { slackDate } from './slack-date.js';
import { checklistFormMetadata, encodeSlack, slackPayloads } from '../payloads.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { mention, safeMrkdwn, safePlain, truncate } from './text.js';

export const GATE_IDS = { signOff: 'gate_signoff', fail: 'gate_fail', checklistForm: 'gonogo_checklist' } as const;

/** Lines that did not fit in the summary message, grouped into thread messages (≤ 3000 chars each). */
export type SummaryOverflow = string[];

const DECISION_STYLE: Record<Verdict['decision'], string> = { GO: '🟢 *GO*', 'CONDITIONAL GO': '🟡 *CONDITIONAL GO*', 'NO-GO': '🔴 *NO-GO*' };

/** Who signs: `sign-off @A, @B` (any one), or a joint gate's `sign-off all of: ✅ @A, ⏳ @B` (who signed, who is pending). */
function signOffText(g: GateFacts): string {
  if (g.signOffRule === 'any_of') return `sign-off ${g.signOff.map(mention).join(', ')}`;
  return `sign-off all of: ${g.signOff.map((u) => `${g.signed.includes(u) ? '✅' : '⏳'} ${mention(u)}`).join(', ')}`;
}

/** A workstream that holds no check-ins now says why: waiting for its gate, not started yet, or ended. */
function activityText(a: WorkstreamFacts['activity'], zone: string): string | null {
  switch (a.state) {
    case 'active':
      return null;
    case 'waiting':
      return `⏸️ waiting for “${safeMrkdwn(a.gate.name, 60)}”`;
    case 'not_started':
      return `not started (from ${a.from.setZone(zone).toFormat('ccc d LLL HH:mm')})`;
    case 'ended':
      return `ended (${a.until.setZone(zone).toFormat('ccc d LLL HH:mm')})`;
  }
}

function gateLine(g: GateFacts, all: GateFacts[], zone: string, now: number): string {
  const icon = g.status === 'passed' ? '✅' : g.status === 'failed' ? '❌' : '⏳';
  const parts = [`${icon} *${safeMrkdwn(g.name, 80)}*${g.mandatory ? '' : ' _(optional)_'}`, signOffText(g)];
  if (g.dueAt !== null) parts.push(`due ${DateTime.fromMillis(g.dueAt, { zone }).toFormat('ccc d LLL HH:mm')}`);
  if (g.status === 'pending' && g.dueAt !== null && g.dueAt < now) parts.push(`⚠️ *overdue* by ${formatDuration(now - g.dueAt)}`);
  if (g.status !== 'pending' && g.signedBy) parts.push(`${g.status} by ${mention(g.signedBy)}${g.signedFor ? ` for ${mention(g.signedFor)}` : ''}`);
  // issue 22: signers away now, with their return date
  if (g.away?.length) parts.push(`🌴 away: ${g.away.map((a) => `${mention(a.userId)} ${a.until ? `until ${DateTime.fromISO(a.until).toFormat('d LLL')}` : '(Slack status)'}`).join(', ')}`);
  const waiting = g.requires.map((r) => all.find((x) => x.id === r)).filter((x): x is GateFacts => !!x && x.status !== 'passed');
  if (g.status === 'pending' && waiting.length) parts.push(`waits on ${waiting.map((w) => `“${safeMrkdwn(w.name, 60)}”`).join(', ')}`);
  return parts.join(' · ');
}

function workstreamLine(w: WorkstreamFacts, zone: string, now: number): string {
  const b = w.openBlockers;
  const blockers =
    b.P0 + b.P1 + b.P2 === 0
      ? 'no open blockers'
      : `blockers ${[b.P0 && `🔴${b.P0} P0`, b.P1 && `🟠${b.P1} P1`, b.P2 && `🟡${b.P2} P2`].filter(Boolean).join(' ')} (oldest ${formatDuration(now - (w.oldestOpenBlockerAt ?? now))})`;
  const standup = w.standup
    ? `standup ${DateTime.fromISO(w.standup.localDate).toFormat('ccc d LLL')}: ${w.standup.answered}/${w.standup.expected} answered${w.standup.red ? ` · 🔴${w.standup.red}` : ''}${w.standup.yellow ? ` · 🟡${w.standup.yellow}` : ''}`
    : 'no standup yet';
  const checklist = w.checklistTotal ? `checklist ${w.checklistDone}/${w.checklistTotal}` : 'no checklist';
  const state = activityText(w.activity, zone);
  const p = w.progress;
  const complete = p && p.percent !== null ? ` · *${p.percent}% complete*${p.tasksTotal ? ` (tasks ${p.tasksDone}/${p.tasksTotal}${p.tasksOverdue ? `, ⚠️ ${p.tasksOverdue} overdue` : ''})` : ''}` : '';
  return `*${safeMrkdwn(w.name, 60)}*${state ? ` · ${state}` : ''}${complete} · ${checklist} · ${blockers} · ${standup}`;
}

/**
 * The `/gonogo` summary: the verdict first with its reasons in plain words; then each gate (status, who signs
 * and, for a joint gate, who signed and who is pending, due, overdue, what it waits on); each workstream (waiting
 * for its gate, not started or ended when it holds no check-ins; checklist, open blockers by severity with the
 * oldest's age, the latest standup's risk flags and participation), and under "removed" the workstreams a reload
 * removed that still have open blockers; then the decisions and sign-offs still needed, with
 * names and sign-off buttons; a context line per tracker source that did not sync lately (issue 21). Within 50 blocks for 50 workstreams and 20 gates; lines that do not fit are
 * returned as `overflow` for the message's thread.
 */
export function gonogoSummaryMessage(args: { programName: string; zone: string; input: VerdictInput; verdict: Verdict; pm: string; now: number; staleTrackers?: StaleTracker[] }): {
  blocks: KnownBlock[];
  text: string;
  overflow: SummaryOverflow;
} {
  const { input, verdict: v, zone, now } = args;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: safePlain(`🚦 ${args.programName}: launch readiness`, LIMITS.headerText), emoji: true } }];
  const verdictText = `${DECISION_STYLE[v.decision]} · ${v.done} of ${v.total} checklist items (${v.percent}%)\n${v.reasons.map((r) => `• ${r}`).join('\n')}`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(verdictText, LIMITS.sectionText) } });
  const overflow: string[] = [];
  const actionsBudget = Math.ceil((v.signOffsNeeded.length * 2) / LIMITS.actionsElements);
  const stale = staleTrackersBlock(args.staleTrackers ?? [], now, zone);
  const budget = LIMITS.messageBlocks - blocks.length - 4 - actionsBudget - 2 - (stale ? 1 : 0); // dividers, needed, context, stale trackers
  const gateLines = input.gates.map((g) => gateLine(g, input.gates, zone, now));
  const removed = input.removedWorkstreams ?? [];
  const removedLines = removed.length
    ? [
        `*Removed from the plan (${removed.length})*, open blockers still escalating:`,
        ...removed.map(
          (r) =>
            `\`${safeMrkdwn(r.id, 60)}\` · ${(['P0', 'P1', 'P2'] as const)
              .filter((s) => r.openBlockers[s])
              .map((s) => `${r.openBlockers[s]} ${s}`)
              .join(', ')}`,
        ),
      ]
    : [];
  const wsLines = [...input.workstreams.map((w) => workstreamLine(w, zone, now)), ...removedLines];
  if (gateLines.length) {
    blocks.push({ type: 'divider' });
    const packed = packSections([`*Gates (${input.gates.filter((g) => g.status === 'passed').length}/${input.gates.length} passed)*`, ...gateLines], Math.max(1, Math.floor(budget / 2)));
    blocks.push(...packed.blocks);
    overflow.push(...packed.rest);
  }
  blocks.push({ type: 'divider' });
  const ws = packSections([`*Workstreams (${input.workstreams.length})*`, ...wsLines], Math.max(1, budget - (blocks.length - 3)));
  blocks.push(...ws.blocks);
  overflow.push(...ws.rest);
  const needed = [
    ...v.signOffsNeeded.map((g) =>
      g.signOffRule === 'all_of'
        ? `• Sign off “${safeMrkdwn(g.name, 80)}” (all of them): ${g.signOff
            .filter((u) => !g.signed.includes(u))
            .map(mention)
            .join(', ')}${g.signed.length ? ` (signed: ${g.signed.map(mention).join(', ')})` : ''}`
        : `• Sign off “${safeMrkdwn(g.name, 80)}”: ${g.signOff.map(mention).join(', ')}`,
    ),
    `• The go/no-go decision: ${mention(args.pm)} (or an exec), with \`/gonogo decide go|no-go|conditional [note]\``,
  ];
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Decisions and sign-offs still needed*\n${needed.join('\n')}`, LIMITS.sectionText) } });
  const buttons = v.signOffsNeeded.flatMap((g) => [
    {
      type: 'button',
      action_id: GATE_IDS.signOff,
      value: encodeSlack(slackPayloads.gateButton, g.id),
      style: 'primary',
      text: { type: 'plain_text', text: safePlain(`✅ Sign off: ${g.name}`, LIMITS.buttonText), emoji: true },
    },
    {
      type: 'button',
      action_id: GATE_IDS.fail,
      value: encodeSlack(slackPayloads.gateButton, g.id),
      text: { type: 'plain_text', text: safePlain(`❌ Fail: ${g.name}`, LIMITS.buttonText), emoji: true },
    },
  ]);
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    // action_ids must be unique within a block: suffix them; the listener matches the prefix
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements).map((b, j) => ({ ...b, action_id: `${b.action_id}:${i + j}` })) } as KnownBlock);
  }
  // issue 21: a tracker that did not sync lately: its tasks (and so the verdict's numbers) may be out of date
  if (stale) blocks.push(stale);
  const counted = input.workstreams.some((w) => w.progress?.tasksTotal);
  const more = overflow.length ? ` · ${overflow.length} more line${overflow.length === 1 ? '' : 's'} in the thread` : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `As of ${slackDate(Math.floor(now / 1000), zone)}${more} · \`/gonogo history\` for the audit trail${counted ? ` · % complete: ${PERCENT_COMPLETE_RULE}` : ''}`,
      },
    ],
  });
  const chunks = packSections(overflow, 100).blocks.map((b) => (b as { text: { text: string } }).text.text);
  return { blocks, text: safeMrkdwn(`${args.programName}: ${v.decision} (${v.percent}% of the checklist)`, LIMITS.messageText), overflow: chunks };
}

/** The checklist modal: the workstream's items as checkboxes (Slack allows 10 options per element, so several blocks). */
export function checklistView(args: { workstreamId: string; workstreamName: string; items: { item: string; checked: boolean }[] }): import('@slack/types').View {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${safeMrkdwn(args.workstreamName, 100)}*: tick what is done.` } }];
  for (let i = 0; i < args.items.length; i += 10) {
    const options = args.items.slice(i, i + 10).map((it, j) => ({ text: { type: 'plain_text' as const, text: safePlain(it.item, LIMITS.optionText) }, value: String(i + j) }));
    const initial = options.filter((_, j) => args.items[i + j]!.checked);
    blocks.push({
      type: 'input',
      block_id: `cl_${i / 10}`,
      optional: true,
      label: { type: 'plain_text', text: args.items.length > 10 ? `Items ${i + 1}–${Math.min(i + 10, args.items.length)}` : 'Checklist' },
      element: { type: 'checkboxes', action_id: 'ticks', options, ...(initial.length ? { initial_options: initial } : {}) },
    } as KnownBlock);
  }
  return {
    type: 'modal',
    callback_id: GATE_IDS.checklistForm,
    // what the form showed, so a save changes only what this person toggled (another lead may be ticking too)
    private_metadata: checklistFormMetadata({ workstreamId: args.workstreamId, items: args.items.map((i) => i.item), shown: args.items.filter((i) => i.checked).map((i) => i.item) }),
    title: { type: 'plain_text', text: 'Go/no-go checklist' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
