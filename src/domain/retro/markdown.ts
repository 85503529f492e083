import { DateTime } from 'luxon';
import type { DurationSummary } from '../digest/durations.js';
import type { RetroBlockerLine, RetroModel, RetroTimelineItem } from './retro.js';

/**
 * The retrospective as Markdown (pure): what `npm run retro -- --format md` prints and what the retro canvas holds
 * (Slack canvases take Markdown). Times are shown in the model's zone (the program's), e.g. `Thu 13 Nov 09:05`;
 * durations as Slack users read them (`45s`, `12m`, `2h 05m`, `3d 4h`). Text people wrote is escaped so it cannot
 * turn into a heading, a link or emphasis.
 */

export interface RetroMarkdownOptions {
  /** How a person is written: `@U0123` by default; the canvas passes `![](@U0123)`, a canvas mention. */
  mention?: (userId: string) => string;
}

/** A duration in ms as `45s`, `12m`, `2h 05m` or `3d 4h` (the digest's format). */
export function formatRetroDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Escapes Markdown's inline and block markers in text people wrote, and folds it onto one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]()#<>|!~])/g, '\\$1')
    .trim();
}

const link = (label: string, permalink: string | null) => (permalink ? `[${label}](${permalink})` : label);
const durations = (d: DurationSummary) => (d.count ? `median ${formatRetroDuration(d.medianMs!)}, worst ${formatRetroDuration(d.worstMs!)} (${d.count})` : '—');
const pct = (p: number | null) => (p === null ? '–' : `${p}%`);

/**
 * Writes the retro as a Markdown document: a title and the span, the numbers, the timeline, the P0/P1 blockers with
 * their ladder, the late tasks, participation per team, the three longest waits and what the teams said (the retro
 * check-in's answers by workstream). Every item links to the Slack message it came from when there is one.
 */
