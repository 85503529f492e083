import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Question } from '../../config/workspace.js';
import type { Answers } from '../../domain/checkins/answers.js';
import type { FrozenReportLists, RunStatus } from '../../domain/checkins/report.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One run per (workstream, check-in, workstream-local date): the unique key is the exactly-once guard. Program
 * check-ins use the reserved workstream key `_program` (domain/checkins/plans.ts). Rows from before check-ins
 * (migration 0005) have the check-in `standup`.
 */
export const standupRuns = pgTable(
  'standup_runs',
  {
    id: serial('id').primaryKey(),
    workstreamId: text('workstream_id').notNull(),
    checkinId: text('checkin_id').notNull().default('standup'),
    /** The check-in's display name, frozen when the run opened. */
    checkinName: text('checkin_name').notNull().default('Standup'),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    status: text('status').$type<RunStatus>().notNull(),
    openAt: ts('open_at').notNull(),
    closeAt: ts('close_at').notNull(),
    /** Who ran `/standup start`, null for scheduled runs. */
    startedBy: text('started_by'),
    /** Questions and names frozen when the run opened, so a config edit mid-run cannot garble answers. */
    questions: jsonb('questions').$type<Question[]>().notNull(),
    workstreamName: text('workstream_name').notNull(),
    zone: text('zone').notNull(),
    /** Where the report goes. Its delivery (`deliveries`, kind `report`, owner key = the run's id) holds its `ts`. */
    reportChannel: text('report_channel').notNull(),
    /**
     * The thread the report was posted in: the `ts` of the day's first report in the same channel, when this run is
     * a later check-in of that day (its report is a reply there); null for a top-level report. Set with the first post.
     */
    reportThreadTs: text('report_thread_ts'),
    /** Bumped on every change the report shows; the report is re-rendered while rendered < version. */
    reportVersion: integer('report_version').notNull().default(1),
    reportRenderedVersion: integer('report_rendered_version').notNull().default(0),
    closedAt: ts('closed_at'),
    /**
     * The report's expected tasks and carried-over blockers as they stood when the run closed, written as it closes
     * (else by its first render after: services/checkins/report-message.ts); null while open, on missed runs, and on
     * runs closed before migration 0025 until their next render. A closed report redrawn later (a late answer, the day
     * index) shows these, not the current state.
     */
    reportFrozen: jsonb('report_frozen').$type<FrozenReportLists>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('standup_runs_workstream_checkin_date_key').on(t.workstreamId, t.checkinId, t.localDate),
    index('standup_runs_workstream_date_idx').on(t.workstreamId, t.localDate),
    index('standup_runs_channel_date_idx').on(t.reportChannel, t.localDate),
    index('standup_runs_status_idx').on(t.status, t.closeAt),
  ],
);

/**
 * The member's part in the run: expected to answer, or excused (`/standup skip`, out of office). Whether the DM
 * went out is its delivery's (`deliveries`, kind `prompt`, owner key = the prompt's id: pending, sending, sent,
 * failed, or cancelled `expired` when the check-in closed first); the reminder is the delivery kind `reminder`.
 */
export type PromptStatus = 'expected' | 'skipped' | 'ooo';

/** One prompt per member per run (unique key), carrying the member's own schedule. */
export const standupPrompts = pgTable(
  'standup_prompts',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => standupRuns.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    zone: text('zone').notNull(),
    promptAt: ts('prompt_at').notNull(),
    remindAt: ts('remind_at').notNull(),
    closeAt: ts('close_at').notNull(),
    status: text('status').$type<PromptStatus>().notNull().default('expected'),
    /** Index of the next question in the DM conversation. */
    dmStep: integer('dm_step').notNull().default(0),
    /** A program check-in's report section: the name of the workstream the member is shown under; null otherwise. */
    section: text('section'),
  },
  (t) => [uniqueIndex('standup_prompts_run_user_key').on(t.runId, t.userId), index('standup_prompts_due_idx').on(t.status, t.promptAt), index('standup_prompts_user_idx').on(t.userId)],
);

/** A member's answer for a run (one row per member per run), kept verbatim. */
export const standupAnswers = pgTable(
  'standup_answers',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => standupRuns.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    answers: jsonb('answers').$type<Answers>().notNull(),
    complete: boolean('complete').notNull().default(false),
    source: text('source').$type<'modal' | 'dm'>().notNull(),
    completedAt: ts('completed_at'),
    updatedAt: ts('updated_at').notNull(),
    edits: integer('edits').notNull().default(0),
    late: boolean('late').notNull().default(false),
    /**
     * Late answers go to the report's thread: posted while posted_version < version. Its delivery (`deliveries`,
     * kind `late_answer`, owner key = the answer's id) holds its `ts`.
     */
    lateVersion: integer('late_version').notNull().default(0),
    latePostedVersion: integer('late_posted_version').notNull().default(0),
  },
  (t) => [uniqueIndex('standup_answers_run_user_key').on(t.runId, t.userId)],
);

/** Out of office: one span per user (inclusive local dates). */
export const memberOutOfOffice = pgTable('member_out_of_office', {
  userId: text('user_id').primaryKey(),
  fromDate: date('from_date', { mode: 'string' }).notNull(),
  untilDate: date('until_date', { mode: 'string' }).notNull(),
  setAt: ts('set_at').notNull(),
  /** Who covers them on every ladder meanwhile (`/standup ooo … delegate:@ben`, issue 22); null: `program.delegates`. */
  delegate: text('delegate'),
});

/** `/standup skip` typed before the run opened: honoured when it opens (per check-in; rows before 0005 are `standup`). */
export const standupSkips = pgTable(
  'standup_skips',
  {
    userId: text('user_id').notNull(),
    workstreamId: text('workstream_id').notNull(),
    checkinId: text('checkin_id').notNull().default('standup'),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.workstreamId, t.checkinId, t.localDate] })],
);

/** When Preflight started scheduling a workstream: runs before it are never reported as missed. */
export const workstreamState = pgTable('workstream_state', {
  workstreamId: text('workstream_id').primaryKey(),
  schedulingSince: ts('scheduling_since').notNull(),
});
