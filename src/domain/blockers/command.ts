import { parseShortId } from './blocker.js';
import { parseSeverity, SEVERITIES, type Severity } from '../program/severities.js';

export type BlockerListScope = 'mine' | 'workstream' | 'all';

/** A parsed `/blocker` command. */
export type BlockerCommand =
  | { kind: 'modal' }
  | { kind: 'raise'; text: string; severity?: Severity; owner?: string; workstream?: string; channel?: string; gate?: string }
  | { kind: 'list'; scope: BlockerListScope }
  | { kind: 'show'; id: number }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

export const BLOCKER_USAGE = [
  `*\`/blocker <what blocks you> [${SEVERITIES.join('|')}] [@owner] [ws:<workstream>] [gate:<gate>]\`* raises a blocker (or type \`/blocker\` alone for a form)`,
  '*`/blocker list`* my open blockers and my workstream’s, oldest first · `/blocker list all` every open blocker',
  '*`/blocker show B-42`* the whole timeline of a blocker',
  '*`/blocker help`* shows this',
].join('\n');

// With "Escape channels, users, and links" on (manifest should_escape: true), Slack sends mentions as <@U123|name>.
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

/**
 * Parses the text after `/blocker`.
 * Flags may appear anywhere: a severity word (P0/P1/P2, any case), the first user mention (the owner: who the blocker
 * waits on), `ws:<id>` or a channel mention (the workstream), `gate:<id>`; the rest is the blocker's text.
 * @param workstreamIds known workstream ids, to name them in errors.
 */
export function parseBlockerCommand(text: string, workstreamIds: readonly string[]): BlockerCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'modal' };
  const [first, ...rest] = trimmed.split(/\s+/);
  const sub = first!.toLowerCase();
  if (sub === 'help' && rest.length === 0) return { kind: 'help' };
  if (sub === 'list' && rest.length <= 1) {
    const scope = (rest[0] ?? 'mine').toLowerCase();
    if (scope === 'mine' || scope === 'me') return { kind: 'list', scope: 'mine' };
    if (['ws', 'workstream', 'team'].includes(scope)) return { kind: 'list', scope: 'workstream' };
    if (scope === 'all') return { kind: 'list', scope: 'all' };
    return { kind: 'invalid', message: 'Write `/blocker list`, `/blocker list workstream` or `/blocker list all`.' };
  }
  if (sub === 'show') {
    const id = rest.length === 1 ? parseShortId(rest[0]!) : null;
    return id === null ? { kind: 'invalid', message: 'Write `/blocker show B-42` with the blocker’s id.' } : { kind: 'show', id };
  }

  const out: Extract<BlockerCommand, { kind: 'raise' }> = { kind: 'raise', text: '' };
  const words: string[] = [];
  for (const token of trimmed.split(/(\s+)/)) {
    const t = token.trim();
    const severity = out.severity ? undefined : parseSeverity(t);
    const owner = out.owner ? null : USER.exec(t);
    const channel = out.workstream || out.channel ? null : CHANNEL.exec(t);
    if (t === '') {
      words.push(token);
    } else if (severity) {
      out.severity = severity;
    } else if (owner) {
      out.owner = owner[1];
    } else if (channel) {
      out.channel = channel[1];
    } else if (!out.workstream && /^ws:/i.test(t)) {
      const ws = t.slice(3);
      if (!workstreamIds.includes(ws)) return { kind: 'invalid', message: `There is no workstream \`${ws}\`. Workstreams: ${workstreamIds.join(', ')}.` };
      out.workstream = ws;
    } else if (!out.gate && /^gate:/i.test(t)) {
      out.gate = t.slice(5);
    } else {
      words.push(token);
    }
  }
  out.text = words.join('').replace(/\s+/g, ' ').trim();
  if (out.text === '') return { kind: 'invalid', message: 'Say what blocks you, e.g. `/blocker Staging DB is down P0 @jane`.' };
  return out;
}
