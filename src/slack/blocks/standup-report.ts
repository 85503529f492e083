import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { ReportModel } from '../../domain/checkins/report.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { mention, safeMrkdwn, safePlain, taskOwner, taskRef, truncate } from './text.js';
import { ago } from './blocker.js';

/** Room kept for the footer context block. */
const RESERVED_BLOCKS = 1;

function humanDate(localDate: string): string {
  return DateTime.fromISO(localDate).toFormat('ccc d LLL');
}

const STATUS_ICON = { open: '🟢', closed: '🔒', missed: '⚠️' } as const;

/**
 * The one-line index on the day's first report in a channel that several check-ins share: every check-in of the
 * day in that channel with its time and status; later ones post their report in this message's thread.
 */
function dayIndexBlock(model: ReportModel): KnownBlock {
  const items = model.dayIndex.map((d) => {
    const name = d.workstreamName === model.workstreamName ? d.checkinName : `${d.workstreamName} · ${d.checkinName}`;
    return `${STATUS_ICON[d.status]} ${d.current ? '*' : ''}${safeMrkdwn(name, 80)}${d.current ? '*' : ''} ${d.openAtLocal}`;
  });
  const text = `🗂 Today's check-ins: ${items.join('  ·  ')}  _(later ones report in this thread)_`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }] };
}

/** Per-field cut in the report: generous for small teams, tighter for big ones, so 35+ members fit. */
function fieldCap(entries: number): number {
  if (entries <= 10) return 600;
  if (entries <= 25) return 300;
  return 180;
}

/**
 * Lays out a standup report as one channel message (≤ 50 blocks, every text within Slack's limits).
 * Order: header, status line, blockers, red/yellow flags, who has not answered, then every answer.
 * User text is escaped (never pings, never breaks formatting) and cut with a marker; anything that does not
 * fit is counted in the footer rather than rejected by Slack.
 * @returns `blocks` and a plain `text` fallback (notifications, screen readers; ≤ 4000 chars).
 */
