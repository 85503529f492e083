import { z } from 'zod';
import { BLOCKER_SOURCES } from '../../domain/blockers/blocker.js';

/*
 * The records Preflight exports (`npm run export`) and serves (`/api/v1/…`), one zod schema per kind. They are the
 * single description of each record: the export's CSV columns are their keys in order, the OpenAPI document is
 * generated from them (src/api/openapi.ts), and the API tests validate responses against them.
 * Instants are ISO 8601 in UTC with milliseconds (`2026-11-03T15:00:00.000Z`); dates are `YYYY-MM-DD`.
 */

const instant = () => z.iso.datetime();
const user = () => z.string().describe('A Slack user ID (U…)');

/** One check-in run: a workstream's standup on one local date. */
export const checkinSchema = z
  .object({
    id: z.number().int().describe('The run id'),
    checkin_id: z.string().describe("Which check-in of the workstream; 'standup' for the daily standup"),
    workstream_id: z.string(),
    workstream_name: z.string().describe('As it was when the run opened'),
    local_date: z.iso.date().describe("The run's date in its workstream's zone"),
    zone: z.string().describe('IANA zone of the run'),
    status: z.string().describe('open, closed or missed'),
    open_at: instant(),
    close_at: instant(),
    closed_at: instant().nullable(),
    started_by: user().nullable().describe('Who ran /standup start; null for a scheduled run'),
    report_channel: z.string(),
    report_ts: z.string().nullable().describe("The report message's ts, once posted"),
    prompted: z.number().int().describe('Members whose prompt was sent'),
    skipped: z.number().int().describe('Members who skipped or were out of office'),
    answered: z.number().int().describe('Complete answers (late ones included)'),
  })
  .meta({ id: 'Checkin' });

/** One member's answers to one check-in run. */
export const answerSchema = z
  .object({
    id: z.number().int(),
    run_id: z.number().int().describe('The check-in run (see checkins)'),
    checkin_id: z.string(),
    workstream_id: z.string(),
    local_date: z.iso.date(),
    user_id: user(),
    complete: z.boolean().describe('Every required question answered'),
    late: z.boolean().describe('Completed after the run closed'),
    source: z.string().describe('modal or dm'),
    edits: z.number().int(),
    completed_at: instant().nullable(),
    updated_at: instant(),
    answers: z.record(z.string(), z.union([z.string(), z.number()])).describe('Answers keyed by question id, verbatim; percent as a number, risk as green/yellow/red'),
  })
  .meta({ id: 'Answer' });

/** One line of a blocker's timeline. */
export const blockerEventSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().describe('raised, acknowledged, escalated, skipped, snoozed, reassigned or resolved'),
    actor: user().nullable().describe('null for what Preflight did by itself (an escalation)'),
    at: instant(),
    data: z.record(z.string(), z.unknown()).describe('Details of the event (level, recipients, snoozed until, new owner…)'),
  })
  .meta({ id: 'BlockerEvent' });

/** A blocker with its timeline. */
export const blockerSchema = z
  .object({
    id: z.number().int(),
    short_id: z.string().describe('As shown in Slack: B-42'),
    workstream_id: z.string(),
    gate_id: z.string().nullable().describe('The gate it was raised against (`/blocker … gate:<id>`, or the gate’s own escalation)'),
    task_id: z.string().nullable().describe('The task it is about: raised with `/task block`, or the task’s escalation when not done by its due time (source task)'),
    severity: z.string().describe('P0, P1 or P2'),
    status: z.string().describe('open, acknowledged, snoozed or resolved'),
    text: z.string().describe('Verbatim'),
    reporter: user(),
    owner: user().nullable(),
    source: z
      .enum(BLOCKER_SOURCES)
      .describe('How it was raised: command (/blocker, /task block), modal (the /blocker form), standup (a check-in answer), gate (a gate overdue or failed) or task (a task overdue)'),
    standup_answer_id: z.number().int().nullable(),
    raised_at: instant(),
    first_acknowledged_at: instant().nullable(),
    acknowledged_by: z.array(user()),
    resolved_at: instant().nullable(),
    resolved_by: user().nullable(),
    levels_done: z.number().int().describe('Escalation ladder levels reached'),
    permalink: z.string().nullable(),
    timeline: z.array(blockerEventSchema).describe('Oldest first'),
  })
  .meta({ id: 'Blocker' });

