import { z } from 'zod';
import { dayEntryProblem, parseDays, WEEKDAYS } from '../../domain/checkins/days.js';
import { checkinWindows, type WindowSpec, wallClockMs, windowOverlaps } from '../../domain/checkins/windows.js';
import type { ProgramDeclaration } from '../../domain/program/declaration.js';
import { DEFAULT_QUESTIONS, QUESTION_KINDS, type Question } from '../../domain/program/questions.js';
import { durationSchema, formatDuration } from '../duration.js';
import { duplicateIds, localTimeSchema, slugSchema } from './fields.js';

/*
 * Check-ins: their questions, days and participants, the program-wide `checkins:` defaults and `standup:` (the
 * `standup` check-in's defaults), and the rules across them (unique ids, reminder before close, windows that
 * never keep anyone in two open check-ins).
 */

export const questionSchema = z.strictObject({
  id: slugSchema,
  prompt: z.string().trim().min(1).max(300, 'keep a question under 300 characters'),
  /** text: free text; blockers: free text where "none" counts as empty; percent: 0–100; risk: green/yellow/red. */
  kind: z.enum(QUESTION_KINDS).default('text'),
  required: z.boolean().default(true),
}) satisfies z.ZodType<Question>;

export const standupOverridesSchema = z.strictObject({
  at: localTimeSchema.optional(),
  remind_after: durationSchema.optional(),
  close_after: durationSchema.optional(),
  questions: z.array(questionSchema).min(1).max(10, 'at most 10 questions').optional(),
  enabled: z.boolean().optional(),
});

export const questionsSchema = z.array(questionSchema).min(1).max(10, 'at most 10 questions');

