import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { AuditEntry, ChecklistDay } from '../../domain/gonogo/history.js';
import type { GonogoHistory, HistoryCursor } from '../../services/gonogo/history-page.js';
import { clock } from './blocker.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { countOf, mention, safeMrkdwn, safePlain } from './text.js';

/** The "Show older" button of `/gonogo history`; its value is the next page's cursor as JSON. */
export const GONOGO_HISTORY_IDS = { older: 'gonogo_history_older' } as const;

/** The "Show older" button's value: {@link HistoryCursor} as JSON (parsed with zod: a value we did not write is refused). */
export const historyCursorSchema = z.object({ events: z.number().int().nonnegative().optional(), ticks: z.number().int().nonnegative().optional() }).strict();

/** Parses a "Show older" button value. @returns null when it is not a cursor this bot wrote. */
export function parseHistoryCursor(value: string | undefined): HistoryCursor | null {
  try {
    const parsed = historyCursorSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Names for ids in the audit rows (from the config); ids without a name are shown as they are. */
export interface HistoryNames {
  gates: Record<string, string>;
  workstreams: Record<string, string>;
  /** The reader's IANA zone: the fallbacks of the `<!date>` times are written in it. */
  zone: string;
}

/** Gate and workstream names from the config, for the history lines, read in `zone` (the reader's, IANA). */
export function historyNames(config: Pick<WorkspaceConfig, 'gates' | 'workstreams'>, zone: string): HistoryNames {
  return {
    zone,
    gates: Object.fromEntries(config.gates.map((g) => [g.id, g.name])),
    workstreams: Object.fromEntries(Object.entries(config.workstreams).map(([id, w]) => [id, w.name])),
  };
}

/** One line per decision, sign-off, failure or withdrawal. */
function eventLine(e: AuditEntry, names: HistoryNames): string {
  const when = clock(Math.floor(e.at.getTime() / 1000), names.zone);
  const who = e.actor ? mention(e.actor) : 'Preflight';
  const gate = `“${safeMrkdwn(names.gates[e.gateId ?? ''] ?? e.gateId ?? 'a gate', 80)}”`;
  const d = e.data;
  switch (e.kind) {
    case 'decision':
      return `• ${when}: *${safeMrkdwn(String(d.decision).toUpperCase(), 20)}* decided by ${who}${d.note ? `: “${safeMrkdwn(String(d.note), 200)}”` : ''}`;
    case 'gate_signed':
      return `• ${when}: ✍️ ${gate} signed by ${who} (joint sign-off, still pending)${d.note ? `: “${safeMrkdwn(String(d.note), 200)}”` : ''}`;
    case 'gate_passed':
      return `• ${when}: ✅ ${gate} signed off by ${who}${d.note ? `: “${safeMrkdwn(String(d.note), 200)}”` : ''}`;
    case 'gate_failed':
      return `• ${when}: ❌ ${gate} failed by ${who}${d.note ? `: “${safeMrkdwn(String(d.note), 200)}”` : ''}`;
    case 'gate_withdrawn':
      return `• ${when}: ⚠️ ${gate} sign-off withdrawn (B-${Number(d.blocker)} ${safeMrkdwn(String(d.severity), 4)} raised by ${who})`;
    default:
      return `• ${when}: ${safeMrkdwn(e.kind, 40)} by ${who}`;
  }
}

/** Item names until about `budget` characters, then "and N more". */
function someItems(items: readonly string[], budget = 200): string {
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    const s = safeMrkdwn(item, 60);
    if (shown.length > 0 && used + s.length > budget) break;
    shown.push(s);
    used += s.length + 2;
  }
  const rest = items.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? `, and ${rest} more` : ''}`;
}

/** One line per workstream and day of checklist changes: how many ticked and unticked, which, by whom, when. */
function checklistLine(g: ChecklistDay, names: HistoryNames): string {
  const parts: string[] = [];
  if (g.ticked.length) parts.push(`☑️ ${countOf(g.ticked.length, 'item')} ticked (${someItems(g.ticked)})`);
  if (g.unticked.length) parts.push(`⬜ ${countOf(g.unticked.length, 'item')} unticked (${someItems(g.unticked)})`);
  const who = g.actors.slice(0, 5).map(mention).join(', ') + (g.actors.length > 5 ? ` and ${g.actors.length - 5} more` : '');
  const day = DateTime.fromISO(g.day, { zone: 'utc' }).toFormat('ccc d LLL');
  return `• ${day} · *${safeMrkdwn(names.workstreams[g.workstream] ?? g.workstream, 60)}*: ${parts.join(' · ')} by ${who || 'someone'} · last ${clock(Math.floor(g.lastAt.getTime() / 1000), names.zone)}`;
}

/**
 * The `/gonogo history` message for one page: decisions, sign-offs and withdrawals first (all of the page's),
 * then the checklist changes grouped per workstream and day, each newest first, packed into sections at line
 * boundaries (never inside a `<!date^…>` token) within 50 blocks; a "Show older" button when there is more.
 * @param opts.older true for a page after the first ("nothing older" rather than "nothing yet").
 */
export function gonogoHistoryMessage(page: GonogoHistory, names: HistoryNames, opts: { older?: boolean } = {}): { blocks: KnownBlock[]; text: string } {
  const none = opts.older ? '_Nothing older._' : '_None yet._';
  const events = page.events.map((e) => eventLine(e, names));
  const ticks = page.checklist.map((g) => checklistLine(g, names));
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Go/no-go history*${opts.older ? ' (older)' : ''}, newest first` } }];
  const reserved = page.older ? 3 : 2; // the button, the footer, one spare
  const first = packSections(['*Decisions, sign-offs and withdrawals*', ...(events.length ? events : [none])], LIMITS.messageBlocks - blocks.length - reserved - 1);
  blocks.push(...first.blocks);
  const second = packSections(['*Checklist changes* (per workstream and day)', ...(ticks.length ? ticks : [none])], LIMITS.messageBlocks - blocks.length - reserved);
  blocks.push(...second.blocks);
  const unfit = first.rest.length + second.rest.length;
  // the page sizes make this unreachable (see the tests); if it ever happens, it is said, not dropped silently
  if (unfit) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `⚠️ ${countOf(unfit, 'line')} of this page did not fit in one message.` }] });
  if (page.older) {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: GONOGO_HISTORY_IDS.older, value: JSON.stringify(page.older), text: { type: 'plain_text', text: safePlain('⏪ Show older', LIMITS.buttonText), emoji: true } },
      ],
    } as KnownBlock);
  }
  return { blocks, text: opts.older ? 'Go/no-go history (older)' : 'Go/no-go history' };
}
