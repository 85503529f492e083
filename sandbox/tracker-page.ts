import { UserError } from './bridge.js';
import type { SentWebhook, TrackerStandIn } from './tracker-stand-in/server.js';
import { STATUSES, type StandInKind, type StandInPerson, type StandInStatus, type StoredIssue, type StoredSource } from './tracker-stand-in/store.js';

/*
 * The sandbox page's "Tracker" view (issue 21): what the visitor sees of the tracker stand-in's issues, and the edits
 * they make there (status, assignee, due date) as a person would in Jira, Linear or GitHub. Each edit makes the
 * stand-in send that tracker's signed webhook to Preflight's `/webhooks/<kind>` (server.ts), whose answer is listed.
 *   GET  /api/tracker         → {@link TrackerView}
 *   POST /api/tracker/issue   { ref, status?, assigneeEmail?, due? } → { issue } (page-server.ts)
 */

const TRACKER_NAME: Record<StandInKind, string> = { jira: 'Jira', linear: 'Linear', github: 'GitHub' };
const PRIORITY: Record<StandInKind, readonly (string | null)[]> = {
  jira: [null, 'Highest', 'High', 'Medium', 'Low'],
  linear: [null, 'Urgent', 'High', 'Medium', 'Low'],
  github: [null, 'P0', 'P1', 'P2', 'P2'],
};

/** One issue as the page lists it. */
export interface TrackerViewIssue {
  /** The tracker's own reference, which edits name: `LAUNCH-3`, `ENG-3`, `acme/web#3`. */
  ref: string;
  /** The Preflight task id it becomes: `LAUNCH-3`, `ENG-3`, `web-3`. */
  taskId: string;
  title: string;
  status: StandInStatus;
  assignee: StandInPerson | null;
  /** `YYYY-MM-DD` or null. */
  due: string | null;
  /** The tracker's own priority name, or null. */
  priority: string | null;
  blockedBy: string[];
  comments: string[];
  /** ISO 8601, UTC. */
  updatedAt: string;
}

/** What the Tracker view shows. */
export interface TrackerView {
  sources: { kind: StandInKind; tracker: string; key: string; workstream: string | null; issues: TrackerViewIssue[] }[];
  people: StandInPerson[];
  statuses: readonly StandInStatus[];
  /** The last webhooks sent to Preflight, newest first (at most 10): the issue, Preflight's HTTP status or the error. */
  webhooks: SentWebhook[];
}

const ref = (s: StoredSource, n: number) => (s.kind === 'github' ? `${s.key}#${n}` : `${s.key}-${n}`);
const taskId = (s: StoredSource, n: number) => (s.kind === 'github' ? `${s.key.split('/')[1]}-${n}` : `${s.key}-${n}`);

function viewIssue(s: StoredSource, i: StoredIssue): TrackerViewIssue {
  return {
    ref: ref(s, i.number),
    taskId: taskId(s, i.number),
    title: i.title,
    status: i.status,
    assignee: i.assignee,
    due: i.due,
    priority: PRIORITY[s.kind][i.priority] ?? null,
    blockedBy: i.blockedBy.map((n) => ref(s, n)),
    comments: i.comments.map((c) => c.body),
    updatedAt: new Date(i.updatedAt).toISOString(),
  };
}

/**
 * The Tracker view of `tracker`'s issues.
 * @param workstreams the workstream each tracker's source feeds (sandbox/workspace/trackers.ts), shown beside it.
 */
export function trackerView(tracker: TrackerStandIn, workstreams: Partial<Record<StandInKind, string>> = {}): TrackerView {
  return {
    sources: tracker.store.sources.map((s) => ({ kind: s.kind, tracker: TRACKER_NAME[s.kind], key: s.key, workstream: workstreams[s.kind] ?? null, issues: s.issues.map((i) => viewIssue(s, i)) })),
    people: tracker.store.people,
    statuses: STATUSES,
    webhooks: tracker.webhooksSent.slice(-10).reverse(),
  };
}

/**
 * Applies a visitor's edit from the page: `{ ref, status?, assigneeEmail? (null or '' unassigns), due? (null or ''
 * clears) }`. The stand-in then sends the tracker's webhook.
 * @throws UserError naming the issue and the reason for an unknown issue, status, person or a malformed date, or an
 *   edit that names no field.
 */
export function editTrackerIssue(tracker: TrackerStandIn, body: Record<string, unknown>): TrackerViewIssue {
  const key = typeof body.ref === 'string' ? body.ref : '';
  if (!key) throw new UserError('name the issue to change: ref');
  const edit: { status?: StandInStatus; assigneeEmail?: string | null; due?: string | null } = {};
  if (body.status !== undefined) edit.status = String(body.status) as StandInStatus;
  if (body.assigneeEmail !== undefined) edit.assigneeEmail = body.assigneeEmail === null || body.assigneeEmail === '' ? null : String(body.assigneeEmail);
  if (body.due !== undefined) edit.due = body.due === null || body.due === '' ? null : String(body.due);
  if (Object.keys(edit).length === 0) throw new UserError(`${key}: nothing to change (status, assigneeEmail or due)`);
  try {
    tracker.store.editIssue(key, edit);
    const { source, issue } = tracker.store.find(key);
    return viewIssue(source, issue);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}
