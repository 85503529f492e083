import { DateTime, IANAZone } from 'luxon';
import type { TrackerIssue, TrackerKind } from '../domain/trackers/tracker-issue.js';
import { ConfigError, type ConfigProblem } from './load.js';
import { emailKey } from './user-refs.js';
import { compareTaskIds } from '../domain/tasks/task-id-order.js';

/*
 * Tasks from trackers (issue 21): the stored issues of each `workstreams.<id>.tasks_from` source (tracker_issues,
 * written by services/trackers/sync.ts) become raw tasks added to the config document BEFORE validation, like the
 * Slack overrides (config/overrides.ts), so the schema's own rules (ids, requires, cycles, owners) judge them and the
 * plan version covers them. Pure: the service (services/plan/overrides.ts `loadPlanConfig`) reads the rows and
 * resolves the assignees' emails.
 */

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tracker's name as people write it. */
const TRACKER_NAMES: Record<TrackerKind, string> = { jira: 'Jira', linear: 'Linear', github: 'GitHub' };

/** One configured source, located in the raw document: `sourceId` is `<workstream>/<index in tasks_from>`. */
export interface RawTrackerSource {
  sourceId: string;
  workstreamId: string;
  index: number;
  kind: TrackerKind;
  /** The source's object under its kind (`{ site, jql, … }`) as written. */
  settings: Raw;
  /** `Jira LAUNCH`, `Linear ENG`, `GitHub acme/launch`: what tasks' `source.label` and people read. */
  label: string;
}

/**
 * A source's label for people: `Jira <project>` (the `project = X` of its JQL, else the site's host), `Linear <team>`
 * (`/ <project>` when given), `GitHub <repo>` or `GitHub project <owner/number>`. At most 120 characters.
 * @param settings the object under the source's kind, as written.
 */
