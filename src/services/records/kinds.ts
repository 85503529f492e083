import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { Db } from '../../db/client.js';
import { blockers, gateStates, gonogoAudit, planOverrides, standupAnswers, standupRuns, taskStates } from '../../db/schema/index.js';
import { shortId } from '../../domain/blockers/blocker.js';
import type { InstantRange } from '../../domain/records/range.js';
import { configuredTasks, taskDueAt, type ConfiguredTask } from '../tasks/catalog.js';
import type { AnswerRecord, BlockerRecord, CheckinRecord, DecisionRecord, GateRecord, OverrideRecordOut, RecordKind, RecordOf, TaskRecord } from './schemas.js';

/** What one read asks for: the range (on the kind's own time column), the sort key to continue after, a row cap. */
export interface RecordQuery {
  range: InstantRange;
  /** Sort key of the last record already read (the cursor), or null for the first. */
  after: number | string | null;
  /** At most this many rows; undefined for all (the export streams them). */
  limit?: number;
}

/** A query built with drizzle (explicit columns), run positionally: the row's values in the order of `fields`. */
export interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] };
}

/**
 * How one kind of record is read. Each kind selects its columns explicitly, orders by a unique sort key (the
 * cursor) and filters its own time column by the range. Adding a kind (tasks, say) is one more entry here and
 * one schema in schemas.ts.
 */
export interface RecordKindSpec<K extends RecordKind> {
  /** The column the range applies to, for the docs. */
  timeColumn: string;
  /** The sort key's type, to decode a cursor. */
  sortKeyType: 'number' | 'string';
  /** The selected fields, in order: a row arrives as an array of their values. */
  fields: Record<string, unknown>;
  /** The query; `config` for kinds declared in preflight.yml (tasks). */
  build(db: Db, q: RecordQuery, config: WorkspaceConfig): BuiltQuery;
  /** Turns a positional row into the record (instants to ISO strings, config lookups). */
  toRecord(row: unknown[], config: WorkspaceConfig): RecordOf<K>;
  sortKey(record: RecordOf<K>): number | string;
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d === null || d === undefined ? null : new Date(String(d)).toISOString());
const isoRequired = (d: unknown) => iso(d) as string;

/** `column` within the range (start inclusive, end exclusive); no condition for an open side. */
function inRange(column: PgColumn, range: InstantRange): SQL[] {
  const conditions: SQL[] = [];
  if (range.start) conditions.push(gte(column, range.start));
  if (range.end) conditions.push(lt(column, range.end));
  return conditions;
}

/** Positional row → object keyed like `fields`. */
function named(fields: Record<string, unknown>, row: unknown[]): Record<string, unknown> {
  const keys = Object.keys(fields);
  return Object.fromEntries(keys.map((k, i) => [k, row[i]]));
}

// Correlated subqueries name the outer table literally: drizzle leaves columns of a one-table select unqualified,
// and an unqualified "id" inside the subquery would mean the subquery's own id.

const checkinFields = {
  id: standupRuns.id,
  checkinId: standupRuns.checkinId,
  workstreamId: standupRuns.workstreamId,
  workstreamName: standupRuns.workstreamName,
  localDate: standupRuns.localDate,
  zone: standupRuns.zone,
  status: standupRuns.status,
  openAt: standupRuns.openAt,
  closeAt: standupRuns.closeAt,
  closedAt: standupRuns.closedAt,
  startedBy: standupRuns.startedBy,
  reportChannel: standupRuns.reportChannel,
  // the report's delivery (services/checkins/delivery-kinds.ts, kind `report`)
  reportTs: sql<string | null>`(select d.ts from deliveries d where d.kind = 'report' and d.owner_key = standup_runs.id::text)`,
  // a prompt's DM is its delivery (services/checkins/delivery-kinds.ts, kind `prompt`)
  prompted: sql<number>`(select count(*)::int from standup_prompts p join deliveries d on d.kind = 'prompt' and d.owner_key = p.id::text where p.run_id = standup_runs.id and p.status = 'expected' and d.status = 'sent')`,
  skipped: sql<number>`(select count(*)::int from standup_prompts p where p.run_id = standup_runs.id and p.status in ('skipped', 'ooo'))`,
  answered: sql<number>`(select count(*)::int from standup_answers a where a.run_id = standup_runs.id and a.complete)`,
};

