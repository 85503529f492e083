import { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';
import type { TrackerChange } from '../../../domain/trackers/tracker-issue.js';
import type { WebhookHeaders } from '../adapter.js';
import { githubIssueKey, hasLabel, mapRestIssue, restIssueSchema } from './mapping.js';

/*
 * GitHub webhook deliveries (https://docs.github.com/en/webhooks/webhook-events-and-payloads): the signature check
 * and what an `issues` or `projects_v2_item` delivery means for one source.
 */

/** One header's value (the first when repeated). */
function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Whether `rawBody` carries GitHub's signature for `secret`: `x-hub-signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body>`, checked in constant time by @octokit/webhooks' `verify`
 * (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries). False for a missing or
 * malformed header, an empty secret or body; never throws.
 */
export async function verifyGithubSignature(headers: WebhookHeaders, rawBody: Buffer, secret: string): Promise<boolean> {
  const signature = header(headers, 'x-hub-signature-256');
  if (!secret || !signature || rawBody.length === 0 || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return false;
  try {
    return await new Webhooks({ secret }).verify(rawBody.toString('utf8'), signature);
  } catch {
    return false;
  }
}

/** `issues` actions that change what the task shows: the issue is mapped again (or dropped when it left the label filter). */
const UPSERT_ACTIONS = new Set(['opened', 'edited', 'closed', 'reopened', 'assigned', 'unassigned', 'labeled', 'unlabeled', 'milestoned', 'demilestoned']);
/** `issues` actions after which the issue is no longer in the repository. */
const DELETE_ACTIONS = new Set(['deleted', 'transferred']);

const issuesEventSchema = z.looseObject({
  action: z.string(),
  issue: restIssueSchema,
  repository: z.looseObject({ name: z.string(), full_name: z.string(), owner: z.looseObject({ login: z.string() }) }),
});

const projectItemEventSchema = z.looseObject({
  action: z.string(),
  projects_v2_item: z.looseObject({ project_node_id: z.string(), content_node_id: z.string().nullish(), content_type: z.string() }),
});

/** What the adapter knows that a delivery does not carry: the source, and the project items it has listed. */
export interface WebhookContext {
  /** `owner/name` of a repository source. */
  repo?: string;
  label?: string;
  /** A project source: its node id once known (listing or checkAuth), and issue node id → key of listed items. */
  project?: { id: string | undefined; keyOfIssueNode: ReadonlyMap<string, string> };
  /** Called with (key, owner, repo, number) of an issue a delivery names, so getIssue can find it later. */
  remember?: (key: string, owner: string, repo: string, num: number, nodeId?: string) => void;
}

/**
 * What a verified delivery says for one source (never throws):
 * - `issues` (repository source, same repository): opened/edited/closed/reopened/assigned/unassigned/labeled/
 *   unlabeled/milestoned/demilestoned → `upsert` with the mapped issue, `refetch` when it has "blocked by"
 *   dependencies (the payload does not list them), `delete` when it no longer carries the source's label;
 *   deleted/transferred → `delete`; other actions (pinned, locked, typed…) → ignored.
 * - `issues` (project source, an issue listed as an item of the project): the same actions → `refetch` (the
 *   project's fields are not in the payload), deleted/transferred → `delete`; an issue not listed is ignored (most
 *   issues of an organization are in no project; an item added since the last poll is read by the next poll).
 * - `projects_v2_item` (project source, this project, an issue item already listed): deleted/archived → `delete`,
 *   other actions → `refetch`. An item the adapter has not listed yet (added since the last poll) is ignored: the
 *   delivery carries only node ids, and the next reconcile poll lists it.
 * - `ping` and every other event → ignored.
 */
export function parseGithubWebhook(headers: WebhookHeaders, body: unknown, ctx: WebhookContext): TrackerChange[] {
  const event = header(headers, 'x-github-event') ?? '';
  if (event === 'issues') return parseIssuesEvent(body, ctx);
  if (event === 'projects_v2_item') return parseProjectItemEvent(body, ctx);
  return [{ kind: 'ignored', why: event === 'ping' ? 'ping' : `event ${event || '(none)'} is not read` }];
}

function parseIssuesEvent(body: unknown, ctx: WebhookContext): TrackerChange[] {
  const parsed = issuesEventSchema.safeParse(body);
  if (!parsed.success) return [{ kind: 'ignored', why: `issues payload not understood: ${parsed.error.issues[0]?.message ?? 'invalid'}` }];
  const { action, issue, repository } = parsed.data;
  if (issue.pull_request !== undefined) return [{ kind: 'ignored', why: 'a pull request' }];
  if (ctx.repo !== undefined && repository.full_name.toLowerCase() !== ctx.repo.toLowerCase()) {
    return [{ kind: 'ignored', why: `issue of ${repository.full_name}, not ${ctx.repo}` }];
  }
  const key = githubIssueKey(repository.name, issue.number);
  if (ctx.project && !(issue.node_id && ctx.project.keyOfIssueNode.has(issue.node_id))) {
    return [{ kind: 'ignored', why: 'an issue that was not an item of the project at the last listing; the next poll reads new items' }];
  }
  ctx.remember?.(key, repository.owner.login, repository.name, issue.number, issue.node_id);
  if (DELETE_ACTIONS.has(action)) return [{ kind: 'delete', key }];
  if (!UPSERT_ACTIONS.has(action)) return [{ kind: 'ignored', why: `issues.${action} changes nothing Preflight shows` }];
  if (ctx.project) return [{ kind: 'refetch', key }];
  if (!hasLabel(issue, ctx.label)) return [{ kind: 'delete', key }];
  if ((issue.issue_dependencies_summary?.blocked_by ?? 0) > 0) return [{ kind: 'refetch', key }];
  return [{ kind: 'upsert', issue: mapRestIssue(repository.name, issue, []) }];
}

function parseProjectItemEvent(body: unknown, ctx: WebhookContext): TrackerChange[] {
  if (!ctx.project) return [{ kind: 'ignored', why: 'a project item, and this source is a repository' }];
  const parsed = projectItemEventSchema.safeParse(body);
  if (!parsed.success) return [{ kind: 'ignored', why: `projects_v2_item payload not understood: ${parsed.error.issues[0]?.message ?? 'invalid'}` }];
  const { action, projects_v2_item: item } = parsed.data;
  if (ctx.project.id !== undefined && item.project_node_id !== ctx.project.id) return [{ kind: 'ignored', why: 'an item of another project' }];
  if (item.content_type !== 'Issue') return [{ kind: 'ignored', why: `a ${item.content_type} item` }];
  const key = item.content_node_id ? ctx.project.keyOfIssueNode.get(item.content_node_id) : undefined;
  if (key === undefined) return [{ kind: 'ignored', why: 'an issue item not listed yet; the next poll reads it' }];
  if (action === 'deleted' || action === 'archived') return [{ kind: 'delete', key }];
  return [{ kind: 'refetch', key }];
}
