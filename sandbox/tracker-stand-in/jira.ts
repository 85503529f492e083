import { createHmac, randomUUID } from 'node:crypto';
import { json, type StandInReply, type StandInRequest, type WebhookDelivery } from './reply.js';
import type { StandInPerson, StandInStatus, StoredChange, StoredIssue, StoredSource, TrackerStore } from './store.js';

/*
 * The Jira Cloud face of the tracker stand-in (issue 21), answering what src/services/trackers/jira/ sends, in the
 * shapes of Atlassian's REST v3 reference (developer.atlassian.com/cloud/jira/platform/rest/v3/):
 *   POST /rest/api/3/search/jql           enhanced search: { jql, fields, maxResults, nextPageToken } → { issues, nextPageToken?, isLast }
 *   POST /rest/api/2/search               Data Center search by startAt (same issues)
 *   GET  /rest/api/{3,2}/issue/{key|id}   one issue (`fields=` honoured)
 *   GET/POST /rest/api/{3,2}/issue/{key}/transitions, POST …/comment, GET /rest/api/{3,2}/myself, GET …/serverInfo
 * JQL: only `project = KEY` / `project in (KEY)` and `issue = KEY|id` are read (anything else in the query, such as
 * `labels = omega`, matches every issue); issues come ordered by key.
 * Webhooks: `jira:issue_updated` (with a changelog) or `comment_created`, signed `X-Hub-Signature: sha256=<hex>`
 * (HMAC-SHA256 of the raw body with the webhook's secret), as Jira Cloud signs admin webhooks registered with a secret.
 */

/** Cloud's default workflow: status → its id and category (`new`, `indeterminate`, `done`). */
const STATUS: Record<StandInStatus, { id: string; category: { id: number; key: string; name: string; colorName: string } }> = {
  'To Do': { id: '10000', category: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } },
  'In Progress': { id: '3', category: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' } },
  Done: { id: '10001', category: { id: 3, key: 'done', name: 'Done', colorName: 'green' } },
};
/** The workflow's transitions (any status to any other), by id. */
const TRANSITIONS: { id: string; name: string; to: StandInStatus }[] = [
  { id: '11', name: 'To Do', to: 'To Do' },
  { id: '21', name: 'Start progress', to: 'In Progress' },
  { id: '31', name: 'Done', to: 'Done' },
];
/** Linear-style priority number → Jira's default priority scheme (0: the issue has none). */
const PRIORITY = [null, 'Highest', 'High', 'Medium', 'Low'] as const;
/** The story points custom field of Jira Cloud's default scheme. */
export const JIRA_POINTS_FIELD = 'customfield_10016';
/** Hours of original estimate per point, in generated issues (`timeoriginalestimate` = points × this × 3600 s). */
export const JIRA_HOURS_PER_POINT = 4;

/** Jira's timestamp format: `2026-03-05T14:00:00.000+0000` (UTC). */
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const issueId = (n: number) => String(10_000 + n);
const accountId = (p: StandInPerson) => `557058:${Buffer.from(p.email).toString('hex').slice(0, 24)}`;
const user = (base: string, p: StandInPerson) => ({
  self: `${base}/rest/api/3/user?accountId=${accountId(p)}`,
  accountId: accountId(p),
  emailAddress: p.email,
  displayName: p.name,
  active: true,
  timeZone: 'UTC',
  accountType: 'atlassian',
});
const statusOf = (base: string, s: StandInStatus) => ({
  self: `${base}/rest/api/3/status/${STATUS[s].id}`,
  name: s,
  id: STATUS[s].id,
  statusCategory: { self: `${base}/rest/api/3/statuscategory/${STATUS[s].category.id}`, ...STATUS[s].category },
});

/** Every field of an issue, as GET issue returns them. */
function allFields(base: string, source: StoredSource, i: StoredIssue): Record<string, unknown> {
  const priority = PRIORITY[i.priority];
  return {
    summary: i.title,
    assignee: i.assignee ? user(base, i.assignee) : null,
    duedate: i.due,
    timeoriginalestimate: i.points === null ? null : i.points * JIRA_HOURS_PER_POINT * 3600,
    [JIRA_POINTS_FIELD]: i.points,
    status: statusOf(base, i.status),
    priority: priority ? { self: `${base}/rest/api/3/priority/${i.priority}`, name: priority, id: String(i.priority) } : null,
    issuelinks: i.blockedBy.map((b) => ({
      id: `${issueId(i.number)}${b}`,
      type: { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks', self: `${base}/rest/api/3/issueLinkType/10000` },
      inwardIssue: { id: issueId(b), key: `${source.key}-${b}`, self: `${base}/rest/api/3/issue/${issueId(b)}` },
    })),
    labels: i.labels,
    created: jiraTime(i.createdAt),
    updated: jiraTime(i.updatedAt),
  };
}

/** An issue resource with the `fields` asked for (`*all`, `*navigable` or none: every field). */
export function jiraIssue(base: string, source: StoredSource, i: StoredIssue, fields?: readonly string[]): Record<string, unknown> {
  const all = allFields(base, source, i);
  const wanted = !fields || fields.length === 0 || fields.some((f) => f.startsWith('*')) ? all : Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]]));
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issueId(i.number),
    self: `${base}/rest/api/3/issue/${issueId(i.number)}`,
    key: `${source.key}-${i.number}`,
    fields: wanted,
  };
}

