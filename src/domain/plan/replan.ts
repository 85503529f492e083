import { closest, distance } from 'fastest-levenshtein';
import { DateTime } from 'luxon';
import ms, { type StringValue } from 'ms';

/*
 * The pieces of a replan command (issue 20, "Replan from Slack"): mentions, due times, "did you mean", the id of a
 * task added from Slack. Pure.
 */

/** A due time as written: a time of day (`16:00`), with a date when given (`2026-12-06 16:00`). */
export interface DueSpec {
  /** `YYYY-MM-DD`, or null for "today (in the zone), if still ahead". */
  date: string | null;
  /** `HH:mm`, 24-hour. */
  time: string;
}

/**
 * A user named in command text: Slack sends a mention as `<@U123|name>` (or `<@U123>`) when the command escapes
 * (manifest `should_escape: true`; Slack's docs, "Slash commands": "escaping"); a bare user id (`U123`, `W123`) is
 * taken as it is.
 * @returns the user id, or null when the word is not a mention (e.g. a plain `@ana`, which carries no id).
 */
export function parseMention(word: string): string | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim()) ?? /^([UW][A-Z0-9]{2,})$/.exec(word.trim());
  return m ? m[1]! : null;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4}-\d{2}-\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$/;

/**
 * Reads a due time at the start of `words`: `16:00`, `2026-12-06 16:00` (two words) or `2026-12-06T16:00`.
 * @returns the spec and how many words it took, or null when the words do not start with a due time.
 */
export function parseDueWords(words: readonly string[]): { due: DueSpec; used: number } | null {
  const [a, b] = words;
  if (!a) return null;
  const time = (t: string) => {
    const m = TIME.exec(t);
    return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
  };
  const dt = DATE_TIME.exec(a);
  if (dt) {
    const t = time(dt[2]!);
    return t ? { due: { date: dt[1]!, time: t }, used: 1 } : null;
  }
  if (DATE.test(a) && b) {
    const t = time(b);
    return t ? { due: { date: a, time: t }, used: 2 } : null;
  }
  const t = time(a);
  return t ? { due: { date: null, time: t }, used: 1 } : null;
}

/**
 * The local date-time a due spec means in `zone`, as preflight.yml writes it (`2026-12-06T16:00`): a time alone is
 * today in that zone. A due time that is not ahead of `nowMs` is refused (issue 20: "a due time in the past").
 * @param zone the workstream's IANA zone (a gate's: the program's).
 * @param nowMs the clock's now, Unix ms.
 * @returns `{ ok, local, at }` (at: Unix ms), or a message saying what to change.
 */
export function resolveDue(due: DueSpec, zone: string, nowMs: number): { ok: true; local: string; at: number } | { ok: false; message: string } {
  const now = DateTime.fromMillis(nowMs, { zone });
  const date = due.date ?? now.toFormat('yyyy-MM-dd');
  const at = DateTime.fromISO(`${date}T${due.time}`, { zone });
  if (!at.isValid) return { ok: false, message: `\`${date} ${due.time}\` is not a real date and time: write it as \`2026-12-06 16:00\` or \`16:00\` (today).` };
  if (at.toMillis() <= nowMs) {
    const shown = due.date ? `${date} ${due.time}` : due.time;
    return { ok: false, message: `${shown} (${zone}) is in the past: it is ${now.toFormat('HH:mm')} there now. Give a later time${due.date ? '' : ', or a date: `2026-12-06 16:00`'}.` };
  }
  return { ok: true, local: at.toFormat("yyyy-MM-dd'T'HH:mm"), at: at.toMillis() };
}

/**
 * The known id closest to `word` (Levenshtein, case-insensitive) when near enough to be a typo: distance at most
 * 2, or a third of the word's length (the rule config/load.ts uses for unknown keys).
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const upper = known.map((k) => k.toUpperCase());
  const best = closest(word.toUpperCase(), upper);
  const near = distance(word.toUpperCase(), best) <= Math.max(2, Math.floor(word.length / 3));
  return near ? known[upper.indexOf(best)] : undefined;
}

/**
 * The id of a task added from Slack: the workstream's existing prefix (`O-` of O-1…O-6) and the next number after
 * its highest (O-7); a workstream without numbered tasks takes the first letter of its id (`omega` → `O-1`). The
 * id skips any id already used in the program (task or gate, any case).
 * @param workstreamId the workstream's id; @param workstreamTaskIds its task ids; @param usedIds every task and gate id.
 */
export function nextTaskId(workstreamId: string, workstreamTaskIds: readonly string[], usedIds: readonly string[]): string {
  const numbered = workstreamTaskIds.map((id) => /^(.*?)(\d+)$/.exec(id)).filter((m): m is RegExpExecArray => m !== null);
  const prefix =
    numbered.at(-1)?.[1] ??
    `${
      workstreamId
        .replace(/[^A-Za-z]/g, '')
        .charAt(0)
        .toUpperCase() || 'T'
    }-`;
  const highest = Math.max(0, ...numbered.filter((m) => m[1] === prefix).map((m) => Number(m[2])));
  const used = new Set(usedIds.map((id) => id.toUpperCase()));
  let n = highest + 1;
  while (used.has(`${prefix}${n}`.toUpperCase())) n++;
  return `${prefix}${n}`;
}

/**
 * An estimate as written after `est:`, in hours: a duration `ms` reads (`2h`, `90m`, `1.5h`), or hours alone (`2`).
 * @returns the hours (above 0), or null when it cannot be read.
 */
export function parseEstimateHours(text: string): number | null {
  const t = text.trim();
  const millis = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 3_600_000 : ms(t as StringValue);
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis <= 0) return null;
  return Math.round((millis / 3_600_000) * 100) / 100;
}
