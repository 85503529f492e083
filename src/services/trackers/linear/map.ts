import type { Severity } from '../../../domain/blockers/ladder.js';
import type { TrackerChange, TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import type { LinearSourceConfig } from '../../../config/schema/tasks-from.js';

/*
 * Linear → tracker-neutral shapes (issue 21): the GraphQL issue node the adapter asks for (queries.ts) and the
 * webhook payloads Linear posts (https://linear.app/developers/webhooks), mapped per TrackerIssue's docstring and the
 * table in docs/trackers.md. Pure: no I/O.
 */

/** The fields of one issue as `ISSUE_FIELDS` (queries.ts) selects them; Linear's `Issue` type, trimmed. */
export interface LinearIssueNode {
  identifier: string;
  title: string;
  url: string;
  /** TimelessDate, `YYYY-MM-DD`. */
  dueDate: string | null;
  /** Points on the team's estimate scale. */
  estimate: number | null;
  /** 0 none, 1 Urgent, 2 High, 3 Medium, 4 Low. */
  priority: number;
  /** ISO 8601, UTC. */
  updatedAt: string;
  assignee: { name: string; email: string | null } | null;
  /** `type`: triage, backlog, unstarted, started, completed or canceled. */
  state: { name: string; type: string };
  /** Relations in which this issue is the `relatedIssue`: type `blocks` means `issue` blocks this one. */
  inverseRelations: { nodes: { type: string; issue: { identifier: string } }[] };
}

/** Linear's numeric priority → Preflight severity: 1 Urgent → P0, 2 High → P1, 3 Medium / 4 Low → P2, 0 (none) → null. */
export function linearPriority(priority: number | null | undefined): Severity | null {
  switch (priority) {
    case 1:
      return 'P0';
    case 2:
      return 'P1';
    case 3:
    case 4:
      return 'P2';
    default:
      return null;
  }
}

/** Whether a workflow state type is Linear's done category: `completed` or `canceled`. */
export function isDoneStateType(type: string): boolean {
  return type === 'completed' || type === 'canceled';
}

/**
 * Maps one issue node to a TrackerIssue. `blockedBy` holds the identifiers of the issues that block this one (inverse
 * relations of type `blocks`), limited to `teamKey`'s issues (the source's team; another team's issue cannot be a
 * task of this source), deduplicated, in the order Linear lists them.
 */
export function mapIssueNode(node: LinearIssueNode, teamKey: string): TrackerIssue {
  const blockedBy = [...new Set(node.inverseRelations.nodes.filter((r) => r.type === 'blocks' && belongsToTeam(r.issue.identifier, teamKey)).map((r) => r.issue.identifier))];
  return {
    key: node.identifier,
    title: node.title,
    url: node.url,
    assigneeEmail: node.assignee?.email ?? null,
    assigneeName: node.assignee?.name ?? null,
    due: node.dueDate ? { date: node.dueDate.slice(0, 10) } : null,
    estimate: typeof node.estimate === 'number' ? { points: node.estimate } : null,
    status: node.state.name,
    done: isDoneStateType(node.state.type),
    priority: linearPriority(node.priority),
    blockedBy,
    updatedAt: node.updatedAt,
  };
}

/** Whether an identifier (`ENG-12`) is one of the team `teamKey`'s issues (case-insensitive key). */
export function belongsToTeam(identifier: string, teamKey: string): boolean {
  const m = /^(.+)-(\d+)$/.exec(identifier);
  return m !== null && m[1]!.toUpperCase() === teamKey.toUpperCase();
}

/**
 * Linear's `IssueFilter` for a source: the team by key, and the project and label by name (any case), as documented
 * at https://linear.app/developers/filtering. `number` narrows to one issue (getIssue).
 */
export function issueFilter(source: Pick<LinearSourceConfig, 'team' | 'project' | 'label'>, number?: number): Record<string, unknown> {
  return {
    team: { key: { eqIgnoreCase: source.team } },
    ...(source.project ? { project: { name: { eqIgnoreCase: source.project } } } : {}),
    ...(source.label ? { labels: { some: { name: { eqIgnoreCase: source.label } } } } : {}),
    ...(number !== undefined ? { number: { eq: number } } : {}),
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * What one verified Linear webhook delivery means for a source (`{ action, type, data, updatedFrom, … }`,
 * https://linear.app/developers/webhooks):
 * - `Issue` of the source's team: `create` with every field we map → `upsert` from `data` (a new issue has no
 *   blocking relation yet; one added later arrives as an IssueRelation delivery); `update` → `refetch` (Issue
 *   payloads never carry relations, and the label or project may have left the filter, which the refetch sees);
 *   `remove` → `delete`. An issue moved to another team: `delete` of its former identifiers of the source's team.
 * - `IssueRelation` of type `blocks` (or one that was `blocks`): `refetch` of the blocked issue (`relatedIssue`).
 * - anything else (comments, projects, other teams, unknown shapes): `ignored`, with why. Never throws.
 */
export function parseLinearWebhook(body: unknown, source: Pick<LinearSourceConfig, 'team' | 'project' | 'label'>): TrackerChange[] {
  if (!isObject(body)) return [{ kind: 'ignored', why: 'the body is not a JSON object' }];
  const type = str(body.type);
  const action = str(body.action);
  const data = isObject(body.data) ? body.data : undefined;
  if (!data) return [{ kind: 'ignored', why: `a ${type ?? 'delivery'} without data` }];
  if (type === 'Issue') return issueChange(action, data, body, source);
  if (type === 'IssueRelation') return relationChange(action, data, body, source.team);
  return [{ kind: 'ignored', why: `a ${type ?? 'untyped'} ${action ?? ''} delivery is not about an issue`.replace(/ {2}/g, ' ') }];
}

function issueChange(action: string | undefined, data: Json, body: Json, source: Pick<LinearSourceConfig, 'team' | 'project' | 'label'>): TrackerChange[] {
  const key = str(data.identifier);
  if (!key) return [{ kind: 'ignored', why: 'an Issue delivery without an identifier' }];
  if (!belongsToTeam(key, source.team)) {
    // moved away from the source's team: its old key is gone from this source
    const former = Array.isArray(data.previousIdentifiers) ? data.previousIdentifiers.filter((k): k is string => typeof k === 'string' && belongsToTeam(k, source.team)) : [];
    if (action === 'update' && former.length > 0) return former.map((k) => ({ kind: 'delete', key: k }));
    return [{ kind: 'ignored', why: `${key} is not an issue of team ${source.team}` }];
  }
  if (action === 'remove') return [{ kind: 'delete', key }];
  if (action === 'update') return [{ kind: 'refetch', key }];
  if (action === 'create') {
    const issue = issueFromPayload(data, body, source);
    return [issue ? { kind: 'upsert', issue } : { kind: 'refetch', key }];
  }
  return [{ kind: 'ignored', why: `Issue action ${action ?? '(none)'} is not create, update or remove` }];
}

/** A new issue as the payload has it; null when a mapped field is missing or the issue is outside the project/label filter (then the caller refetches). */
function issueFromPayload(data: Json, body: Json, source: Pick<LinearSourceConfig, 'project' | 'label'>): TrackerIssue | null {
  const key = str(data.identifier);
  const title = typeof data.title === 'string' ? data.title : undefined;
  const url = str(data.url) ?? str(body.url);
  const state = isObject(data.state) ? data.state : undefined;
  const stateName = state ? str(state.name) : undefined;
  const stateType = state ? str(state.type) : undefined;
  const updatedAt = str(data.updatedAt);
  if (!key || title === undefined || !url || !stateName || !stateType || !updatedAt || typeof data.priority !== 'number') return null;
  if (source.project) {
    const project = isObject(data.project) ? str(data.project.name) : undefined;
    if (project?.toLowerCase() !== source.project.toLowerCase()) return null;
  }
  if (source.label) {
    const labels = Array.isArray(data.labels) ? data.labels : undefined;
    if (!labels?.some((l) => isObject(l) && str(l.name)?.toLowerCase() === source.label!.toLowerCase())) return null;
  }
  const assignee = isObject(data.assignee) ? data.assignee : undefined;
  if (data.assigneeId && !assignee) return null;
  return {
    key,
    title,
    url,
    assigneeEmail: (assignee && str(assignee.email)) ?? null,
    assigneeName: (assignee && str(assignee.name)) ?? null,
    due: str(data.dueDate) ? { date: (data.dueDate as string).slice(0, 10) } : null,
    estimate: typeof data.estimate === 'number' ? { points: data.estimate } : null,
    status: stateName,
    done: isDoneStateType(stateType),
    priority: linearPriority(data.priority),
    blockedBy: [],
    updatedAt,
  };
}

function relationChange(action: string | undefined, data: Json, body: Json, teamKey: string): TrackerChange[] {
  const updatedFrom = isObject(body.updatedFrom) ? body.updatedFrom : {};
  const wasBlocks = data.type === 'blocks' || updatedFrom.type === 'blocks';
  if (!wasBlocks) return [{ kind: 'ignored', why: `an IssueRelation of type ${String(data.type)} does not block` }];
  const blocked = isObject(data.relatedIssue) ? str(data.relatedIssue.identifier) : undefined;
  if (!blocked) return [{ kind: 'ignored', why: `an IssueRelation ${action ?? ''} delivery without relatedIssue.identifier` }];
  if (!belongsToTeam(blocked, teamKey)) return [{ kind: 'ignored', why: `${blocked} is not an issue of team ${teamKey}` }];
  return [{ kind: 'refetch', key: blocked }];
}
