import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { BlockerSource, BlockerStatus, BlockerView } from '../../domain/blockers/blocker.js';
import type { EscalationPolicy, Severity, StepOutcome } from '../../domain/blockers/ladder.js';
import type { OncallNote } from '../../domain/oncall/note.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A blocker. Postgres holds the truth (status, ladder position, next_due_at, version); a BullMQ delayed job
 * per next due time is only a wake-up whose id includes `version`.
 */
export const blockers = pgTable(
  'blockers',
  {
    id: serial('id').primaryKey(),
    workstreamId: text('workstream_id').notNull(),
    gateId: text('gate_id'),
    /** The task this blocker is about: raised with `/task block`, or the task's "not done by its due time" escalation (source `task`). */
    taskId: text('task_id'),
    severity: text('severity').$type<Severity>().notNull(),
    text: text('text').notNull(),
    reporter: text('reporter').notNull(),
    owner: text('owner'),
    status: text('status').$type<BlockerStatus>().notNull().default('open'),
    /** The escalation policy frozen when the blocker was raised. */
    policy: jsonb('policy').$type<EscalationPolicy>().notNull(),
    levelsDone: integer('levels_done').notNull().default(0),
    /** What the latest ladder level (attempt 0) did: whom it notified, or why it was skipped; null before the first. */
    lastLevel: jsonb('last_level').$type<StepOutcome>(),
    repeatsDone: integer('repeats_done').notNull().default(0),
    lastNotifiedAt: ts('last_notified_at'),
    nextDueAt: ts('next_due_at'),
    snoozedUntil: ts('snoozed_until'),
    acknowledgedBy: text('acknowledged_by').array().notNull().default(sql`'{}'::text[]`),
    version: integer('version').notNull().default(1),
    raisedAt: ts('raised_at').notNull(),
    resolvedAt: ts('resolved_at'),
    resolvedBy: text('resolved_by'),
    source: text('source').$type<BlockerSource>().notNull(),
    standupAnswerId: integer('standup_answer_id'),
    /**
     * The blocker message in the blockers channel, kept up to date (rendered while rendered < message_version). Its
     * delivery (`deliveries`, kind `blocker`, owner key = the blocker's id) holds its `ts` and permalink.
     */
    channel: text('channel').notNull(),
    messageVersion: integer('message_version').notNull().default(1),
    messageRenderedVersion: integer('message_rendered_version').notNull().default(0),
    /**
     * The `message_version` every escalation DM of this blocker shows (edited in place while lower; see
     * services/blockers/delivery.ts updateNotices).
     */
    dmsRenderedVersion: integer('dms_rendered_version').notNull().default(0),
    /** A gate's escalation row starts a new episode when the gate fails or is overdue again (services/blockers/reopen.ts). */
    episode: integer('episode').notNull().default(1),
    /** When the gate or task this escalation is about was due (source `gate` or `task`, "not done by its due time"); null otherwise. */
    dueAt: ts('due_at'),
  },
  (t) => [
    index('blockers_due_idx').on(t.nextDueAt).where(sql`status <> 'resolved'`),
    index('blockers_workstream_idx').on(t.workstreamId, t.status),
    uniqueIndex('blockers_standup_answer_key').on(t.standupAnswerId),
    // one "gate not signed off by its due time" escalation per gate
    uniqueIndex('blockers_gate_due_key').on(t.gateId).where(sql`source = 'gate'`),
    // one "task not done by its due time" escalation per task
    uniqueIndex('blockers_task_due_key').on(t.taskId).where(sql`source = 'task'`),
  ],
);

export type BlockerEventKind = 'raised' | 'acknowledged' | 'escalated' | 'skipped' | 'snoozed' | 'reassigned' | 'resolved';

/**
 * The timeline: one row per thing that happened, each (but `raised`) posted once as a line in the blocker message's
 * thread: its delivery (`deliveries`, kind `thread_line`, owner key = its id) is opened with it.
 */
export const blockerEvents = pgTable(
  'blocker_events',
  {
    id: serial('id').primaryKey(),
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => blockers.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<BlockerEventKind>().notNull(),
    actor: text('actor'),
    at: ts('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('blocker_events_blocker_idx').on(t.blockerId, t.id)],
);

/**
 * One escalation DM per (blocker, level, attempt, recipient), reserved before Slack is called: the unique key
 * is what makes a ping happen once however many workers or wake-ups race. Its delivery (`deliveries`, kind
 * `notice`, owner key = its id) holds its status (pending, sending, sent, cancelled, failed), IM channel and `ts`.
 */
export const blockerNotices = pgTable(
  'blocker_notices',
  {
    id: serial('id').primaryKey(),
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => blockers.id, { onDelete: 'cascade' }),
    level: integer('level').notNull(),
    attempt: integer('attempt').notNull(),
    recipient: text('recipient').notNull(),
    dueAt: ts('due_at').notNull(),
    /** Not before the end of the recipient's quiet hours. */
    notBefore: ts('not_before').notNull(),
    /** Why the recipient was chosen when a rotation named them (services/oncall/ladder.ts OncallNote, issue 22). */
    oncall: jsonb('oncall').$type<OncallNote>(),
    /** The blocker's episode this notice belongs to (a gate's escalation row can start over: reopen.ts). */
    episode: integer('episode').notNull().default(1),
    /** The blocker's `message_version` the DM shows; it is edited in place while lower (delivery.ts updateNotices). */
    renderedVersion: integer('rendered_version').notNull().default(0),
    /** A digest of the message the DM shows (text and blocks): an edit that would change nothing is not sent. */
    renderedHash: text('rendered_hash'),
    /**
     * The blocker as its episode ended, set when a new episode starts (reopen.ts): the DM is edited to it once
     * (not to the new episode's state), then this is cleared.
     */
    closedView: jsonb('closed_view').$type<BlockerView>(),
    /** When the recipient got this step as a delegate (issue 22), the notes of whom they cover ("<@ana> is away until 24 Dec; <@ben> is covering"): their DM says so. */
    coveringFor: jsonb('covering_for').$type<string[]>(),
  },
  (t) => [uniqueIndex('blocker_notices_key').on(t.blockerId, t.episode, t.level, t.attempt, t.recipient)],
);