const checkins: RecordKindSpec<'checkins'> = {
  timeColumn: 'open_at (when the run opened)',
  sortKeyType: 'number',
  fields: checkinFields,
  build: (db, q) => {
    const query = db
      .select(checkinFields)
      .from(standupRuns)
      .where(and(...inRange(standupRuns.openAt, q.range), q.after === null ? undefined : gt(standupRuns.id, Number(q.after))))
      .orderBy(asc(standupRuns.id));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row): CheckinRecord => {
    const r = named(checkinFields, row);
    return {
      id: r.id as number,
      checkin_id: r.checkinId as string,
      workstream_id: r.workstreamId as string,
      workstream_name: r.workstreamName as string,
      local_date: r.localDate as string,
      zone: r.zone as string,
      status: r.status as string,
      open_at: isoRequired(r.openAt),
      close_at: isoRequired(r.closeAt),
      closed_at: iso(r.closedAt),
      started_by: (r.startedBy as string | null) ?? null,
      report_channel: r.reportChannel as string,
      report_ts: (r.reportTs as string | null) ?? null,
      prompted: r.prompted as number,
      skipped: r.skipped as number,
      answered: r.answered as number,
    };
  },
  sortKey: (r) => r.id,
};

const answerFields = {
  id: standupAnswers.id,
  runId: standupAnswers.runId,
  checkinId: standupRuns.checkinId,
  workstreamId: standupRuns.workstreamId,
  localDate: standupRuns.localDate,
  userId: standupAnswers.userId,
  complete: standupAnswers.complete,
  late: standupAnswers.late,
  source: standupAnswers.source,
  edits: standupAnswers.edits,
  completedAt: standupAnswers.completedAt,
  updatedAt: standupAnswers.updatedAt,
  answers: standupAnswers.answers,
};

const answers: RecordKindSpec<'answers'> = {
  timeColumn: "the check-in run's open_at (a run's answers go with it)",
  sortKeyType: 'number',
  fields: answerFields,
  build: (db, q) => {
    const query = db
      .select(answerFields)
      .from(standupAnswers)
      .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
      .where(and(...inRange(standupRuns.openAt, q.range), q.after === null ? undefined : gt(standupAnswers.id, Number(q.after))))
      .orderBy(asc(standupAnswers.id));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row): AnswerRecord => {
    const r = named(answerFields, row);
    return {
      id: r.id as number,
      run_id: r.runId as number,
      checkin_id: r.checkinId as string,
      workstream_id: r.workstreamId as string,
      local_date: r.localDate as string,
      user_id: r.userId as string,
      complete: r.complete as boolean,
      late: r.late as boolean,
      source: r.source as string,
      edits: r.edits as number,
      completed_at: iso(r.completedAt),
      updated_at: isoRequired(r.updatedAt),
      answers: r.answers as AnswerRecord['answers'],
    };
  },
  sortKey: (r) => r.id,
};

const blockerFields = {
  id: blockers.id,
  workstreamId: blockers.workstreamId,
  gateId: blockers.gateId,
  taskId: blockers.taskId,
  severity: blockers.severity,
  status: blockers.status,
  text: blockers.text,
  reporter: blockers.reporter,
  owner: blockers.owner,
  source: blockers.source,
  standupAnswerId: blockers.standupAnswerId,
  raisedAt: blockers.raisedAt,
  firstAcknowledgedAt: sql<Date | null>`(select min(e.at) from blocker_events e where e.blocker_id = blockers.id and e.kind = 'acknowledged')`,
  acknowledgedBy: blockers.acknowledgedBy,
  resolvedAt: blockers.resolvedAt,
  resolvedBy: blockers.resolvedBy,
  levelsDone: blockers.levelsDone,
  // the blocker message's delivery (services/blockers/delivery-kinds.ts, kind `blocker`)
  permalink: sql<string | null>`(select d.permalink from deliveries d where d.kind = 'blocker' and d.owner_key = blockers.id::text)`,
  // instants formatted in UTC by Postgres itself, whatever the session's TimeZone
  timeline: sql<
    BlockerRecord['timeline']
  >`coalesce((select json_agg(json_build_object('id', e.id, 'kind', e.kind, 'actor', e.actor, 'at', to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', e.data) order by e.id) from blocker_events e where e.blocker_id = blockers.id), '[]'::json)`,
};

