import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { dayEntryProblem, parseDays, WEEKDAYS } from '../domain/checkins/days.js';
import { checkinWindows, type WindowSpec, wallClockMs, windowOverlaps } from '../domain/checkins/windows.js';
import type { SignOffRule } from '../domain/gonogo/signoff.js';
import type { ProgramDeclaration } from '../domain/program/declaration.js';
import { DEFAULT_QUESTIONS, QUESTION_KINDS, type Question } from '../domain/program/questions.js';
import { DEFAULT_LADDERS, DEFAULT_TASK_PRIORITY, SEVERITIES } from '../domain/program/severities.js';
import { activeSpanProblem } from '../domain/workstreams/activity.js';
import { durationSchema, formatDuration } from './duration.js';

/*
 * The shape of `preflight.yml`: one program (launch) per file. Keys are snake_case as users write them;
 * the parsed result keeps them, with durations turned into milliseconds and defaults filled in.
 */

const USER_REF_HINT = 'expected a Slack user ID such as U012AB3CD or an email address such as ana@example.com';
/** A Slack user ID as Slack writes them: `U…` (or `W…` on Enterprise Grid). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/**
 * A person, wherever `preflight.yml` asks for one: a Slack user ID (`U012AB3CD`) or the email address of their
 * Slack account (`ana@example.com`). Emails are resolved to user IDs at start-up (users.lookupByEmail, cached in
 * Postgres: src/services/people/resolve-emails.ts), found by walking the config along this very schema object
 * (src/config/user-refs.ts). So a new key that takes a person must use `userIdSchema` itself (wrapped in
 * `.optional()`, `.default()`, arrays, records or unions as needed), not a copy or a refinement of it.
 */