export function retroMarkdown(model: RetroModel, options: RetroMarkdownOptions = {}): string {
  const who = options.mention ?? ((u: string) => `@${u}`);
  const at = (ms: number) => DateTime.fromMillis(ms, { zone: model.zone }).toFormat('ccc d LLL HH:mm');
  const day = (ms: number) => DateTime.fromMillis(ms, { zone: model.zone }).toFormat('ccc d LLL yyyy');
  const out: string[] = [];
  const from = Number.isFinite(model.span.from) ? day(model.span.from) : 'the first record';
  const to = Number.isFinite(model.span.to) ? day(model.span.to - 1) : `${at(model.end)} (now)`;
  out.push(`# Retrospective · ${escapeMarkdown(model.programName)}`, '', `${from} → ${to}, times in ${model.zone}. Drafted by Preflight from the record; every item links to its Slack message.`, '');

  const n = model.numbers;
  out.push(
    '## The numbers',
    '',
    `- Blockers: ${n.blockers.opened} opened · ${n.blockers.acknowledged} acknowledged · ${n.blockers.resolved} resolved`,
    `- Time to acknowledge: ${durations(n.blockers.timeToAcknowledge)}`,
    `- Time to resolve: ${durations(n.blockers.timeToResolve)}`,
    `- Tasks: ${n.tasks.done}/${n.tasks.total} done · ${n.tasks.late} late`,
    `- Check-in participation: ${n.participation.answered}/${n.participation.expected} answered (${pct(n.participation.percent)})`,
    `- Gates: ${n.gates.passed} passed · ${n.gates.failed} failed`,
    `- Go/no-go decisions: ${n.decisions}`,
    '',
  );

  out.push('## Timeline', '');
  if (!model.timeline.length) out.push('Nothing recorded in this span.');
  for (const item of model.timeline) out.push(`- ${at(item.at)} · ${timelineLine(item, who)}`);
  out.push('');

  out.push('## P0 and P1 blockers', '');
  if (!model.blockers.length) out.push('None.');
  for (const b of model.blockers) out.push(...blockerLines(b, at, who));
  out.push('');

  out.push('## Tasks late', '');
  if (!model.lateTasks.length) out.push('None: every task with a due time was done by it.');
  for (const t of model.lateTasks) {
    const what = link(`${t.id} “${escapeMarkdown(t.title)}”`, t.permalink);
    out.push(
      `- ${what} (${escapeMarkdown(t.workstreamName)}, ${who(t.owner)}): due ${at(t.due!)}, ${t.done ? `done ${at(t.doneAt!)}, ${formatRetroDuration(t.lateByMs)} late` : `not done, ${formatRetroDuration(t.lateByMs)} late so far`}`,
    );
  }
  out.push('');

  out.push('## Check-in participation per team', '');
  for (const p of model.participation) out.push(`- ${escapeMarkdown(p.workstreamName)}: ${p.answered}/${p.prompted} answered (${pct(p.percent)})`);
  out.push('');

  out.push('## The three longest waits', '');
  if (!model.longestWaits.length) out.push('None.');
  model.longestWaits.forEach((w, i) => {
    const what = w.kind === 'blocker' ? 'open' : w.kind === 'task' ? 'late' : 'signed late';
    out.push(`${i + 1}. ${link(escapeMarkdown(w.label), w.permalink)}: ${what} ${formatRetroDuration(w.ms)}${w.ongoing ? ' and counting' : ''}`);
  });
  out.push('');

  out.push('## What the teams said', '');
  if (!model.answers.length) out.push('No retro check-in answers yet.');
  for (const ws of model.answers) {
    out.push(`### ${escapeMarkdown(ws.workstreamName)}`, '');
    for (const a of ws.answers) {
      out.push(`- ${link(who(a.userId), a.permalink)}`);
      if (a.wentWell) out.push(`  - Went well: ${escapeMarkdown(a.wentWell)}`);
      if (a.didNot) out.push(`  - Didn't: ${escapeMarkdown(a.didNot)}`);
      if (a.change) out.push(`  - Would change: ${escapeMarkdown(a.change)}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function timelineLine(item: RetroTimelineItem, who: (u: string) => string): string {
  switch (item.kind) {
    case 'gate': {
      const g = item.gate;
      const verb = g.outcome === 'passed' ? '✅ passed' : g.outcome === 'failed' ? '❌ failed' : '↩️ sign-offs withdrawn';
      const by = g.by ? ` by ${who(g.by)}` : '';
      const late = g.due !== null && g.outcome === 'passed' && g.at > g.due ? ` (${formatRetroDuration(g.at - g.due)} after its due time)` : '';
      const note = g.note ? `: ${escapeMarkdown(g.note)}` : '';
      return `${link(`Gate “${escapeMarkdown(g.gateName)}” ${verb}`, g.permalink)}${by}${late}${note}`;
    }
    case 'decision': {
      const d = item.decision;
      const verdict = d.verdict ? ` (Preflight's verdict: ${d.verdict})` : '';
      const note = d.note ? `: ${escapeMarkdown(d.note)}` : '';
      return `${link(`Decision ${d.decision.toUpperCase()}`, d.permalink)}${d.by ? ` by ${who(d.by)}` : ''}${verdict}${note}`;
    }
    case 'blocker-raised': {
      const b = item.blocker;
      return `${link(`${b.shortId} ${b.severity} raised`, b.permalink)} in ${escapeMarkdown(b.workstreamName)}: ${escapeMarkdown(b.text)}`;
    }
    case 'blocker-resolved': {
      const b = item.blocker;
      return `${link(`${b.shortId} resolved`, b.permalink)} after ${formatRetroDuration(b.timeToResolveMs!)}`;
    }
  }
}

function blockerLines(b: RetroBlockerLine, at: (ms: number) => string, who: (u: string) => string): string[] {
  const ack = b.timeToAcknowledgeMs === null ? 'never acknowledged' : `acknowledged after ${formatRetroDuration(b.timeToAcknowledgeMs)}`;
  const res = b.timeToResolveMs === null ? `open for ${formatRetroDuration(b.openForMs ?? 0)}` : `resolved after ${formatRetroDuration(b.timeToResolveMs)}`;
  const lines = [`- ${link(`${b.shortId} ${b.severity}`, b.permalink)} · ${escapeMarkdown(b.workstreamName)} · “${escapeMarkdown(b.text)}”: raised ${at(b.raisedAt)}, ${ack}, ${res}`];
  if (b.ladder.length) {
    const steps = b.ladder.map((s) => `${s.level === null ? 'escalated now' : `level ${s.level}`} → ${s.to.map(who).join(', ') || 'nobody'} at ${at(s.at)}`);
    lines.push(`  - Ladder: ${steps.join('; ')}`);
  } else lines.push('  - Ladder: never escalated');
  return lines;
}
