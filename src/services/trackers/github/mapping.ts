import { z } from 'zod';
import type { Severity } from '../../../domain/program/severities.js';
import type { TrackerIssue } from '../../../domain/trackers/tracker-issue.js';

/*
 * GitHub issue → TrackerIssue (the mapping table in docs/trackers.md, section GitHub). Pure functions over the
 * REST issue shape (https://docs.github.com/en/rest/issues/issues, also the `issue` of an `issues` webhook
 * delivery) and the Projects v2 item fields read through GraphQL (project.ts).
 */

/** The task-id rule of preflight.yml (config/schema/tasks.ts). */
const TASK_ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * The task id of issue `number` of repository `repoName`: `<repo name>-<number>` (`launch-42`), sanitised to the
 * task-id rule `^[A-Za-z][A-Za-z0-9_-]{0,39}$`: characters other than letters, digits, `_` and `-` become `-`
 * (`web.app` → `web-app-7`), leading non-letters are dropped (`.github` → `github-3`; a name with no letter gives
 * `gh-3`), and the name is cut so the whole id fits 40 characters. The owner is not part of the id, so two
 * repositories of the same name in one project share ids (documented in docs/trackers.md).
 */
export function githubIssueKey(repoName: string, number: number): string {
  const suffix = `-${number}`;
  let name = repoName.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]+/, '');
  if (name === '') name = 'gh';
  name = name.slice(0, 40 - suffix.length);
  const key = `${name}${suffix}`;
  if (!TASK_ID.test(key)) throw new Error(`GitHub issue ${repoName}#${number} gives no valid task id (${key})`);
  return key;
}

/** The issue number at the end of a key made by {@link githubIssueKey}, or null when `key` has none. */
export function issueNumberOfKey(key: string): number | null {
  const m = /-(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

const PRIORITY_WORDS: Record<string, Severity> = {
  p0: 'P0',
  p1: 'P1',
  p2: 'P2',
  critical: 'P0',
  urgent: 'P0',
  highest: 'P0',
  high: 'P0',
  medium: 'P1',
  low: 'P2',
  lowest: 'P2',
};

/**
 * The severity a label or a Projects "Priority" option names: `P0`/`P1`/`P2` (any case, also `priority: P1`,
 * `priority/p1`, `P1 - high`), or the words critical/urgent/highest/high → P0, medium → P1, low/lowest → P2 after a
 * `priority` prefix (a bare `high` label is not a priority). Null when it names none.
 */
export function priorityOf(name: string, { bare }: { bare: boolean }): Severity | null {
  const text = name.trim().toLowerCase();
  const p = /^(?:priority\s*[:/\-_ ]\s*)?(p[0-2])\b/.exec(text);
  if (p) return PRIORITY_WORDS[p[1]!]!;
  const w = /^(?:priority\s*[:/\-_ ]\s*)([a-z]+)$/.exec(text) ?? (bare ? /^([a-z]+)$/.exec(text) : null);
  return (w && PRIORITY_WORDS[w[1]!]) || null;
}

/** The most severe of `names` (labels: P0 before P1 before P2), or null. */
export function priorityOfLabels(names: readonly string[]): Severity | null {
  const found = names.map((n) => priorityOf(n, { bare: false })).filter((s): s is Severity => s !== null);
  return found.sort()[0] ?? null;
}

/** A GitHub user as the REST API and webhooks give it; `email` only when the user made it public (rarely sent). */
const userSchema = z.looseObject({ login: z.string(), email: z.string().nullish() });

/**
 * The fields of a REST issue (and of an `issues` webhook's `issue`) the mapping reads; the rest is passed through.
 * https://docs.github.com/en/rest/issues/issues#get-an-issue
 */
export const restIssueSchema = z.looseObject({
  number: z.number().int().positive(),
  node_id: z.string().optional(),
  title: z.string(),
  html_url: z.string(),
  state: z.string(),
  state_reason: z.string().nullish(),
  updated_at: z.string(),
  assignee: userSchema.nullish(),
  assignees: z.array(userSchema).nullish(),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string().nullish() })])).default([]),
  milestone: z.looseObject({ due_on: z.string().nullish() }).nullish(),
  pull_request: z.unknown().optional(),
  issue_dependencies_summary: z.looseObject({ blocked_by: z.number() }).nullish(),
});
export type RestIssue = z.infer<typeof restIssueSchema>;

/** The label names of a REST issue (labels come as objects, or as strings in some payloads). */
export function labelNames(issue: Pick<RestIssue, 'labels'>): string[] {
  return issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');
}

/** Whether the issue carries `label` (GitHub label names are case-insensitive). True when no label filters. */
export function hasLabel(issue: Pick<RestIssue, 'labels'>, label: string | undefined): boolean {
  if (label === undefined) return true;
  const wanted = label.toLowerCase();
  return labelNames(issue).some((n) => n.toLowerCase() === wanted);
}

/** The calendar date (YYYY-MM-DD) of a milestone's `due_on` (an ISO instant; GitHub stores the day the milestone is due). */
export function milestoneDueDate(dueOn: string | null | undefined): string | null {
  const m = dueOn ? /^(\d{4}-\d{2}-\d{2})/.exec(dueOn) : null;
  return m ? m[1]! : null;
}

/**
 * Whether a GitHub issue counts as done: closed, whatever the reason. Closed as `completed` is done; closed as
 * `not_planned` or `duplicate` is done too (decided for issue 21: the task will not be worked on, so it must neither
 * escalate nor hold back the tasks that require it; its status reads "closed (not planned)").
 */
export function isDone(state: string): boolean {
  return state.toLowerCase() === 'closed';
}

/** The status a repository source shows: `open`, `closed`, or `closed (not planned)` / `closed (duplicate)`. */
export function restStatus(state: string, stateReason: string | null | undefined): string {
  const s = state.toLowerCase();
  if (s !== 'closed' || !stateReason || stateReason === 'completed') return s;
  return `closed (${stateReason.replace(/_/g, ' ')})`;
}

/**
 * A REST issue as a TrackerIssue. The assignee is the first of `assignees` (or `assignee`): its email when GitHub
 * sends one (only a public email, and the issues API usually sends none: then null and the sync falls back to the
 * workstream's lead), its login as the name. Due: the milestone's due date. Estimate: none (GitHub issues hold
 * none; a Projects source reads it from the project). Status: open/closed; priority from labels.
 * @param repoName the repository's name (not owner/name), for the key.
 * @param blockedBy keys of the issues this one is blocked by, already filtered to the source.
 */
export function mapRestIssue(repoName: string, issue: RestIssue, blockedBy: string[]): TrackerIssue {
  const assignee = issue.assignees?.[0] ?? issue.assignee ?? null;
  const due = milestoneDueDate(issue.milestone?.due_on);
  return {
    key: githubIssueKey(repoName, issue.number),
    title: issue.title,
    url: issue.html_url,
    assigneeEmail: assignee?.email || null,
    assigneeName: assignee?.login ?? null,
    due: due ? { date: due } : null,
    estimate: null,
    status: restStatus(issue.state, issue.state_reason),
    done: isDone(issue.state),
    priority: priorityOfLabels(labelNames(issue)),
    blockedBy,
    updatedAt: issue.updated_at,
  };
}