const errors = (status: number, ...messages: string[]) => json(status, { errorMessages: messages, errors: {} });

/** What a JQL selects: the source (its `project`, else the first Jira source) and, with `issue = …`, one issue. */
function select(store: TrackerStore, jql: string): { source: StoredSource; only?: StoredIssue } | StandInReply {
  const project = /\bproject\s*(?:=\s*"?([A-Za-z][A-Za-z0-9_]*)"?|in\s*\(\s*"?([A-Za-z][A-Za-z0-9_]*)"?)/i.exec(jql);
  const key = project?.[1] ?? project?.[2];
  const source = key ? store.source('jira', key) : store.firstOf('jira');
  if (!source) return errors(400, `The value '${key}' does not exist for the field 'project'.`);
  const one = /\bissue\s*=\s*"?([A-Za-z][A-Za-z0-9_]*-\d+|\d+)"?/i.exec(jql)?.[1];
  if (one === undefined) return { source };
  const found = findIssue(store, one);
  if (!found) return errors(400, `An issue with key '${one}' does not exist for field 'issue'.`);
  return found.source === source ? { source, only: found.issue } : { source };
}

/** An issue by key (`LAUNCH-42`) or id (`10042`: 10,000 + its number, so ids name issues of the first Jira source only) among the Jira sources. */
function findIssue(store: TrackerStore, keyOrId: string): { source: StoredSource; issue: StoredIssue } | undefined {
  if (/^\d+$/.test(keyOrId)) {
    const source = store.firstOf('jira');
    const issue = source && store.issue(source, Number(keyOrId) - 10_000);
    return source && issue ? { source, issue } : undefined;
  }
  const m = /^(.+)-(\d+)$/.exec(keyOrId);
  const source = m ? store.source('jira', m[1]!) : undefined;
  const issue = source && store.issue(source, Number(m![2]));
  return source && issue ? { source, issue } : undefined;
}

/** The text of an ADF document (Cloud comments) or the string itself (Data Center). */
function plainText(body: unknown): string {
  if (typeof body === 'string') return body;
  const walk = (n: unknown): string => {
    if (!n || typeof n !== 'object') return '';
    const node = n as { type?: string; text?: string; content?: unknown[] };
    if (node.type === 'text') return node.text ?? '';
    if (node.type === 'hardBreak') return '\n';
    const inner = (node.content ?? []).map(walk).join('');
    return node.type === 'paragraph' ? `${inner}\n\n` : inner;
  };
  return walk(body).trim();
}

/**
 * Answers a Jira request, or undefined when the path is not Jira's. `base` is the stand-in's URL (for `self` links).
 * Transitions and comments change the store (which sends the webhook).
 */
export function handleJira(store: TrackerStore, req: StandInRequest, base: string): StandInReply | undefined {
  const path = req.url.pathname;
  const b = (req.body ?? {}) as Record<string, any>;
  if (req.method === 'POST' && path === '/rest/api/3/search/jql') {
    const sel = select(store, String(b.jql ?? ''));
    if (!('source' in sel)) return sel;
    const max = Math.min(Math.max(Number(b.maxResults) || 50, 1), 5000);
    const from = b.nextPageToken
      ? Number(
          Buffer.from(String(b.nextPageToken), 'base64url')
            .toString()
            .replace(/^offset:/, ''),
        )
      : 0;
    if (!Number.isSafeInteger(from) || from < 0) return errors(400, 'The nextPageToken is invalid.');
    const all = sel.only ? [sel.only] : sel.source.issues;
    const page = all.slice(from, from + max);
    const isLast = from + max >= all.length;
    return json(200, {
      issues: page.map((i) => jiraIssue(base, sel.source, i, b.fields)),
      ...(isLast ? {} : { nextPageToken: Buffer.from(`offset:${from + max}`).toString('base64url') }),
      isLast,
    });
  }
  if (req.method === 'POST' && path === '/rest/api/2/search') {
    const sel = select(store, String(b.jql ?? ''));
    if (!('source' in sel)) return sel;
    const startAt = Number(b.startAt) || 0;
    const max = Math.min(Math.max(Number(b.maxResults) || 50, 1), 1000);
    const all = sel.only ? [sel.only] : sel.source.issues;
    return json(200, { expand: 'schema,names', startAt, maxResults: max, total: all.length, issues: all.slice(startAt, startAt + max).map((i) => jiraIssue(base, sel.source, i, b.fields)) });
  }
  const api = /^\/rest\/api\/[23]\/(.*)$/.exec(path)?.[1];
  if (api === undefined) return undefined;
  if (req.method === 'GET' && api === 'myself') return json(200, { ...user(base, { name: 'Preflight', email: 'preflight-bot@example.com' }), locale: 'en_US' });
  if (req.method === 'GET' && api === 'serverInfo') return json(200, { baseUrl: base, version: '1001.0.0', deploymentType: 'Cloud', serverTitle: 'Jira stand-in' });
  const m = /^issue\/([^/]+)(?:\/(transitions|comment))?$/.exec(api);
  if (!m) return errors(404, `No Jira resource at ${path} in the stand-in.`);
  const found = findIssue(store, decodeURIComponent(m[1]!));
  if (!found) return errors(404, 'Issue does not exist or you do not have permission to see it.');
  const { source, issue } = found;
  const key = `${source.key}-${issue.number}`;
  if (!m[2] && req.method === 'GET') return json(200, jiraIssue(base, source, issue, req.url.searchParams.get('fields')?.split(',')));
  if (m[2] === 'transitions' && req.method === 'GET') {
    return json(200, {
      expand: 'transitions',
      transitions: TRANSITIONS.filter((t) => t.to !== issue.status).map((t) => ({
        id: t.id,
        name: t.name,
        to: statusOf(base, t.to),
        hasScreen: false,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      })),
    });
  }
  if (m[2] === 'transitions' && req.method === 'POST') {
    const t = TRANSITIONS.find((x) => x.id === String(b.transition?.id) && x.to !== issue.status);
    if (!t) return json(400, { errorMessages: [], errors: { transition: `Transition id '${b.transition?.id}' is not valid for this issue.` } });
    store.moveIssue(key, t.to);
    return { status: 204 };
  }
  if (m[2] === 'comment' && req.method === 'POST') {
    const text = plainText(b.body);
    if (!text) return json(400, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
    store.addComment(key, text);
    const at = jiraTime(store.now());
    const id = String(issue.comments.length + 10_000);
    return json(201, { self: `${base}/rest/api/3/issue/${issueId(issue.number)}/comment/${id}`, id, body: b.body, created: at, updated: at });
  }
  return errors(405, `${req.method} is not allowed on ${path}.`);
}

/** The changelog items of a change (Jira's `changelog.items`). */
function changelog(base: string, c: StoredChange): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (c.fields.includes('status')) {
    items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: STATUS[c.before.status].id, fromString: c.before.status, to: STATUS[c.issue.status].id, toString: c.issue.status });
  }
  if (c.fields.includes('assignee')) {
    const who = (p: StandInPerson | null) => (p ? user(base, p) : null);
    items.push({
      field: 'assignee',
      fieldtype: 'jira',
      fieldId: 'assignee',
      from: who(c.before.assignee)?.accountId ?? null,
      fromString: c.before.assignee?.name ?? null,
      to: who(c.issue.assignee)?.accountId ?? null,
      toString: c.issue.assignee?.name ?? null,
    });
  }
  if (c.fields.includes('due')) items.push({ field: 'duedate', fieldtype: 'jira', fieldId: 'duedate', from: c.before.due, fromString: c.before.due, to: c.issue.due, toString: c.issue.due });
  return items;
}