export const userIdSchema = z.union([z.string().regex(SLACK_USER_ID), z.email({ pattern: z.regexes.html5Email })], {
  error: (iss) => (iss.input === undefined ? 'required: a Slack user ID such as U012AB3CD or an email address' : USER_REF_HINT),
});
/** The same schema under the name that says what it holds. */
export const userRefSchema = userIdSchema;
export const channelIdSchema = z.string({ error: 'expected a Slack channel ID such as C012AB3CD' }).regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel ID such as C012AB3CD (not a #name)');
export const zoneSchema = z
  .string({ error: 'expected an IANA time zone such as America/New_York' })
  .refine((z) => IANAZone.isValidZone(z), 'unknown IANA time zone (use a name such as America/New_York)');
const localTimeSchema = z.string({ error: 'expected a 24-hour local time such as "10:00" (quote it in YAML)' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour local time such as "10:00"');
export const isoDateSchema = z
  .string({ error: 'expected a date such as 2026-02-05' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-02-05')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real calendar date');
const localDateTimeSchema = z
  .string({ error: 'expected a local date and time such as 2026-02-04T14:00' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected a local date and time such as 2026-02-04T14:00')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date and time');
/** A local date (`2026-02-04`) or local date-time (`2026-02-04T14:00`), in the zone of whoever declares it. */
const localDateOrDateTimeSchema = z
  .string({ error: 'expected a date such as 2026-02-04 or a local date and time such as 2026-02-04T14:00' })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'expected a date such as 2026-02-04 or a local date and time such as 2026-02-04T14:00')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date (or date and time)');
const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'expected a short id of lowercase letters, digits, - and _ (max 40)');

/** The domain's vocabulary (src/domain/program), re-exported for config readers. */
export { DEFAULT_LADDERS, DEFAULT_QUESTIONS, DEFAULT_TASK_PRIORITY, type Question, QUESTION_KINDS, SEVERITIES, type SignOffRule, WEEKDAYS };
export type { Weekday } from '../domain/checkins/days.js';

export const questionSchema = z.strictObject({
  id: slugSchema,
  prompt: z.string().trim().min(1).max(300, 'keep a question under 300 characters'),
  /** text: free text; blockers: free text where "none" counts as empty; percent: 0–100; risk: green/yellow/red. */
  kind: z.enum(QUESTION_KINDS).default('text'),
  required: z.boolean().default(true),
}) satisfies z.ZodType<Question>;

const standupOverridesSchema = z.strictObject({
  at: localTimeSchema.optional(),
  remind_after: durationSchema.optional(),
  close_after: durationSchema.optional(),
  questions: z.array(questionSchema).min(1).max(10, 'at most 10 questions').optional(),
  enabled: z.boolean().optional(),
});

const questionsSchema = z.array(questionSchema).min(1).max(10, 'at most 10 questions');

/** `days:` of a check-in: weekday names, ISO dates and inclusive `from..until` ranges (domain/checkins/days.ts). */
const dayEntrySchema = z.string({ error: `expected a weekday (${WEEKDAYS.join(', ')}), a date such as 2026-02-04 or a range such as 2026-02-04..2026-02-06` }).superRefine((v, ctx) => {
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
const checkinSchema = z.strictObject({
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

const memberSchema = z.union([userIdSchema, z.strictObject({ id: userIdSchema, timezone: zoneSchema.optional() })]);

const notifySchema = z.union([z.enum(['lead', 'pm', 'exec']), userIdSchema, z.array(userIdSchema).min(1)]);
const ladderLevelSchema = z.strictObject({ after: durationSchema, notify: notifySchema });

/** A task id as people write it in seeds and commands ("O-3"): letters, digits, - and _; unique in the program. */
export const taskIdSchema = z
  .string({ error: 'expected a task id such as O-3' })
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'expected a task id such as O-3 (a letter, then letters, digits, - and _; max 40)');

/**
 * One task of a workstream (seed 000's "O-3: Email (Person C) - Due: 1 PM"; seed 002's queue "NOW: Rate Limiting
 * (2h) - P0"). `due` is a local date-time in the workstream's zone (else the program's); `estimate` in hours
 * weighs it in the workstream's % complete (domain/tasks/progress.ts); `requires` names tasks or gates that must
 * be done (passed) first. `priority` orders `/task` and, when written, picks the ladder of the task's due-time
 * escalation (services/tasks/escalate.ts `taskEscalation`): parsed as `priority` (P1 when left out) and
 * `priority_given` (whether it was written).
 */
const taskSchema = z
  .strictObject({
    id: taskIdSchema,
    title: z.string().trim().min(1).max(200),
    owner: userIdSchema,
    due: localDateTimeSchema.optional(),
    estimate: z.number().positive('an estimate is a number of hours above 0').max(1_000).default(1),
    priority: z
      .enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` })
      .optional()
      .meta({
        default: DEFAULT_TASK_PRIORITY,
        description: "Orders /task (P0 first). When written, a task not done by its due time escalates on escalation.ladders' ladder of this severity (unless tasks.escalation is set)",
      }),
    requires: z.array(z.string()).default([]),
  })
  .transform(({ priority, ...task }) => ({ ...task, priority: priority ?? DEFAULT_TASK_PRIORITY, priority_given: priority !== undefined }));
export type TaskConfig = z.infer<typeof taskSchema>;

const workstreamSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  channel: channelIdSchema,
  blockers_channel: channelIdSchema.optional(),
  timezone: zoneSchema.optional(),
  leads: z.array(userIdSchema).default([]),
  members: z.array(memberSchema).default([]),
  /** Absent: the workstream holds the `standup` check-in only (program defaults). */
  standup: standupOverridesSchema.optional(),
  checkins: z.array(checkinSchema).optional(),
  checklist: z.array(z.string().trim().min(1).max(200)).default([]),
  tasks: z.array(taskSchema).default([]),
  /**
   * When the workstream holds check-ins: from `from` (a date: its start; a date-time: that instant) until `until`
   * (a date: inclusive, to its end; a date-time: exclusive), local to the workstream's zone (domain/workstreams/activity.ts).
   */
  active: z.strictObject({ from: localDateOrDateTimeSchema.optional(), until: localDateOrDateTimeSchema.optional() }).optional(),
  /** The workstream waits, without check-ins, until this gate has passed (seed 000: "Team Sigma: WAITING FOR OMEGA GATE"). */
  starts_when: z.strictObject({ gate: slugSchema }).optional(),
});

/** Who a gate's failure escalates to, like a ladder level's `notify`: `lead` (of its downstream workstreams), `pm`, `exec` or user IDs. */
const escalateToSchema = z.array(z.union([z.enum(['lead', 'pm', 'exec']), userIdSchema]));

/**
 * `sign_off`: `[U…]` or `{ any_of: [U…] }` (any one signs for the gate), or `{ all_of: [U…] }` (the gate passes with
 * the last of their signatures). Parsed into `sign_off` (every authority) and `sign_off_rule`.
 */
const signOffSchema = z.union(
  [
    z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority'),
    z.strictObject({ any_of: z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority') }),
    z.strictObject({ all_of: z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority') }),
  ],
  { error: 'expected a list of Slack user IDs, { any_of: [U…] } or { all_of: [U…] }' },
);

const gateSchema = z
  .strictObject({
    id: slugSchema,
    name: z.string().trim().min(1).max(120),
    due: localDateTimeSchema.optional(),
    sign_off: signOffSchema,
    requires: z.array(slugSchema).default([]),
    unblocks: z.array(slugSchema).default([]),
    checklist: z.array(z.string().trim().min(1).max(200)).default([]),
    mandatory: z.boolean().default(true),
    /** What a failure does (seed 000: "If fails: delay Sigma/Pi by 1+ day, escalate to exec"). */
    on_fail: z.strictObject({ escalate_to: escalateToSchema.default(['exec']), notify_downstream: z.boolean().default(true) }).default({ escalate_to: ['exec'], notify_downstream: true }),
  })
  .transform(({ sign_off, ...g }) => {
    const rule: SignOffRule = Array.isArray(sign_off) || 'any_of' in sign_off ? 'any_of' : 'all_of';
    const list = Array.isArray(sign_off) ? sign_off : 'any_of' in sign_off ? sign_off.any_of : sign_off.all_of;
    return { ...g, sign_off: list, sign_off_rule: rule };
  });

const workspaceSchemaBase = z.strictObject({
  program: z.strictObject({
    name: z.string().trim().min(1).max(120),
    timezone: zoneSchema,
    go_live: localDateTimeSchema.optional(),
    pm: userIdSchema,
    execs: z.array(userIdSchema).default([]),
    channel: channelIdSchema,
    /** Named lists of people a check-in's `participants` may name (e.g. `critical_path: [U…]`). */
    groups: z.record(slugSchema, z.array(userIdSchema).min(1, 'a group needs at least one user ID')).default({}),
    /** Program check-ins: one run and ONE report in `program.channel`, a section per workstream. */
    checkins: z.array(checkinSchema).default([]),
    /**
     * The daily digest in `program.channel` at `at` (program-local) on each workday of the calendar that is not
     * a holiday (services/digest). Absent: no digest (`/preflight stats` still answers).
     */
    digest: z.strictObject({ at: localTimeSchema }).optional(),
  }),
  /** Defaults for every check-in that does not set them (the `standup` check-in uses `standup:` instead). */
  checkins: z
    .strictObject({
      remind_after: durationSchema.optional(),
      close_after: durationSchema.optional(),
      questions: questionsSchema.optional(),
      days: z.array(dayEntrySchema).min(1).optional(),
    })
    .default({}),
  calendar: z
    .strictObject({
      workdays: z
        .array(z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` }))
        .min(1)
        .default(['mon', 'tue', 'wed', 'thu', 'fri']),
      holidays: z.array(isoDateSchema).default([]),
    })
    .default({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] }),
  standup: z
    .strictObject({
      at: localTimeSchema.default('10:00'),
      remind_after: durationSchema.default(30 * 60_000),
      close_after: durationSchema.default(2 * 3_600_000),
      questions: z.array(questionSchema).min(1).max(10, 'at most 10 questions').default(DEFAULT_QUESTIONS),
    })
    .default({ at: '10:00', remind_after: 30 * 60_000, close_after: 2 * 3_600_000, questions: DEFAULT_QUESTIONS }),
  scheduler: z
    .strictObject({
      /** How often the scheduler wakes up to open, remind and close runs (and sweep anything overdue). */
      tick: durationSchema.default(5_000).refine((v) => v <= 60_000, 'the scheduler must tick every minute or less (prompts are correct to the minute)'),
      /**
       * A message reserved by a process that died mid-call is retried after this long; the retry first looks
       * for it in Slack by its message metadata (services/delivery), so it is not posted twice.
       */
      reclaim_after: durationSchema.default(120_000).refine((v) => v >= 15_000, 'must be at least 15s: a Slack call may take up to 10 s, and reclaiming sooner would send it twice'),
    })
    .default({ tick: 5_000, reclaim_after: 120_000 }),
  workstreams: z.record(slugSchema, workstreamSchema).refine((w) => Object.keys(w).length > 0, 'declare at least one workstream'),
  escalation: z
    .strictObject({
      stop_when: z.enum(['resolved', 'acknowledged']).default('resolved'),
      default_severity: z.enum(SEVERITIES).default('P1'),
      ladders: z.partialRecord(z.enum(SEVERITIES), z.array(ladderLevelSchema).min(1)).default({}),
      repeat: z.strictObject({ every: durationSchema, max: z.number().int().min(1).max(100) }).optional(),
      /** Longest snooze offered by the Snooze menu. */
      snooze_max: durationSchema.default(4 * 3_600_000),
      /** Daily quiet window in each recipient's own zone: notices wait for its end (except the listed severities). */
      quiet_hours: z.strictObject({ from: localTimeSchema, to: localTimeSchema, except: z.array(z.enum(SEVERITIES)).default(['P0']) }).optional(),
      /** How often the sweeper re-enqueues overdue escalations (a lost job or a flushed Redis delays a ping by at most this). */
      sweep_every: durationSchema.default(30_000).refine((v) => v <= 60_000, 'the sweeper must run every minute or less'),
    })
    .default({ stop_when: 'resolved', default_severity: 'P1', ladders: {}, snooze_max: 4 * 3_600_000, sweep_every: 30_000 }),
  /** Program-wide task settings (the tasks themselves are under `workstreams.<id>.tasks`). */
  tasks: z
    .strictObject({
      /**
       * The ladder of every task not done by its due time, whatever its priority: levels `{ after, notify }` like
       * `escalation.ladders`, `after` counting from the escalation (the due time). The owner is told at the due time first.
       */
      escalation: z.array(ladderLevelSchema).min(1).optional(),
    })
    .default({}),
  gates: z.array(gateSchema).default([]),
  gonogo: z
    .strictObject({
      go_at_least: z.number().min(0).max(100).default(100),
      conditional_at_least: z.number().min(0).max(100).default(90),
      blocking_severities: z.array(z.enum(SEVERITIES)).default(['P0']),
      at: localDateTimeSchema.optional(),
    })
    .optional(),
});