const blockersKind: RecordKindSpec<'blockers'> = {
  timeColumn: 'raised_at',
  sortKeyType: 'number',
  fields: blockerFields,
  build: (db, q) => {
    const query = db
      .select(blockerFields)
      .from(blockers)
      .where(and(...inRange(blockers.raisedAt, q.range), q.after === null ? undefined : gt(blockers.id, Number(q.after))))
      .orderBy(asc(blockers.id));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row): BlockerRecord => {
    const r = named(blockerFields, row);
    return {
      id: r.id as number,
      short_id: shortId(r.id as number),
      workstream_id: r.workstreamId as string,
      gate_id: (r.gateId as string | null) ?? null,
      task_id: (r.taskId as string | null) ?? null,
      severity: r.severity as string,
      status: r.status as string,
      text: r.text as string,
      reporter: r.reporter as string,
      owner: (r.owner as string | null) ?? null,
      source: r.source as BlockerRecord['source'],
      standup_answer_id: (r.standupAnswerId as number | null) ?? null,
      raised_at: isoRequired(r.raisedAt),
      first_acknowledged_at: iso(r.firstAcknowledgedAt),
      acknowledged_by: r.acknowledgedBy as string[],
      resolved_at: iso(r.resolvedAt),
      resolved_by: (r.resolvedBy as string | null) ?? null,
      levels_done: r.levelsDone as number,
      permalink: (r.permalink as string | null) ?? null,
      timeline: r.timeline as BlockerRecord['timeline'],
    };
  },
  sortKey: (r) => r.id,
};

// Tasks are declared in preflight.yml, not in a table: the declared ids (with their due instants, for the range) go
// to Postgres as one jsonb parameter, unnested by jsonb_to_recordset and left-joined to their state rows. Ids sort
// and compare with the "C" collation (byte order), the same in the ORDER BY and in the cursor's condition.
const declaredTaskId = sql<string>`declared.task_id`;
const declaredDueAt = sql<Date | null>`declared.due_at`;

const taskFields = {
  id: declaredTaskId,
  status: taskStates.status,
  progress: taskStates.progress,
  doneAt: taskStates.doneAt,
  doneBy: taskStates.doneBy,
  updatedAt: taskStates.updatedAt,
  updatedBy: taskStates.updatedBy,
};

/** The configured tasks by id, computed once per config object. */
const declaredTasks = new WeakMap<WorkspaceConfig, Map<string, ConfiguredTask>>();
function declaredTask(config: WorkspaceConfig, id: string): ConfiguredTask {
  let byId = declaredTasks.get(config);
  if (!byId) {
    byId = new Map(configuredTasks(config).map((t) => [t.task.id, t]));
    declaredTasks.set(config, byId);
  }
  const found = byId.get(id);
  if (!found) throw new Error(`task ${id} is not declared in preflight.yml`);
  return found;
}

const tasks: RecordKindSpec<'tasks'> = {
  timeColumn: 'due (tasks with no due are listed only when neither from nor to is given)',
  sortKeyType: 'string',
  fields: taskFields,
  build: (db, q, config) => {
    const declared = configuredTasks(config).map(({ workstreamId, task }) => {
      const dueAt = taskDueAt(config, workstreamId, task.due);
      return { task_id: task.id, due_at: dueAt === null ? null : new Date(dueAt).toISOString() };
    });
    const query = db
      .select(taskFields)
      .from(sql`jsonb_to_recordset(${JSON.stringify(declared)}::jsonb) as declared(task_id text, due_at timestamptz)`)
      .leftJoin(taskStates, eq(taskStates.taskId, declaredTaskId))
      .where(
        and(
          ...(q.range.start ? [sql`${declaredDueAt} >= ${q.range.start}`] : []),
          ...(q.range.end ? [sql`${declaredDueAt} < ${q.range.end}`] : []),
          q.after === null ? undefined : sql`${declaredTaskId} collate "C" > ${String(q.after)}`,
        ),
      )
      .orderBy(sql`${declaredTaskId} collate "C"`);
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row, config): TaskRecord => {
    const r = named(taskFields, row);
    const { workstreamId, task } = declaredTask(config, r.id as string);
    const dueAt = taskDueAt(config, workstreamId, task.due);
    const done = r.status === 'done';
    return {
      id: task.id,
      workstream_id: workstreamId,
      title: task.title,
      owner: task.owner,
      due: dueAt === null ? null : new Date(dueAt).toISOString(),
      due_local: task.due ?? null,
      estimate_h: task.estimate,
      priority: task.priority,
      requires: [...task.requires],
      status: done ? 'done' : 'open',
      progress: done ? 100 : ((r.progress as number | null) ?? 0),
      done_at: iso(r.doneAt),
      done_by: (r.doneBy as string | null) ?? null,
      updated_at: iso(r.updatedAt),
      updated_by: (r.updatedBy as string | null) ?? null,
      url: task.url ?? null,
      source: task.source?.label ?? null,
      owner_unmatched: task.owner_unmatched ?? null,
    };
  },
  sortKey: (r) => r.id,
};