export function standupReportMessage(model: ReportModel): { blocks: KnownBlock[]; text: string } {
  const { counts } = model;
  const title = `📋 ${model.workstreamName} · ${model.checkinName === 'Standup' ? 'standup' : model.checkinName} ${humanDate(model.localDate)}`;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: safePlain(title, LIMITS.headerText), emoji: true } }];
  if (model.dayIndex.length) blocks.push(dayIndexBlock(model));

  const status =
    model.status === 'missed'
      ? '⚠️ *Missed*: Preflight was not running between this standup’s start and its close, so no prompts were sent.'
      : model.status === 'open'
        ? `🟢 Open until *${model.closesAtLocal}* · *${counts.answered}/${counts.expected}* answered`
        : `🔒 Closed at ${model.closesAtLocal} · *${counts.answered}/${counts.expected}* answered`;
  const extras = [counts.skipped ? `${counts.skipped} skipped` : '', counts.ooo ? `${counts.ooo} out of office` : ''].filter(Boolean);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: [status, ...extras].join(' · ') }] });
  if (model.status === 'missed') return { blocks, text: safeMrkdwn(`${title}: missed`, LIMITS.messageText) };

  const headline: string[] = [];
  // a check-in's `expects` (seed 000: "11:00 AM - First checkpoint (O-3, O-4 should be done)") leads the report
  if (model.expected) {
    const { notDone, total } = model.expected;
    if (notDone.length) {
      headline.push(`*🎯 Expected by now, not done (${notDone.length} of ${total})*`);
      for (const t of notDone) headline.push(`• *${taskRef(t)}* ${safeMrkdwn(t.title, 120)} · ${taskOwner(t)} · ${t.progress}%`);
    } else headline.push(`*🎯 Expected by now:* all ${total} done`);
  }
  if (model.blockers.length) {
    headline.push(`*🚧 Blockers (${model.blockers.length})*`);
    for (const b of model.blockers) headline.push(`• ${mention(b.userId)}: ${safeMrkdwn(b.text, 300)}`);
  } else {
    headline.push('*🚧 Blockers:* none reported');
  }
  if (model.carriedOver.length) {
    headline.push(`*♻️ Still open from before (${model.carriedOver.length})*`);
    for (const c of model.carriedOver) {
      headline.push(`• *B-${c.id}* ${c.severity} · raised ${ago(c.raisedAt, model.zone)}${c.owner ? ` · waiting on ${mention(c.owner)}` : ''}: ${safeMrkdwn(c.text, 200)}`);
    }
  }
  if (model.flags.length) {
    headline.push(`*🚩 Risk flags:* ${model.flags.map((f) => `${f.risk === 'red' ? '🔴' : '🟡'} ${mention(f.userId)}`).join('  ')}`);
  }
  if (model.notAnswered.length) {
    const label = model.status === 'open' ? '⏳ Not answered yet' : '❌ Did not answer';
    headline.push(`*${label} (${model.notAnswered.length}):* ${model.notAnswered.map(mention).join(' ')}`);
  }
  if (model.skipped.length) headline.push(`_Skipped today:_ ${model.skipped.map(mention).join(' ')}`);
  if (model.ooo.length) headline.push(`_Out of office:_ ${model.ooo.map(mention).join(' ')}`);

  const budget = LIMITS.messageBlocks - blocks.length - RESERVED_BLOCKS;
  const top = packSections(headline, Math.max(1, Math.floor(budget / 3)));
  blocks.push(...top.blocks);

  const cap = fieldCap(model.entries.length);
  const entryLine = (e: ReportModel['entries'][number]) => {
    const marks = [e.late ? '_late_' : '', e.edited ? '_edited_' : ''].filter(Boolean).join(' ');
    const head = `${mention(e.userId)}${marks ? ` ${marks}` : ''}`;
    const body = e.fields.map((f) => `${f.label}: ${safeMrkdwn(f.value, cap)}`).join('\n');
    return `${head}\n${body}`;
  };
  const entryLines: string[] = [];
  const sectionLines = new Set<string>();
  // a program check-in: every workstream's section, in order, with its count and who has not answered, then its
  // answers (a section nobody answered for yet still has its line: issue 18)
  for (const s of model.sections) {
    const missing = s.notAnswered.length ? ` · ${model.status === 'open' ? '⏳ not answered yet' : '❌ did not answer'}: ${s.notAnswered.map(mention).join(' ')}` : '';
    const line = `*▸ ${safeMrkdwn(s.name, 80)}* · ${s.answered}/${s.expected} answered${missing}`;
    sectionLines.add(line);
    entryLines.push(line);
    for (const e of model.entries) if (e.section === s.name) entryLines.push(entryLine(e));
  }
  for (const e of model.entries) if (!e.section || !model.sections.some((s) => s.name === e.section)) entryLines.push(entryLine(e));
  if (entryLines.length) {
    blocks.push({ type: 'divider' });
    const rest = packSections(entryLines, LIMITS.messageBlocks - blocks.length - RESERVED_BLOCKS);
    blocks.push(...rest.blocks);
    const droppedAnswers = rest.rest.filter((l) => !sectionLines.has(l)).length;
    if (rest.dropped > 0) {
      const what = droppedAnswers === rest.dropped ? `${rest.dropped} more answers` : `${droppedAnswers} more answers (and ${rest.dropped - droppedAnswers} workstream lines)`;
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${what} not shown: Slack allows ${LIMITS.messageBlocks} blocks per message.` }] });
    }
  }
  const text = `${model.workstreamName} ${model.checkinName === 'Standup' ? 'standup' : model.checkinName} ${model.localDate}: ${counts.answered}/${counts.expected} answered, ${model.blockers.length} blocker(s)`;
  return { blocks, text: safeMrkdwn(text, LIMITS.messageText) };
}