export const workspaceSchema = workspaceSchemaBase.superRefine((cfg, ctx) => {
  checkCheckins(cfg, ctx);
  checkTasks(cfg, ctx);
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
    const seen = new Set<string>();
    ws.members.forEach((m, i) => {
      const id = typeof m === 'string' ? m : m.id;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'members', i], message: `${id} is listed twice` });
      seen.add(id);
    });
    const questions = ws.standup?.questions ?? cfg.standup.questions;
    duplicateIds(questions.map((q) => q.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: [...(ws.standup?.questions ? ['workstreams', wsId, 'standup'] : ['standup']), 'questions', i, 'id'], message: 'question ids must be unique' }),
    );
  }
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    if (!ws.standup) continue;
    const close = ws.standup.close_after ?? cfg.standup.close_after;
    if (close >= 24 * 3_600_000) {
      ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'standup', 'close_after'], message: 'must be under 24h, so one day’s run closes before the next one opens' });
    }
  }
  if (cfg.standup.close_after >= 24 * 3_600_000) ctx.addIssue({ code: 'custom', path: ['standup', 'close_after'], message: 'must be under 24h, so one day’s run closes before the next one opens' });
  const gateIds = new Set(cfg.gates.map((g) => g.id));
  // a requires-cycle would keep every gate in it pending forever
  const requires = new Map(cfg.gates.map((g) => [g.id, g.requires]));
  const onCycle = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(requires.get(start) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === start) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(requires.get(id) ?? []));
    }
    return false;
  };
  cfg.gates.forEach((g, i) => {
    if (g.requires.length && !g.requires.includes(g.id) && onCycle(g.id))
      ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires'], message: `gate "${g.id}" requires itself through other gates (a cycle): none of them could ever pass` });
  });
  duplicateIds(cfg.gates.map((g) => g.id)).forEach((i) => ctx.addIssue({ code: 'custom', path: ['gates', i, 'id'], message: 'gate ids must be unique' }));
  cfg.gates.forEach((g, i) => {
    g.requires.forEach((r, j) => {
      if (!gateIds.has(r)) ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires', j], message: `no gate with id "${r}"` });
      if (r === g.id) ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires', j], message: 'a gate cannot require itself' });
    });
    g.unblocks.forEach((w, j) => {
      if (!(w in cfg.workstreams)) ctx.addIssue({ code: 'custom', path: ['gates', i, 'unblocks', j], message: `no workstream with id "${w}"` });
    });
  });
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    const gate = ws.starts_when?.gate;
    if (gate !== undefined && !gateIds.has(gate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['workstreams', wsId, 'starts_when', 'gate'],
        message: `no gate with id "${gate}"${gateIds.size ? ` (gates: ${[...gateIds].join(', ')})` : ' (declare it under gates:)'}`,
      });
    }
    // zod runs this refinement even when a value inside failed its own check: only well-formed spans are compared
    const wellFormed = (v: unknown) => v === undefined || (typeof v === 'string' && DateTime.fromISO(v).isValid);
    if (ws.active && wellFormed(ws.active.from) && wellFormed(ws.active.until)) {
      const problem = activeSpanProblem({ zone: ws.timezone ?? cfg.program.timezone, from: ws.active.from, until: ws.active.until });
      if (problem) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'active', 'from'], message: problem });
    }
  }
  cfg.gates.forEach((g, i) => {
    if (!Array.isArray(g.sign_off)) return; // not parsed (its own error is reported)
    duplicateIds(g.sign_off).forEach((j) =>
      ctx.addIssue({ code: 'custom', path: ['gates', i, 'sign_off', ...(g.sign_off_rule === 'all_of' ? ['all_of'] : []), j], message: `${g.sign_off[j]} is listed twice` }),
    );
  });
  for (const [sev, levels] of Object.entries(cfg.escalation.ladders)) {
    levels?.forEach((l, i) => {
      if (i > 0 && l.after <= levels[i - 1]!.after) {
        ctx.addIssue({ code: 'custom', path: ['escalation', 'ladders', sev, i, 'after'], message: 'each level must come after the one before it (after counts from when the blocker was raised)' });
      }
    });
  }
  cfg.tasks.escalation?.forEach((l, i, levels) => {
    if (i > 0 && l.after <= levels[i - 1]!.after) {
      ctx.addIssue({ code: 'custom', path: ['tasks', 'escalation', i, 'after'], message: 'each level must come after the one before it (after counts from the task’s due time)' });
    }
  });
  if (cfg.gonogo && cfg.gonogo.conditional_at_least > cfg.gonogo.go_at_least) {
    ctx.addIssue({ code: 'custom', path: ['gonogo', 'conditional_at_least'], message: 'must not exceed go_at_least' });
  }
});

