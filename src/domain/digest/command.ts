import { type OncallCommand, ONCALL_USAGE, parseOncallCommand } from '../oncall/command.js';

/** A parsed `/preflight` command. */
export type PreflightCommand =
  | { kind: 'help' }
  | { kind: 'stats'; workstream: string | null; days: number }
  /** `/preflight plan`: the plan version this replica runs, when and by whom it was applied. */
  | { kind: 'plan' }
  /** `/preflight reload`: reload preflight.yml now (the PM only). */
  | { kind: 'reload' }
  /** `/preflight warroom close` (issue 23): the PM archives the war room. */
  | { kind: 'warroom-close' }
  /** `/preflight retro`: draft the retrospective, or bring its canvas up to date (the PM only, issue 23). */
  | { kind: 'retro' }
  /** `/preflight oncall [refresh] [id]` (domain/oncall/command.ts, issue 22). */
  | Exclude<OncallCommand, { kind: 'invalid' }>
  | { kind: 'invalid'; message: string };

/** Most days `/preflight stats` looks back. */
export const MAX_STATS_DAYS = 90;

export const PREFLIGHT_USAGE = [
  '*`/preflight stats`* the daily digest’s numbers for the last day, only to you',
  '*`/preflight stats ws1`* one workstream’s',
  `*\`/preflight stats ws1 7\`* · *\`/preflight stats 7\`* over the last 7 days (1–${MAX_STATS_DAYS})`,
  '*`/preflight plan`* the plan version Preflight runs, when and by whom it was applied',
  '*`/preflight reload`* reload preflight.yml now (the PM only)',
  '*`/preflight warroom close`* archive the war room with a summary line (the PM only)',
  '*`/preflight retro`* draft the launch’s retrospective from the record as a canvas in the program channel, or bring it up to date (the PM only)',
  ...ONCALL_USAGE,
  '*`/preflight help`* this list',
].join('\n');

/**
 * Parses the text after `/preflight`: `stats [workstream] [days]` (either order), `plan`, `reload`, `retro`, `oncall …`, `help`. Empty
 * text is `help`.
 * @param workstreamIds the configured workstream ids.
 * @param rotationIds the configured on-call rotation ids (`oncall …`).
 * @returns `invalid` with a message naming the problem (an unknown workstream lists the known ones).
 */
export function parsePreflightCommand(text: string, workstreamIds: readonly string[], rotationIds: readonly string[] = []): PreflightCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = words[0]?.toLowerCase();
  if (!sub || sub === 'help') return { kind: 'help' };
  if ((sub === 'plan' || sub === 'reload' || sub === 'retro') && words.length === 1) return { kind: sub };
  if (sub === 'plan' || sub === 'reload' || sub === 'retro') return { kind: 'invalid', message: `\`/preflight ${sub}\` takes nothing after it.` };
  if (sub === 'warroom') {
    if (words.length === 2 && words[1]!.toLowerCase() === 'close') return { kind: 'warroom-close' };
    return { kind: 'invalid', message: 'Did you mean `/preflight warroom close`?' };
  }
  if (sub === 'oncall') return parseOncallCommand(words.slice(1), rotationIds);
  if (sub !== 'stats') return { kind: 'invalid', message: `I don't know \`/preflight ${words[0]}\`.` };
  let workstream: string | null = null;
  let days: number | null = null;
  for (const w of words.slice(1)) {
    if (/^\d+d?$/i.test(w)) {
      const n = Number.parseInt(w, 10);
      if (days !== null) return { kind: 'invalid', message: 'Give the number of days once, e.g. `/preflight stats 7`.' };
      if (n < 1 || n > MAX_STATS_DAYS) return { kind: 'invalid', message: `Days must be from 1 to ${MAX_STATS_DAYS}, e.g. \`/preflight stats 7\`.` };
      days = n;
    } else if (workstreamIds.includes(w)) {
      if (workstream !== null) return { kind: 'invalid', message: 'Name one workstream, e.g. `/preflight stats ws1 7`.' };
      workstream = w;
    } else {
      return { kind: 'invalid', message: `There is no workstream \`${w}\`. Workstreams: ${workstreamIds.join(', ')}.` };
    }
  }
  return { kind: 'stats', workstream, days: days ?? 1 };
}
