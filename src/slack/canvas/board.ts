import { DateTime } from 'luxon';
import type { BoardGate, BoardModel, BoardSection, BoardWorkstream } from '../../domain/board/board.js';
import type { TrackStatus } from '../../domain/digest/status.js';
import type { Decision } from '../../domain/gonogo/verdict.js';
import { formatDuration } from '../blocks/digest.js';

/*
 * The live status board's text (issue 23), written once for both places it lives: the channel canvas (Slack's
 * canvas markdown: `**bold**`, `![](@U123)` mentions, `#` headings; docs.slack.dev/messaging/formatting-message-text)
 * and the pinned-message fallback (mrkdwn, slack/blocks/board.ts). Only the markup differs, so both say the same.
 */

/** The markup of one of the two dialects. */
export interface BoardMarkup {
  bold(text: string): string;
  mention(userId: string): string;
  /** Text as written by people (names, titles, reasons): escaped for the dialect. */
  plain(text: string): string;
}

/** Canvas markdown (conversations.canvases.create / canvases.edit `document_content.markdown`). */
export const CANVAS_MARKUP: BoardMarkup = {
  bold: (t) => `**${t}**`,
  mention: (u) => `![](@${u})`,
  // markdown's own markers would restyle a name such as "*nix team" or "build_2"
  plain: (t) => t.replace(/([\\`*_[\]#<>|])/g, '\\$1'),
};

export const STATUS_LABEL: Record<TrackStatus, string> = { 'on-track': '🟢 On Track', 'at-risk': '🟡 At Risk', blocked: '🔴 Blocked' };
const DECISION_EMOJI: Record<Decision, string> = { GO: '🟢', 'CONDITIONAL GO': '🟡', 'NO-GO': '🔴' };
const GATE_STATUS: Record<BoardGate['status'], string> = { pending: '⏳ pending', passed: '✅ passed', failed: '❌ failed' };

/** The section headings, as shown. */
export const SECTION_TITLE: Record<BoardSection, string> = { workstreams: 'Workstreams', gates: 'Gates', verdict: 'Go / no-go' };

const time = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm');

function phaseText(w: BoardWorkstream): string {
  switch (w.phase.kind) {
    case 'waiting':
      return 'waiting for a gate';
    case 'ended':
      return 'ended';
    case 'not_started':
      return 'not started';
    default:
      return 'active';
  }
}

/** One workstream: its heading line and its detail lines. */
export function workstreamLines(w: BoardWorkstream, zone: string, m: BoardMarkup): { head: string; details: string[] } {
  const open = w.openBlockers.P0 + w.openBlockers.P1 + w.openBlockers.P2;
  const blockers = open
    ? `open blockers: ${(['P0', 'P1', 'P2'] as const)
        .filter((s) => w.openBlockers[s])
        .map((s) => `${w.openBlockers[s]} ${s}`)
        .join(', ')}${w.oldestBlockerAgeMs !== null ? `, oldest ${formatDuration(w.oldestBlockerAgeMs)}` : ''}`
    : 'open blockers: none';
  const next = w.nextTask
    ? `next task: ${m.plain(w.nextTask.id)} “${m.plain(w.nextTask.title)}” due ${time(w.nextTask.dueAt, zone)}${w.nextTask.overdue ? ` (${m.bold('overdue')})` : ''}, ${m.mention(w.nextTask.owner)}`
    : 'next task: none due';
  return {
    head: `${m.bold(m.plain(w.name))} · ${STATUS_LABEL[w.status]} · ${w.percent === null ? '–' : `${w.percent}%`} complete · ${phaseText(w)}`,
    details: [`waits on: ${w.waitsOn ? m.plain(w.waitsOn) : 'nothing'}`, next, blockers, `lead: ${w.leads.length ? w.leads.map(m.mention).join(', ') : '–'}`],
  };
}

/** One gate's line: status, signers ✅ / ⏳, due. */
export function gateLine(g: BoardGate, zone: string, m: BoardMarkup): string {
  const signers = g.signers.map((s) => `${s.signed ? '✅' : '⏳'} ${m.mention(s.userId)}`).join(' ');
  return `${m.bold(m.plain(g.name))}${g.mandatory ? '' : ' (optional)'} · ${GATE_STATUS[g.status]} · ${g.dueAt === null ? 'no due time' : `due ${time(g.dueAt, zone)}`}${signers ? ` · ${signers}` : ''}`;
}

/** The verdict's heading line and its reasons. */
export function verdictLines(model: BoardModel, m: BoardMarkup): { head: string; reasons: string[] } {
  const v = model.verdict;
  return { head: `${DECISION_EMOJI[v.decision]} ${m.bold(v.decision)} · ${v.percent}% of the checklist done`, reasons: v.reasons.map((r) => r) };
}

/** "updated Thu 13 Nov 14:05 (Europe/Berlin)". */
export function updatedLine(model: BoardModel): string {
  return `updated ${time(model.updatedAt, model.zone)} (${model.zone})`;
}

/** The canvas title: "<program> · status board". */
export function boardTitle(model: BoardModel): string {
  return `${model.programName} · status board`;
}

/**
 * The board as canvas markdown: a `#` heading per section picked by `program.board.include`, a `##` heading and a
 * bulleted list per workstream, a bullet per gate, the verdict with its reasons, then "updated …". Reasons come
 * from domain/gonogo/verdict.ts in mrkdwn (`<@U…>` mentions), turned into canvas mentions here.
 */
export function boardCanvasMarkdown(model: BoardModel): string {
  const m = CANVAS_MARKUP;
  const out: string[] = [];
  for (const section of model.sections) {
    out.push(`# ${SECTION_TITLE[section]}`, '');
    if (section === 'workstreams') {
      for (const w of model.workstreams) {
        const { head, details } = workstreamLines(w, model.zone, m);
        out.push(`## ${head}`, ...details.map((d) => `- ${d}`), '');
      }
      if (!model.workstreams.length) out.push('No workstreams.', '');
    } else if (section === 'gates') {
      out.push(...(model.gates.length ? model.gates.map((g) => `- ${gateLine(g, model.zone, m)}`) : ['No gates.']), '');
    } else {
      const { head, reasons } = verdictLines(model, m);
      out.push(head, ...reasons.map((r) => `- ${r.replace(/<@([A-Z0-9]+)>/g, '![](@$1)')}`), '');
    }
  }
  out.push(`_${updatedLine(model)}_`);
  return out.join('\n');
}
