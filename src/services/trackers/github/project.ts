import type { TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import { githubIssueKey, isDone, milestoneDueDate, priorityOf, priorityOfLabels } from './mapping.js';

/*
 * A Projects (v2) source through GraphQL (https://docs.github.com/en/issues/planning-and-tracking-with-projects/
 * automating-your-project/using-the-api-to-manage-projects): the project's items, 100 a page with a cursor, issue
 * items only (draft issues and pull requests are skipped), each with its field values (Status, Priority, Estimate,
 * a due date field).
 */

/** The fields of an issue the mapping reads, in an item's `content` and in `repository.issue`. */
const ISSUE_FIELDS = `
  id number title url state stateReason updatedAt
  repository { name owner { login } }
  assignees(first: 1) { nodes { login email } }
  labels(first: 30) { nodes { name } }
  milestone { dueOn }
  blockedBy(first: 20) { nodes { number repository { name owner { login } } projectItems(first: 20) { nodes { project { id } } } } }`;

/** The field values of an item (single select, number, date, text), with their field's name. */
const ITEM_FIELDS = `
  id isArchived
  fieldValues(first: 30) { nodes {
    ... on ProjectV2ItemFieldSingleSelectValue { name field { ... on ProjectV2FieldCommon { name } } }
    ... on ProjectV2ItemFieldNumberValue { number field { ... on ProjectV2FieldCommon { name } } }
    ... on ProjectV2ItemFieldDateValue { date field { ... on ProjectV2FieldCommon { name } } }
    ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2FieldCommon { name } } }
  } }`;

/**
 * One page of a project's items. `repositoryOwner` resolves an organization or a user, both ProjectV2Owner, so one
 * query serves `acme/5` and `octocat/5`.
 */
export const PROJECT_ITEMS_QUERY = `query ProjectItems($owner: String!, $number: Int!, $cursor: String) {
  repositoryOwner(login: $owner) { ... on ProjectV2Owner { projectV2(number: $number) {
    id
    items(first: 100, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes { ${ITEM_FIELDS} content { __typename ... on Issue { ${ISSUE_FIELDS} } } }
    }
  } } }
}`;

/** The project's node id (checkAuth; webhooks name the project by it). */
export const PROJECT_ID_QUERY = `query ProjectId($owner: String!, $number: Int!) {
  repositoryOwner(login: $owner) { ... on ProjectV2Owner { projectV2(number: $number) { id } } }
}`;

/** One issue with the project items it belongs to (getIssue of a project source). */
export const ISSUE_IN_PROJECTS_QUERY = `query IssueItems($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) { issue(number: $number) {
    ${ISSUE_FIELDS}
    projectItems(first: 50, includeArchived: false) { nodes { project { id } ${ITEM_FIELDS} } }
  } }
}`;

export interface GqlRepoRef {
  name: string;
  owner: { login: string };
}

export interface GqlIssue {
  __typename?: string;
  id: string;
  number: number;
  title: string;
  url: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: string | null;
  updatedAt: string;
  repository: GqlRepoRef;
  assignees: { nodes: { login: string; email: string | null }[] };
  labels: { nodes: { name: string }[] } | null;
  milestone: { dueOn: string | null } | null;
  blockedBy?: { nodes: { number: number; repository: GqlRepoRef; projectItems: { nodes: { project: { id: string } }[] } }[] };
}

export interface GqlFieldValue {
  name?: string | null;
  number?: number | null;
  date?: string | null;
  text?: string | null;
  field?: { name?: string };
}

export interface GqlItem {
  id: string;
  isArchived: boolean;
  fieldValues: { nodes: GqlFieldValue[] };
  content?: GqlIssue | { __typename: string } | null;
  project?: { id: string };
}

export interface ProjectItemsAnswer {
  repositoryOwner: { projectV2?: { id: string; items: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlItem[] } } | null } | null;
}

export interface IssueItemsAnswer {
  repository: { issue: (GqlIssue & { projectItems: { nodes: GqlItem[] } }) | null } | null;
}

/** Field names, compared case-insensitively, that hold each mapped value. */
const ESTIMATE_FIELDS = ['estimate', 'points', 'story points', 'size points'];
const DUE_FIELDS = ['due', 'due date', 'target date', 'end date'];

/** The value of the item's field named one of `names` (case-insensitive), or undefined. */
function field(item: GqlItem, names: readonly string[]): GqlFieldValue | undefined {
  return item.fieldValues.nodes.find((v) => v?.field?.name !== undefined && names.includes(v.field.name.trim().toLowerCase()));
}

/** Whether the item's content is an issue (not a draft issue or a pull request, and not a redacted item). */
export function isIssueContent(content: GqlItem['content']): content is GqlIssue {
  return !!content && content.__typename === 'Issue';
}

/**
 * A project item holding an issue, as a TrackerIssue. Status: the project's "Status" single-select value, else the
 * issue's open/closed; done: the issue is closed (any reason, as mapping.ts `isDone`); priority: the "Priority"
 * single-select (P0–P2, or Urgent/High → P0, Medium → P1, Low → P2), else the labels; estimate: a number field named
 * Estimate / Points / Story Points, in points; due: a date field named Due / Due date / Target date / End date, else
 * the milestone's due date; blockedBy: "blocked by" dependencies that are items of the same project.
 */
export function mapProjectItem(projectId: string, item: GqlItem, issue: GqlIssue): TrackerIssue {
  const status = field(item, ['status'])?.name ?? issue.state.toLowerCase();
  const priorityName = field(item, ['priority'])?.name;
  const estimate = field(item, ESTIMATE_FIELDS)?.number;
  const dueField = field(item, DUE_FIELDS)?.date;
  const due = milestoneDueDate(dueField ?? issue.milestone?.dueOn);
  const assignee = issue.assignees.nodes[0] ?? null;
  return {
    key: githubIssueKey(issue.repository.name, issue.number),
    title: issue.title,
    url: issue.url,
    assigneeEmail: assignee?.email || null,
    assigneeName: assignee?.login ?? null,
    due: due ? { date: due } : null,
    estimate: typeof estimate === 'number' ? { points: estimate } : null,
    status,
    done: isDone(issue.state),
    priority: (priorityName ? priorityOf(priorityName, { bare: true }) : null) ?? priorityOfLabels((issue.labels?.nodes ?? []).map((l) => l.name)),
    blockedBy: (issue.blockedBy?.nodes ?? []).filter((b) => b.projectItems.nodes.some((p) => p.project.id === projectId)).map((b) => githubIssueKey(b.repository.name, b.number)),
    updatedAt: issue.updatedAt,
  };
}