const gateFields = {
  gateId: gateStates.gateId,
  status: gateStates.status,
  signedBy: gateStates.signedBy,
  signedAt: gateStates.signedAt,
  note: gateStates.note,
  updatedAt: gateStates.updatedAt,
};

const gates: RecordKindSpec<'gates'> = {
  timeColumn: 'updated_at (the latest sign-off, failure or withdrawal)',
  sortKeyType: 'string',
  fields: gateFields,
  build: (db, q) => {
    const query = db
      .select(gateFields)
      .from(gateStates)
      .where(and(...inRange(gateStates.updatedAt, q.range), q.after === null ? undefined : gt(gateStates.gateId, String(q.after))))
      .orderBy(asc(gateStates.gateId));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row, config): GateRecord => {
    const r = named(gateFields, row);
    return {
      gate_id: r.gateId as string,
      name: config.gates.find((g) => g.id === r.gateId)?.name ?? null,
      status: r.status as string,
      signed_by: (r.signedBy as string | null) ?? null,
      signed_at: iso(r.signedAt),
      note: (r.note as string | null) ?? null,
      updated_at: isoRequired(r.updatedAt),
    };
  },
  sortKey: (r) => r.gate_id,
};

const decisionFields = {
  id: gonogoAudit.id,
  actor: gonogoAudit.actor,
  at: gonogoAudit.at,
  data: gonogoAudit.data,
};

const decisions: RecordKindSpec<'decisions'> = {
  timeColumn: 'at (when the decision was recorded)',
  sortKeyType: 'number',
  fields: decisionFields,
  build: (db, q) => {
    const query = db
      .select(decisionFields)
      .from(gonogoAudit)
      .where(and(eq(gonogoAudit.kind, 'decision'), ...inRange(gonogoAudit.at, q.range), q.after === null ? undefined : gt(gonogoAudit.id, Number(q.after))))
      .orderBy(asc(gonogoAudit.id));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row): DecisionRecord => {
    const r = named(decisionFields, row);
    const data = (r.data ?? {}) as { decision?: string; verdict?: string; percent?: number; note?: string | null };
    return {
      id: r.id as number,
      decision: String(data.decision ?? ''),
      verdict: data.verdict ?? null,
      percent: typeof data.percent === 'number' ? data.percent : null,
      note: data.note ?? null,
      actor: (r.actor as string | null) ?? null,
      at: isoRequired(r.at),
    };
  },
  sortKey: (r) => r.id,
};

const overrideFields = {
  id: planOverrides.id,
  kind: planOverrides.kind,
  target: planOverrides.target,
  workstreamId: planOverrides.workstreamId,
  value: planOverrides.value,
  fileValue: planOverrides.fileValue,
  reason: planOverrides.reason,
  createdBy: planOverrides.createdBy,
  createdAt: planOverrides.createdAt,
  droppedAt: planOverrides.droppedAt,
  droppedBy: planOverrides.droppedBy,
  dropReason: planOverrides.dropReason,
};

/** The overrides made from Slack (issue 20), active and dropped: the audit of `plan_overrides`. */
const overrides: RecordKindSpec<'overrides'> = {
  timeColumn: 'created_at (when the override was made)',
  sortKeyType: 'number',
  fields: overrideFields,
  build: (db, q) => {
    const query = db
      .select(overrideFields)
      .from(planOverrides)
      .where(and(...inRange(planOverrides.createdAt, q.range), q.after === null ? undefined : gt(planOverrides.id, Number(q.after))))
      .orderBy(asc(planOverrides.id));
    return q.limit === undefined ? query : query.limit(q.limit);
  },
  toRecord: (row): OverrideRecordOut => {
    const r = named(overrideFields, row);
    const json = (v: unknown) => v ?? null; // jsonb, parsed by pg
    return {
      id: r.id as number,
      kind: r.kind as string,
      target: r.target as string,
      workstream_id: (r.workstreamId as string | null) ?? null,
      value: json(r.value),
      file_value: json(r.fileValue),
      reason: (r.reason as string | null) ?? null,
      created_by: r.createdBy as string,
      created_at: isoRequired(r.createdAt),
      active: r.droppedAt === null || r.droppedAt === undefined,
      dropped_at: iso(r.droppedAt),
      dropped_by: (r.droppedBy as string | null) ?? null,
      drop_reason: (r.dropReason as string | null) ?? null,
    };
  },
  sortKey: (r) => r.id,
};

/** Every kind, by name. */
export const recordKinds: { [K in RecordKind]: RecordKindSpec<K> } = {
  checkins,
  answers,
  blockers: blockersKind,
  tasks,
  gates,
  decisions,
  overrides,
};