export function trackerSourceLabel(kind: TrackerKind, settings: Readonly<Raw>): string {
  const str = (k: string) => (typeof settings[k] === 'string' ? (settings[k] as string) : undefined);
  let what: string;
  if (kind === 'jira') {
    const project = /\bproject\s*(?:=|in\s*\()\s*"?([A-Za-z][A-Za-z0-9_]*)/i.exec(str('jql') ?? '')?.[1];
    let host = str('site') ?? '?';
    try {
      host = new URL(host).host;
    } catch {
      // keep it as written
    }
    what = project?.toUpperCase() ?? host;
  } else if (kind === 'linear') what = [str('team'), str('project')].filter(Boolean).join(' / ') || '?';
  else what = str('repo') ?? (str('project') ? `project ${str('project')}` : '?');
  return `${TRACKER_NAMES[kind]} ${what}`.slice(0, 120);
}

/**
 * Every `tasks_from` source of a raw config document (what YAML parsed to), in workstream then list order. Entries
 * that are not one-kind objects are skipped here (the schema reports them).
 */
export function rawTrackerSources(raw: unknown): RawTrackerSource[] {
  const workstreams = isRecord(raw) && isRecord(raw.workstreams) ? raw.workstreams : {};
  const out: RawTrackerSource[] = [];
  for (const [workstreamId, ws] of Object.entries(workstreams)) {
    const list = isRecord(ws) && Array.isArray(ws.tasks_from) ? (ws.tasks_from as unknown[]) : [];
    list.forEach((entry, index) => {
      if (!isRecord(entry)) return;
      const kinds = Object.keys(entry).filter((k): k is TrackerKind => k in TRACKER_NAMES);
      const kind = kinds.length === 1 ? kinds[0]! : undefined;
      const settings = kind ? entry[kind] : undefined;
      if (!kind || !isRecord(settings)) return;
      out.push({ sourceId: `${workstreamId}/${index}`, workstreamId, index, kind, settings, label: trackerSourceLabel(kind, settings) });
    });
  }
  return out;
}

/** A stored issue of a source (a tracker_issues row not deleted). */
export interface StoredTrackerIssue {
  sourceId: string;
  issue: TrackerIssue;
}

/** What the mapping needs besides the rows: the Slack user of each assignee email ({@link emailKey} → user id, null: no member). */
export interface TrackerTaskContext {
  userIdByEmail: ReadonlyMap<string, string | null>;
  /** The config file's name, for the problem of an id in both the file and a tracker. */
  file: string;
}

const DEFAULT_DUE_HOUR = '17:00';
const DEFAULT_HOURS_PER_POINT = 4;

/** The raw local date-time (`YYYY-MM-DDTHH:mm`, the workstream's zone) of a tracker due; null when it cannot be read. */
function localDue(due: TrackerIssue['due'], dueHour: string, programZone: string, wsZone: string): string | null {
  if (!due) return null;
  const at = 'date' in due ? DateTime.fromISO(`${due.date}T${dueHour}`, { zone: programZone }) : DateTime.fromISO(due.at, { setZone: true });
  if (!at.isValid) return null;
  return at.setZone(wsZone).toFormat("yyyy-MM-dd'T'HH:mm");
}

/**
 * One raw task (as preflight.yml writes one) from a stored issue, following the mapping table of docs/trackers.md:
 * id = key; title (trimmed, at most 200 characters); owner = the assignee's Slack user (by email), else the
 * workstream's first lead (else the PM) with `owner_unmatched: <email>` when the assignee has an email no member has
 * (an unassigned issue: the lead, no `owner_unmatched`); due = a date-only due at the source's `due_hour` in the
 * program's zone, an instant as is, written in the workstream's zone; estimate = hours, or points × `hours_per_point`
 * (none: the schema's default); priority when the tracker has one; requires = `blockedBy` keys that are tasks of the plan.
 * @param taskIds every task id of the plan (the file's and every source's), to keep `requires` to known tasks.
 */
export function trackerTask(issue: TrackerIssue, source: RawTrackerSource, raw: Raw, taskIds: ReadonlySet<string>, ctx: TrackerTaskContext): Raw {
  const program = isRecord(raw.program) ? raw.program : {};
  const ws = isRecord(raw.workstreams) && isRecord(raw.workstreams[source.workstreamId]) ? (raw.workstreams[source.workstreamId] as Raw) : {};
  const validZone = (z: unknown) => (typeof z === 'string' && IANAZone.create(z).isValid ? z : undefined);
  const programZone = validZone(program.timezone) ?? 'UTC';
  const wsZone = validZone(ws.timezone) ?? programZone;
  const lead = Array.isArray(ws.leads) && ws.leads.length ? ws.leads[0] : program.pm;
  const task: Raw = { id: issue.key, title: issue.title.trim().slice(0, 200) || issue.key };
  const userId = issue.assigneeEmail ? ctx.userIdByEmail.get(emailKey(issue.assigneeEmail)) : undefined;
  task.owner = userId ?? lead;
  if (!userId && issue.assigneeEmail) task.owner_unmatched = issue.assigneeEmail;
  const dueHour = typeof source.settings.due_hour === 'string' ? source.settings.due_hour : DEFAULT_DUE_HOUR;
  const due = localDue(issue.due, dueHour, programZone, wsZone);
  if (due) task.due = due;
  const perPoint = typeof source.settings.hours_per_point === 'number' ? source.settings.hours_per_point : DEFAULT_HOURS_PER_POINT;
  const hours = !issue.estimate ? null : 'hours' in issue.estimate ? issue.estimate.hours : issue.estimate.points * perPoint;
  if (hours !== null && hours > 0) task.estimate = Math.min(1_000, Math.round(hours * 100) / 100);
  if (issue.priority) task.priority = issue.priority;
  const requires = [...new Set(issue.blockedBy)].filter((k) => k !== issue.key && taskIds.has(k));
  if (requires.length) task.requires = requires;
  task.url = issue.url;
  task.source = { tracker: source.kind, label: source.label };
  return task;
}

/**
 * The raw config document with each configured source's stored issues added to its workstream's `tasks` (a new
 * document; the input is not changed). Rows of a source no longer configured (or of another kind now) are left out.
 * @throws ConfigError when a key is also a task id of the file (any case): `task id LAUNCH-42 is in preflight.yml
 *   (workstreams.x.tasks[3]) and in Jira LAUNCH`, or is in two sources; one problem per clash.
 */
export function addTrackerTasks(raw: unknown, rows: readonly StoredTrackerIssue[], ctx: TrackerTaskContext): unknown {
  const sources = rawTrackerSources(raw);
  if (!sources.length || !rows.length || !isRecord(raw)) return raw;
  const doc = structuredClone(raw);
  const bySource = new Map(sources.map((s) => [s.sourceId, s]));
  const kept = rows.filter((r) => bySource.has(r.sourceId));
  const fileIds = new Map<string, string>(); // upper-cased id → where
  const exactIds = new Set<string>();
  for (const [wsId, ws] of Object.entries(isRecord(doc.workstreams) ? doc.workstreams : {})) {
    const tasks = isRecord(ws) && Array.isArray(ws.tasks) ? (ws.tasks as unknown[]) : [];
    tasks.forEach((t, i) => {
      if (!isRecord(t) || typeof t.id !== 'string') return;
      fileIds.set(t.id.toUpperCase(), `workstreams.${wsId}.tasks[${i}]`);
      exactIds.add(t.id);
    });
  }
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, RawTrackerSource>();
  for (const r of kept) {
    const source = bySource.get(r.sourceId)!;
    const key = r.issue.key.toUpperCase();
    const inFile = fileIds.get(key);
    const other = seen.get(key);
    const path = `workstreams.${source.workstreamId}.tasks_from.${source.index}`;
    if (inFile) problems.push({ file: ctx.file, path, message: `task id ${r.issue.key} is in ${ctx.file} (${inFile}) and in ${source.label}; rename one, or narrow the source's filter` });
    else if (other) problems.push({ file: ctx.file, path, message: `task id ${r.issue.key} is in ${other.label} and in ${source.label}; narrow one source's filter` });
    seen.set(key, source);
    exactIds.add(r.issue.key);
  }
  if (problems.length) throw new ConfigError(problems);
  const ordered = [...kept].sort((a, b) => a.sourceId.localeCompare(b.sourceId) || compareTaskIds(a.issue.key, b.issue.key));
  for (const r of ordered) {
    const source = bySource.get(r.sourceId)!;
    const ws = (doc.workstreams as Raw)[source.workstreamId] as Raw;
    if (!Array.isArray(ws.tasks)) ws.tasks = [];
    (ws.tasks as unknown[]).push(trackerTask(r.issue, source, doc, exactIds, ctx));
  }
  return doc;
}