/** `days:` of a check-in: weekday names, ISO dates and inclusive `from..until` ranges (domain/checkins/days.ts). */
export const dayEntrySchema = z.string({ error: `expected a weekday (${WEEKDAYS.join(', ')}), a date such as 2026-02-04 or a range such as 2026-02-04..2026-02-06` }).superRefine((v, ctx) => {
  const problem = dayEntryProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * Who a check-in prompts: `members`, `leads` (of its workstream), `all_leads` / `all_members` (program check-ins:
 * every scheduled workstream's), a group of `program.groups`, or user IDs. Checked against the groups in the
 * workspace-level refinement, so a typo names its key path.
 */
export const PARTICIPANT_KEYWORDS = ['members', 'leads'] as const;
export const PROGRAM_PARTICIPANT_KEYWORDS = ['all_leads', 'all_members'] as const;
const participantsSchema = z
  .union([z.string(), z.array(z.string()).min(1, 'list at least one participant')], { error: 'expected members, leads, a group name, a user ID, or a list of them' })
  .transform((v) => (typeof v === 'string' ? [v] : v));

/** One check-in of a workstream (or of the program): a DM prompt at `at`, one reminder, a report. */
export const checkinSchema = z.strictObject({
  id: slugSchema,
  /** Shown in DMs and reports; default: the id in words. */
  name: z.string().trim().min(1).max(80).optional(),
  at: localTimeSchema,
  days: z.array(dayEntrySchema).min(1).optional(),
  questions: questionsSchema.optional(),
  participants: participantsSchema.optional(),
  remind_after: durationSchema.optional(),
  close_after: durationSchema.optional(),
  /** Task ids (workstreams.<id>.tasks) that should be done by this check-in: its report leads with those not done. */
  expects: z.array(z.string()).optional(),
});
export type CheckinConfig = z.infer<typeof checkinSchema>;

/** Defaults for every check-in that does not set them (the `standup` check-in uses `standup:` instead). */
export const checkinDefaultsSchema = z
  .strictObject({
    remind_after: durationSchema.optional(),
    close_after: durationSchema.optional(),
    questions: questionsSchema.optional(),
    days: z.array(dayEntrySchema).min(1).optional(),
  })
  .default({});

/** `standup:`: the program's defaults of every workstream's `standup` check-in. */
export const standupDefaultsSchema = z
  .strictObject({
    at: localTimeSchema.default('10:00'),
    remind_after: durationSchema.default(30 * 60_000),
    close_after: durationSchema.default(2 * 3_600_000),
    questions: z.array(questionSchema).min(1).max(10, 'at most 10 questions').default(DEFAULT_QUESTIONS),
  })
  .default({ at: '10:00', remind_after: 30 * 60_000, close_after: 2 * 3_600_000, questions: DEFAULT_QUESTIONS });

const DAY = 24 * 3_600_000;

/** The people a check-in's `participants` name (domain/checkins/plans.ts `participantsOf`, on the raw config). */
function participantIds(cfg: ProgramDeclaration, wsId: string | null, tokens: readonly string[]): string[] {
  const idOf = (m: ProgramDeclaration['workstreams'][string]['members'][number]) => (typeof m === 'string' ? m : m.id);
  const ws = wsId ? cfg.workstreams[wsId] : undefined;
  const out: string[] = [];
  for (const token of tokens) {
    if (ws && token === 'members') out.push(...ws.members.map(idOf));
    else if (ws && token === 'leads') out.push(...ws.leads);
    else if (!ws && token === 'all_members') for (const w of Object.values(cfg.workstreams)) out.push(...w.members.map(idOf));
    else if (!ws && token === 'all_leads') for (const w of Object.values(cfg.workstreams)) out.push(...w.leads);
    else if (cfg.program.groups[token]) out.push(...cfg.program.groups[token]);
    else out.push(token);
  }
  return [...new Set(out)];
}

/** "U01", "U01 and U02", "U01, U02 and U03", "U01, U02, U03 and 2 more". */
function namePeople(people: readonly string[]): string {
  if (people.length <= 1) return people.join('');
  if (people.length <= 3) return `${people.slice(0, -1).join(', ')} and ${people.at(-1)}`;
  return `${people.slice(0, 3).join(', ')} and ${people.length - 3} more`;
}

/** One check-in of a workstream (or of the program) as the window checks see it. */
interface WindowEntry {
  spec: WindowSpec;
  /** `check-in "midday"`, or `the workstream’s standup`. */
  label: string;
  /** Key path of its `at` (the standup's `standup` key when it gives no `at`). */
  atPath: (string | number)[];
  /** Its reminder, ms, and the key path to name when the reminder comes too late for a window cut short. */
  remindMs: number;
  remindPath: (string | number)[];
}

/**
 * The windows of one workstream's check-ins (or the program's), by domain/checkins/windows.ts (the scheduler's own
 * rule): a window cut short by the next check-in for the same people must still leave room for the reminder, and
 * two windows may overlap only when nobody takes part in both.
 */
function checkWindows(entries: readonly WindowEntry[], ctx: z.RefinementCtx): void {
  const specs = entries.map((e) => e.spec);
  const windows = checkinWindows(specs);
  const until = (e: WindowEntry, ms: number) => {
    const end = wallClockMs(e.spec.at) + ms;
    return `${String(Math.floor(end / 3_600_000) % 24).padStart(2, '0')}:${String(Math.floor(end / 60_000) % 60).padStart(2, '0')}`;
  };
  entries.forEach((e, i) => {
    const w = windows[i]!;
    if (w.closedBy === null || e.remindMs < w.closeAfterMs) return;
    const next = entries[w.closedBy]!;
    ctx.addIssue({
      code: 'custom',
      path: e.remindPath,
      message: `remind_after (${formatDuration(e.remindMs)}) must be shorter than the window of ${e.label}: without its own close_after it closes after ${formatDuration(w.closeAfterMs)}, when ${next.label} (${next.spec.at}) opens for the same people; set close_after, or a shorter remind_after`,
    });
  });
  for (const o of windowOverlaps(specs, windows)) {
    const [a, b] = [entries[o.first]!, entries[o.second]!];
    const people = namePeople(o.people);
    ctx.addIssue({
      code: 'custom',
      path: b.atPath,
      message: `${people} would have two check-ins open at once: the window of ${b.label} (${b.spec.at} for ${formatDuration(windows[o.second]!.closeAfterMs)}) overlaps ${a.label} (${a.spec.at} until ${until(a, windows[o.first]!.closeAfterMs)}) on a day both run, and ${o.people.length === 1 ? `${people} takes` : 'they take'} part in both: move one, shorten close_after, or give them different days or participants`,
    });
  }
}

/**
 * Check-in rules the field schemas cannot see alone, each reported at its key path:
 * participants name a keyword, a group of `program.groups` or a user ID; check-in ids are unique per workstream
 * (and `standup` is taken while the workstream has a `standup:` key or no `checkins:`); `remind_after` <
 * `close_after` < 24h; the windows of one workstream's check-ins (or the program's) by {@link checkWindows}: a
 * check-in without `close_after` closes when the next one for the same people opens (at most after the default),
 * and two that can fall on the same day may not keep anyone in two open windows (`at` … `at` + window, wall clock).
 */
export function checkCheckins(cfg: ProgramDeclaration, ctx: z.RefinementCtx): void {
  const reserved = [...PARTICIPANT_KEYWORDS, ...PROGRAM_PARTICIPANT_KEYWORDS] as readonly string[];
  for (const name of Object.keys(cfg.program.groups)) {
    if (reserved.includes(name)) ctx.addIssue({ code: 'custom', path: ['program', 'groups', name], message: `"${name}" is a reserved participant keyword; name the group differently` });
  }
  const defaults = cfg.checkins;
  const check = (list: ProgramDeclaration['program']['checkins'], base: (string | number)[], wsId: string | null, standupTaken: boolean): WindowEntry[] => {
    const program = wsId === null;
    const allowed: readonly string[] = program ? PROGRAM_PARTICIPANT_KEYWORDS : PARTICIPANT_KEYWORDS;
    const seen = new Set<string>(standupTaken ? ['standup'] : []);
    return list.map((c, i) => {
      const at = [...base, i];
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'id'],
          message:
            c.id === 'standup' && standupTaken ? 'check-in id "standup" is taken by the workstream’s standup (remove `standup:` or rename this check-in)' : `check-in id "${c.id}" is used twice`,
        });
      seen.add(c.id);
      (c.participants ?? []).forEach((p, j) => {
        if (allowed.includes(p) || p in cfg.program.groups || /^[UW][A-Z0-9]{2,}$/.test(p)) return;
        const other = program ? PARTICIPANT_KEYWORDS : PROGRAM_PARTICIPANT_KEYWORDS;
        const message = (other as readonly string[]).includes(p)
          ? `"${p}" is for ${program ? 'workstream' : 'program'} check-ins; here use ${allowed.join(', ')}, a group of program.groups or user IDs`
          : /^[A-Za-z0-9_-]+$/.test(p) && /[a-z]/.test(p)
            ? `unknown group "${p}" (declare it under program.groups, or use ${allowed.join(', ')} or a user ID such as U012AB3CD)`
            : `"${p}" is not a user ID (expected a Slack user ID such as U012AB3CD, ${allowed.join(', ')} or a group of program.groups)`;
        ctx.addIssue({ code: 'custom', path: [...at, 'participants', ...(Array.isArray(c.participants) ? [j] : [])], message });
      });
      const remind = c.remind_after ?? defaults.remind_after ?? cfg.standup.remind_after;
      const close = c.close_after ?? defaults.close_after ?? cfg.standup.close_after;
      if (remind >= close)
        ctx.addIssue({
          code: 'custom',
          path:
            c.remind_after !== undefined
              ? [...at, 'remind_after']
              : c.close_after !== undefined
                ? [...at, 'close_after']
                : ['checkins', defaults.remind_after !== undefined ? 'remind_after' : 'close_after'],
          message: 'remind_after must be shorter than close_after (a reminder after the check-in closes would never be sent)',
        });
      if (close >= DAY)
        ctx.addIssue({
          code: 'custom',
          path: c.close_after !== undefined ? [...at, 'close_after'] : ['checkins', 'close_after'],
          message: 'must be under 24h, so one day’s check-in closes before the next one opens',
        });
      const questions = c.questions ?? defaults.questions ?? cfg.standup.questions;
      if (c.questions) duplicateIds(questions.map((q) => q.id)).forEach((k) => ctx.addIssue({ code: 'custom', path: [...at, 'questions', k, 'id'], message: 'question ids must be unique' }));
      return {
        spec: {
          at: c.at,
          closeAfterMs: c.close_after,
          defaultCloseAfterMs: defaults.close_after ?? cfg.standup.close_after,
          days: parseDays(c.days ?? defaults.days ?? cfg.calendar.workdays, []),
          participants: participantIds(cfg, wsId, c.participants ?? [program ? 'all_members' : 'members']),
        },
        label: `check-in "${c.id}"`,
        atPath: [...at, 'at'],
        remindMs: remind,
        remindPath: [...at, c.remind_after !== undefined ? 'remind_after' : 'at'],
      };
    });
  };
  checkWindows(check(cfg.program.checkins, ['program', 'checkins'], null, false), ctx);
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    if (!ws.checkins) continue;
    const standupTaken = ws.standup !== undefined && ws.standup.enabled !== false;
    const declared = check(ws.checkins, ['workstreams', wsId, 'checkins'], wsId, standupTaken);
    // the standup check-in (first, as the scheduler lists it) against the declared ones
    const standup: WindowEntry[] = standupTaken
      ? [
          {
            spec: {
              at: ws.standup!.at ?? cfg.standup.at,
              closeAfterMs: ws.standup!.close_after,
              defaultCloseAfterMs: cfg.standup.close_after,
              days: parseDays(cfg.calendar.workdays, []),
              participants: participantIds(cfg, wsId, ['members']),
            },
            label: 'the workstream’s standup',
            atPath: ['workstreams', wsId, 'standup', ...(ws.standup!.at !== undefined ? ['at'] : [])],
            remindMs: ws.standup!.remind_after ?? cfg.standup.remind_after,
            remindPath: ['workstreams', wsId, 'standup', ...(ws.standup!.remind_after !== undefined ? ['remind_after'] : ws.standup!.at !== undefined ? ['at'] : [])],
          },
        ]
      : [];
    checkWindows([...standup, ...declared], ctx);
  }
}
/**
 * `standup:` rules, of the program's defaults and of each workstream's overrides, each reported at its key path:
 * `remind_after` < `close_after` < 24h, and question ids unique.
 */