type RawConfig = z.output<typeof workspaceSchemaBase>;

const DAY = 24 * 3_600_000;

/** The people a check-in's `participants` name (domain/checkins/plans.ts `participantsOf`, on the raw config). */
function participantIds(cfg: RawConfig, wsId: string | null, tokens: readonly string[]): string[] {
  const idOf = (m: RawConfig['workstreams'][string]['members'][number]) => (typeof m === 'string' ? m : m.id);
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
function checkCheckins(cfg: RawConfig, ctx: z.RefinementCtx): void {
  const reserved = [...PARTICIPANT_KEYWORDS, ...PROGRAM_PARTICIPANT_KEYWORDS] as readonly string[];
  for (const name of Object.keys(cfg.program.groups)) {
    if (reserved.includes(name)) ctx.addIssue({ code: 'custom', path: ['program', 'groups', name], message: `"${name}" is a reserved participant keyword; name the group differently` });
  }
  const defaults = cfg.checkins;
  const check = (list: CheckinConfig[], base: (string | number)[], wsId: string | null, standupTaken: boolean): WindowEntry[] => {
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
 * Task rules: ids unique across the program (commands name a task alone: `/task done O-3`) and distinct from gate
 * ids; `requires` names a task or a gate, not the task itself, with no cycle; a check-in's `expects` names tasks
 * of its workstream (any workstream's for a program check-in).
 */
function checkTasks(cfg: RawConfig, ctx: z.RefinementCtx): void {
  const gateIds = new Set(cfg.gates.map((g) => g.id));
  const where = new Map<string, string>();
  const requires = new Map<string, string[]>();
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    ws.tasks.forEach((t, i) => {
      const other = where.get(t.id.toUpperCase());
      if (other !== undefined)
        ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'id'], message: `task id "${t.id}" is already used in workstream "${other}" (task ids are unique across the program)` });
      else if (gateIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'id'], message: `task id "${t.id}" is also a gate id; rename one` });
      where.set(t.id.toUpperCase(), wsId);
      requires.set(t.id, t.requires);
    });
  }
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    ws.tasks.forEach((t, i) => {
      t.requires.forEach((r, j) => {
        const at = ['workstreams', wsId, 'tasks', i, 'requires', j];
        if (r === t.id) ctx.addIssue({ code: 'custom', path: at, message: 'a task cannot require itself' });
        else if (!requires.has(r) && !gateIds.has(r)) ctx.addIssue({ code: 'custom', path: at, message: `no task or gate with id "${r}"` });
      });
      const seen = new Set<string>();
      const stack = t.requires.filter((r) => r !== t.id);
      let cycle = false;
      while (stack.length && !cycle) {
        const id = stack.pop()!;
        if (id === t.id) cycle = true;
        else if (!seen.has(id)) {
          seen.add(id);
          stack.push(...(requires.get(id) ?? []));
        }
      }
      if (cycle)
        ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'tasks', i, 'requires'], message: `task "${t.id}" requires itself through other tasks (a cycle): none of them could ever start` });
    });
    (ws.checkins ?? []).forEach((c, i) =>
      (c.expects ?? []).forEach((e, j) => {
        if (!ws.tasks.some((t) => t.id === e))
          ctx.addIssue({
            code: 'custom',
            path: ['workstreams', wsId, 'checkins', i, 'expects', j],
            message: `no task "${e}" in workstream "${wsId}" (${ws.tasks.map((t) => t.id).join(', ') || 'it has no tasks'})`,
          });
      }),
    );
  }
  cfg.program.checkins.forEach((c, i) =>
    (c.expects ?? []).forEach((e, j) => {
      if (!requires.has(e)) ctx.addIssue({ code: 'custom', path: ['program', 'checkins', i, 'expects', j], message: `no task "${e}" in any workstream` });
    }),
  );
}

function duplicateIds(ids: string[]): number[] {
  const seen = new Set<string>();
  const dup: number[] = [];
  ids.forEach((id, i) => (seen.has(id) ? dup.push(i) : seen.add(id)));
  return dup;
}

/** Compile-time check: the parsed config fits the declared shape the domain's rules read (src/domain/program/declaration.ts). */
type Declares<T extends ProgramDeclaration> = T;

/** `preflight.yml` as parsed: durations in ms, defaults applied. */
export type WorkspaceConfig = Declares<z.infer<typeof workspaceSchema>>;
export type WorkstreamConfig = WorkspaceConfig['workstreams'][string];
export type EscalationConfig = WorkspaceConfig['escalation'];