/** One task declared in preflight.yml (`workstreams.<id>.tasks`) with its recorded state (no state row: open at 0 %). */
export const taskSchema = z
  .object({
    id: z.string().describe('The task id as declared, e.g. O-3'),
    workstream_id: z.string(),
    title: z.string(),
    owner: user(),
    due: instant().nullable().describe('The due instant (UTC); null when the task has no due'),
    due_local: z.string().nullable().describe("`due` as declared: a local date-time (YYYY-MM-DDTHH:mm) in the workstream's zone, else the program's"),
    estimate_h: z.number().describe('Estimate in hours (weighs the task in the workstream % complete)'),
    priority: z.string().describe('P0, P1 or P2'),
    requires: z.array(z.string()).describe('Task or gate ids that must be done (passed) first'),
    status: z.string().describe('open or done'),
    progress: z.number().int().describe('Last reported percent, 0–100 (100 once done)'),
    done_at: instant().nullable(),
    done_by: user().nullable(),
    updated_at: instant().nullable().describe('The latest change; null if the task was never updated'),
    updated_by: user().nullable(),
    url: z.string().nullable().describe("The task's page: its tracker issue (issue 21) or `url` as declared; null for none"),
    source: z.string().nullable().describe('The tracker source it comes from, e.g. `Jira LAUNCH`; null for a task of preflight.yml'),
    owner_unmatched: z.string().nullable().describe("A tracker task's assignee email when no Slack user has it (`owner` is then the workstream's lead); else null"),
  })
  .meta({ id: 'Task' });

/** The recorded state of a quality gate (a gate without a row is pending and not listed). */
export const gateSchema = z
  .object({
    gate_id: z.string(),
    name: z.string().nullable().describe('From preflight.yml; null if the gate is no longer configured'),
    status: z.string().describe('pending (after a withdrawal), passed or failed'),
    signed_by: user().nullable(),
    signed_at: instant().nullable(),
    note: z.string().nullable(),
    updated_at: instant(),
  })
  .meta({ id: 'Gate' });

/** A recorded go/no-go decision. */
export const decisionSchema = z
  .object({
    id: z.number().int(),
    decision: z.string().describe('go, no-go or conditional'),
    verdict: z.string().nullable().describe("Preflight's verdict when the decision was recorded"),
    percent: z.number().nullable().describe('Share of the checklist done then, 0–100'),
    note: z.string().nullable(),
    actor: user().nullable(),
    at: instant(),
  })
  .meta({ id: 'Decision' });

/** A change made from Slack on top of preflight.yml (issue 20, `/task add|due|assign|drop`, `/gonogo due`), with its audit. */
export const overrideSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().describe('task_add, task_due, task_owner, task_drop or gate_due'),
    target: z.string().describe('The task or gate id'),
    workstream_id: z.string().nullable().describe("The task's workstream; null for a gate"),
    value: z.unknown().describe('The new value: a local date-time (due), a user ID (owner), the task as preflight.yml writes it (task_add), null (task_drop)'),
    file_value: z.unknown().describe("The file's value of that field when the override was made (null for task_add)"),
    reason: z.string().nullable().describe('Why, as given in the command'),
    created_by: user(),
    created_at: instant(),
    active: z.boolean().describe('Still applied on top of the file'),
    dropped_at: instant().nullable(),
    dropped_by: z.string().nullable().describe("Who dropped it: a user ID, or 'file' when the file changed the same field"),
    drop_reason: z.string().nullable().describe("Why: 'file changed: old → new', 'replaced by #id'…"),
  })
  .meta({ id: 'Override' });

/** Every kind of record, by the name used in `--what` and in the API path. */
export const recordSchemas = {
  checkins: checkinSchema,
  answers: answerSchema,
  blockers: blockerSchema,
  tasks: taskSchema,
  gates: gateSchema,
  decisions: decisionSchema,
  overrides: overrideSchema,
} as const;

export type RecordKind = keyof typeof recordSchemas;
export const RECORD_KINDS = Object.keys(recordSchemas) as RecordKind[];
export type RecordOf<K extends RecordKind> = z.infer<(typeof recordSchemas)[K]>;
export type CheckinRecord = z.infer<typeof checkinSchema>;
export type AnswerRecord = z.infer<typeof answerSchema>;
export type BlockerRecord = z.infer<typeof blockerSchema>;
export type TaskRecord = z.infer<typeof taskSchema>;
export type GateRecord = z.infer<typeof gateSchema>;
export type DecisionRecord = z.infer<typeof decisionSchema>;
export type OverrideRecordOut = z.infer<typeof overrideSchema>;