/**
 * The webhook Jira Cloud sends for a change: `jira:issue_updated` with the whole issue and a changelog, or
 * `comment_created` for a comment; signed `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>` with `secret`.
 */
export function jiraWebhook(base: string, c: StoredChange, secret: string): WebhookDelivery {
  const actor = { self: `${base}/rest/api/2/user?accountId=557058:sandbox`, accountId: '557058:sandbox', displayName: 'Sandbox visitor', active: true, timeZone: 'UTC', accountType: 'atlassian' };
  const issue = jiraIssue(base, c.source, c.issue);
  const payload = c.fields.includes('comment')
    ? {
        timestamp: c.issue.updatedAt,
        webhookEvent: 'comment_created',
        comment: { id: String(10_000 + c.issue.comments.length), body: c.issue.comments.at(-1)?.body ?? '', author: actor, created: jiraTime(c.issue.updatedAt) },
        issue: { id: issue.id, key: issue.key, self: issue.self, fields: { summary: c.issue.title } },
      }
    : {
        timestamp: c.issue.updatedAt,
        webhookEvent: 'jira:issue_updated',
        issue_event_type_name: c.fields.includes('assignee') ? 'issue_assigned' : 'issue_generic',
        user: actor,
        issue,
        changelog: { id: String(c.issue.updatedAt), items: changelog(base, c) },
      };
  const rawBody = JSON.stringify(payload);
  return {
    rawBody,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': randomUUID(),
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`,
    },
  };
}