export function checkStandups(cfg: ProgramDeclaration, ctx: z.RefinementCtx): void {
  if (cfg.standup.remind_after >= cfg.standup.close_after) {
    ctx.addIssue({ code: 'custom', path: ['standup', 'remind_after'], message: 'remind_after must be shorter than close_after (a reminder after the run closes would never be sent)' });
  }
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    const remind = ws.standup?.remind_after ?? cfg.standup.remind_after;
    const close = ws.standup?.close_after ?? cfg.standup.close_after;
    // the program defaults alone are checked above, once
    if (ws.standup && (ws.standup.remind_after !== undefined || ws.standup.close_after !== undefined) && remind >= close) {
      ctx.addIssue({
        code: 'custom',
        path: ['workstreams', wsId, 'standup', ws.standup.remind_after !== undefined ? 'remind_after' : 'close_after'],
        message: 'remind_after must be shorter than close_after (a reminder after the run closes would never be sent)',
      });
    }
    const questions = ws.standup?.questions ?? cfg.standup.questions;
    duplicateIds(questions.map((q) => q.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: [...(ws.standup?.questions ? ['workstreams', wsId, 'standup'] : ['standup']), 'questions', i, 'id'], message: 'question ids must be unique' }),
    );
  }
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    if (!ws.standup) continue;
    const close = ws.standup.close_after ?? cfg.standup.close_after;
    if (close >= DAY) {
      ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'standup', 'close_after'], message: 'must be under 24h, so one day’s run closes before the next one opens' });
    }
  }
  if (cfg.standup.close_after >= DAY) ctx.addIssue({ code: 'custom', path: ['standup', 'close_after'], message: 'must be under 24h, so one day’s run closes before the next one opens' });
}
