import { DateTime } from 'luxon';

/** A parsed `/standup` command. */
export type StandupCommand =
  | { kind: 'form'; workstream?: string; checkin?: string }
  | { kind: 'skip'; workstream?: string; checkin?: string }
  | { kind: 'ooo'; from: string; until: string; delegate?: string }
  | { kind: 'back' }
  | { kind: 'start'; workstream: string; checkin?: string }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

/** The usage text shown by `/standup help` and after any malformed command. */
export const STANDUP_USAGE = [
  '*`/standup`* opens the form of my check-in open now (asks which when several are open; or add a workstream id, and a check-in id)',
  '*`/standup skip`* skips my check-ins for the rest of today (`skip <workstream> [check-in]` for one), and says which',
  '*`/standup ooo 2026-12-24`* marks me out of office until that date (inclusive); `ooo <from> <until>` for a later span; add `delegate:@ben` and @ben gets my escalations meanwhile',
  '*`/standup back`* ends my out-of-office',
  '*`/standup start <workstream> [check-in]`* starts a check-in now (its leads and the PM; `start program <check-in>` for a program check-in, the PM)',
  '*`/standup help`* shows this',
].join('\n');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A check-in id as config allows it (lowercase slug). */
const CHECKIN_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** `delegate:<@U123|ben>` as Slack sends a mention with escaping on (`delegate:` and the mention may be apart), or a bare user ID. */
const DELEGATE = /^delegate:\s*(?:<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|([UW][A-Z0-9]{2,}))$/i;

function date(text: string): string | null {
  if (!DATE.test(text)) return null;
  return DateTime.fromISO(text).isValid ? text : null;
}

/**
 * Parses the text after `/standup`.
 * @param text what the user typed after the command (Slack's `text` field).
 * @param today the user's local date (YYYY-MM-DD), for out-of-office checks.
 * @param workstreamIds known workstream ids (and `program` when the program has check-ins), so `/standup ws1` opens
 *   ws1's form and errors can list them. A check-in id after a workstream is only checked for its shape here.
 */
export function parseStandupCommand(text: string, today: string, workstreamIds: readonly string[]): StandupCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  const sub = first?.toLowerCase();
  const known = workstreamIds.join(', ');
  const wsArg = (w: string | undefined): string | undefined | null => {
    if (w === undefined) return undefined;
    return workstreamIds.includes(w) ? w : null;
  };
  switch (sub) {
    case undefined:
      return { kind: 'form' };
    case 'help':
      return { kind: 'help' };
    case 'back':
      return rest.length ? { kind: 'invalid', message: '`/standup back` takes nothing after it.' } : { kind: 'back' };
    case 'skip': {
      const ws = wsArg(rest[0]);
      const checkin = rest[1];
      if (ws === null || rest.length > 2 || (checkin !== undefined && !CHECKIN_ID.test(checkin)))
        return { kind: 'invalid', message: `Write \`/standup skip\`, \`/standup skip <workstream>\` or \`/standup skip <workstream> <check-in>\` (workstreams: ${known}).` };
      return ws ? { kind: 'skip', workstream: ws, ...(checkin ? { checkin } : {}) } : { kind: 'skip' };
    }
    case 'ooo': {
      // `delegate:@ben` anywhere after the dates (Slack may send `delegate: <@U…|ben>` as two words)
      const joined = rest.join(' ').replace(/delegate:\s+/i, 'delegate:');
      const words = joined.split(/\s+/).filter(Boolean);
      const delegateWord = words.find((w) => /^delegate:/i.test(w));
      let delegate: string | undefined;
      if (delegateWord !== undefined) {
        const m = DELEGATE.exec(delegateWord);
        if (!m) return { kind: 'invalid', message: 'Write `delegate:@name`, picking the person from the list Slack offers as you type `@` (for example `/standup ooo 2026-12-24 delegate:@ben`).' };
        delegate = (m[1] ?? m[2])!.toUpperCase();
        rest.splice(0, rest.length, ...words.filter((w) => w !== delegateWord));
      }
      const dates = rest.map(date);
      if (rest.length < 1 || rest.length > 2 || dates.some((d) => d === null)) {
        return { kind: 'invalid', message: 'Write `/standup ooo <until>` or `/standup ooo <from> <until>`, with dates like `2026-12-24`.' };
      }
      const [from, until] = dates.length === 2 ? [dates[0]!, dates[1]!] : [today, dates[0]!];
      if (until < today)
        return { kind: 'invalid', message: `${until} is in the past. Write the last day you are away, like \`/standup ooo ${DateTime.fromISO(today).plus({ days: 3 }).toISODate()}\`.` };
      if (from > until) return { kind: 'invalid', message: `The span starts (${from}) after it ends (${until}).` };
      return delegate ? { kind: 'ooo', from, until, delegate } : { kind: 'ooo', from, until };
    }
    case 'start': {
      const [ws, checkin] = rest;
      if (!ws || rest.length > 2) return { kind: 'invalid', message: `Write \`/standup start <workstream> [check-in]\` (workstreams: ${known}).` };
      if (!workstreamIds.includes(ws)) return { kind: 'invalid', message: `There is no workstream \`${ws}\`. Workstreams: ${known}.` };
      if (checkin !== undefined && !CHECKIN_ID.test(checkin)) return { kind: 'invalid', message: `\`${checkin}\` is not a check-in id (lowercase letters, digits, - and _).` };
      return { kind: 'start', workstream: ws, ...(checkin ? { checkin } : {}) };
    }
    default: {
      if (first && workstreamIds.includes(first) && rest.length === 0) return { kind: 'form', workstream: first };
      if (first && workstreamIds.includes(first) && rest.length === 1 && CHECKIN_ID.test(rest[0]!)) return { kind: 'form', workstream: first, checkin: rest[0]! };
      return { kind: 'invalid', message: `I don't know \`/standup ${first}\`.` };
    }
  }
}
