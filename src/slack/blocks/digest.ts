import type { KnownBlock } from '@slack/types';
import { staleTrackersBlock } from './trackers.js';
import { DateTime } from 'luxon';
import type { DurationSummary } from '../../domain/digest/durations.js';
import type { DigestModel, WorkstreamDigest } from '../../domain/digest/digest.js';
import type { TrackStatus } from '../../domain/digest/status.js';
import type { Trend } from '../../domain/digest/trend.js';
import type { DigestMessageModel } from '../../services/delivery/renderer.js';
import { overrideLine } from './replan.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { safeMrkdwn, safePlain } from './text.js';

const STATUS_EMOJI: Record<TrackStatus, string> = { 'on-track': '🟢', 'at-risk': '🟡', blocked: '🔴' };
const STATUS_LABEL: Record<TrackStatus, string> = { 'on-track': 'On Track', 'at-risk': 'At Risk', blocked: 'Blocked' };

/** A duration as Slack users read it: `45s`, `12m`, `2h 05m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const durations = (d: DurationSummary) => (d.count ? `median ${formatDuration(d.medianMs!)}, worst ${formatDuration(d.worstMs!)}` : '—');

/** `62% (▲ 12)`, `62% (=)`, `62% (new)`, `–` for nothing measured. */
function percentWithTrend(percent: number | null, trend: Trend): string {
  if (percent === null) return '–';
  switch (trend.direction) {
    case 'up':
      return `${percent}% (▲ ${trend.delta})`;
    case 'down':
      return `${percent}% (▼ ${-trend.delta!})`;
    case 'flat':
      return `${percent}% (=)`;
    default:
      return `${percent}% (new)`;
  }
}

/** Seed 002's dashboard bar: 20 cells, `████████████████░░░░ 80%`. */
function bar(percent: number): string {
  const full = Math.round(percent / 5);
  return `${'█'.repeat(full)}${'░'.repeat(20 - full)} ${String(percent).padStart(3)}%`;
}

function workstreamLine(w: WorkstreamDigest): string {
  const open = w.openBlockers.P0 + w.openBlockers.P1 + w.openBlockers.P2;
  const parts = [
    `${STATUS_EMOJI[w.status]} *${safeMrkdwn(w.name, 80)}* ${percentWithTrend(w.percent, w.trend)}`,
    w.tasksTotal ? `tasks ${w.tasksDone}/${w.tasksTotal} done${w.tasksDoneInWindow ? ` (+${w.tasksDoneInWindow})` : ''}${w.tasksOverdue ? `, *${w.tasksOverdue} overdue*` : ''}` : null,
    w.participation.expected ? `check-ins ${w.participation.answered}/${w.participation.expected}` : null,
    w.flags.red || w.flags.yellow ? `🔴 ${w.flags.red} 🟡 ${w.flags.yellow}` : null,
    open ? `${open} open blocker${open === 1 ? '' : 's'}${w.openBlockers.P0 ? ` (${w.openBlockers.P0} P0)` : ''}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * The daily digest (and `/preflight stats`) in Block Kit, within Slack's message limits (50 blocks, 3000
 * characters a section): a header; the window; seed 002's On Track / At Risk / Blocked dashboard; tasks,
 * check-in participation and risk flags; blockers opened / acknowledged / resolved with time to acknowledge
 * and to resolve (median, worst); then one line per workstream (status, % complete and its change, tasks,
 * check-ins, flags, open blockers), packed into sections; the rules in a footer. Names are escaped. With
 * `planChanges` (issue 20), a "Plan changes today" section (at most 20 lines) comes before the workstreams; with
 * `staleTrackers` (issue 21), a line per tracker source that did not sync lately comes before the footer.
 */
export function digestMessage(m: DigestMessageModel): { text: string; blocks: KnownBlock[] } {
  const d: DigestModel = m.digest;
  const zone = d.zone;
  const fmt = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm');
  const title = m.kind === 'digest' ? `📊 Daily digest · ${d.programName}` : `📊 Stats · ${d.programName}${m.scope ? ` · ${m.scope}` : ''}`;
  const t = d.totals;
  const b = d.blockers;
  const pct = (p: number | null) => (p === null ? '–' : `${p}%`);
  const dashboard = (['on-track', 'at-risk', 'blocked'] as const).map((s) => `${STATUS_LABEL[s].padEnd(9)} ${bar(d.status[s].percent)}  (${d.status[s].count})`).join('\n');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: safePlain(title, LIMITS.headerText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${fmt(d.window.from)} → ${fmt(d.window.to)} (${zone})${m.comparedWith ? ` · changes since the digest of ${m.comparedWith}` : ''}` }] },
    { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${dashboard}\`\`\`` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Tasks*\n${t.tasksDone}/${t.tasksTotal} done (+${t.tasksDoneInWindow} in this period) · ${t.tasksOverdue} overdue` },
        { type: 'mrkdwn', text: `*Check-in participation*\n${t.participation.answered}/${t.participation.expected} answered (${pct(t.participation.percent)})` },
        { type: 'mrkdwn', text: `*Risk flags (latest check-ins)*\n🔴 ${t.flags.red} · 🟡 ${t.flags.yellow} · 🟢 ${t.flags.green}` },
        { type: 'mrkdwn', text: `*Blockers*\n${b.opened} opened · ${b.acknowledged} acknowledged · ${b.resolved} resolved` },
        { type: 'mrkdwn', text: `*Time to acknowledge*\n${durations(b.timeToAcknowledge)}` },
        { type: 'mrkdwn', text: `*Time to resolve*\n${durations(b.timeToResolve)}` },
      ],
    },
    { type: 'divider' },
  ];
  const footer: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: safeMrkdwn(`% complete: ${d.rules.percent}. Status: ${d.rules.status}.`, 2000) }],
  };
  const lines = d.workstreams.map(workstreamLine);
  // issue 20: what was changed from Slack on top of preflight.yml in the window, before the workstreams
  const changes = m.planChanges ?? [];
  if (changes.length) {
    const heading = m.kind === 'digest' ? '*Plan changes today*' : '*Plan changes in this period*';
    const shown = changes.slice(0, 20).map((c) => overrideLine(c, zone, { target: true }));
    const more = changes.length > shown.length ? [`…and ${changes.length - shown.length} more: \`npm run export -- --what overrides\``] : [];
    blocks.push(...packSections([heading, ...shown, ...more], 2).blocks, { type: 'divider' });
  }
  const stale = staleTrackersBlock(m.staleTrackers ?? [], d.window.to, zone);
  const room = LIMITS.messageBlocks - blocks.length - 2 - (stale ? 1 : 0);
  const packed = packSections(lines, room);
  blocks.push(...packed.blocks);
  if (packed.rest.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${packed.rest.length} more workstreams: \`/preflight stats <workstream>\`` }] });
  // issue 21: a tracker that did not sync lately, at the digest's time
  if (stale) blocks.push(stale);
  blocks.push(footer);
  const text = `${title}: on track ${d.status['on-track'].count}, at risk ${d.status['at-risk'].count}, blocked ${d.status.blocked.count}; tasks ${t.tasksDone}/${t.tasksTotal} done, ${t.tasksOverdue} overdue; blockers ${b.opened} opened, ${b.resolved} resolved`;
  return { text, blocks };
}
