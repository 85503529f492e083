import { createHmac, randomUUID } from 'node:crypto';
import { json, type StandInReply, type StandInRequest, type WebhookDelivery } from './reply.js';
import { STATUSES, type StandInStatus, type StoredChange, type StoredIssue, type StoredSource, type TrackerStore } from './store.js';

/*
 * The Linear face of the tracker stand-in (issue 21): `POST /graphql`, answering the documents
 * src/services/trackers/linear/queries.ts sends, in the shapes of Linear's GraphQL schema (linear.app/developers/graphql):
 *   issues(filter, first, after)   → { nodes, pageInfo { hasNextPage endCursor } }; filter: team.key, labels.some.name,
 *                                    number (project filters are not read: every issue matches)
 *   viewer { id }, issue(id) { id state team { states } }, issueUpdate(id, input), commentCreate(input)
 * Anything else is Linear's GRAPHQL_VALIDATION_FAILED error. The webhook is Linear's data-change delivery (`Issue`
 * update, `Comment` create) with `Linear-Signature`: the hex HMAC-SHA256 of the raw body with the signing secret, and
 * `webhookTimestamp` (epoch ms) in the body, as linear.app/developers/webhooks describes.
 */

/** The team's workflow: status → Linear state (type and position). */
const STATES: Record<StandInStatus, { type: string; position: number; color: string }> = {
  'To Do': { type: 'unstarted', position: 1, color: '#e2e2e2' },
  'In Progress': { type: 'started', position: 2, color: '#f2c94c' },
  Done: { type: 'completed', position: 3, color: '#5e6ad2' },
};
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const teamId = (source: StoredSource) => `7e40${hex(source.key.length, 4)}-0000-4000-8000-${hex(Buffer.from(source.key).readUIntBE(0, Math.min(6, source.key.length)), 12)}`;
const stateId = (source: StoredSource, s: StandInStatus) => `${teamId(source).slice(0, 24)}${hex(STATES[s].position, 12)}`;
const issueUuid = (source: StoredSource, n: number) => `${teamId(source).slice(0, 19)}9${hex(n, 3).slice(-3)}-${hex(n, 12)}`;
const userId = (email: string) => `u5e7${Buffer.from(email).toString('hex').slice(0, 28).padEnd(28, '0')}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');

/** An issue as the adapter's ISSUE_FIELDS select it (plus `id`, `number` and the team). */
export function linearIssue(source: StoredSource, i: StoredIssue): Record<string, unknown> {
  const identifier = `${source.key}-${i.number}`;
  return {
    id: issueUuid(source, i.number),
    identifier,
    number: i.number,
    title: i.title,
    url: `https://linear.app/sandbox/issue/${identifier}`,
    dueDate: i.due,
    estimate: i.points,
    priority: i.priority,
    createdAt: new Date(i.createdAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
    assignee: i.assignee ? { id: userId(i.assignee.email), name: i.assignee.name, email: i.assignee.email } : null,
    state: { id: stateId(source, i.status), name: i.status, type: STATES[i.status].type },
    inverseRelations: { nodes: i.blockedBy.map((b) => ({ type: 'blocks', issue: { identifier: `${source.key}-${b}` } })) },
  };
}

const gqlError = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  json(status, { errors: [{ message, extensions: { code, type: code.toLowerCase().replace(/_/g, ' '), userError: true, userPresentableMessage: message } }] }, headers);

/** The answer Linear gives when rate limited: HTTP 400 with a RATELIMITED error and the exhausted budget's headers. */
export function linearRateLimited(retryAfterS: number, nowMs: number): StandInReply {
  return gqlError(400, 'RATELIMITED', 'Rate limit exceeded', {
    'retry-after': String(retryAfterS),
    'x-ratelimit-requests-limit': '5000',
    'x-ratelimit-requests-remaining': '0',
    'x-ratelimit-requests-reset': String(nowMs + retryAfterS * 1000),
  });
}

/** The source and issue an id names: a UUID this face gave, or an identifier (`ENG-12`), as Linear accepts both. */
function findIssue(store: TrackerStore, id: string): { source: StoredSource; issue: StoredIssue } | undefined {
  for (const source of store.sources.filter((s) => s.kind === 'linear')) {
    const m = /^(.+)-(\d+)$/.exec(id);
    if (m && m[1]!.toUpperCase() === source.key.toUpperCase()) {
      const issue = store.issue(source, Number(m[2]));
      if (issue) return { source, issue };
    }
    const issue = source.issues.find((i) => issueUuid(source, i.number) === id);
    if (issue) return { source, issue };
  }
  return undefined;
}

/** Whether `i` passes an IssueFilter's label and number parts (the team is chosen before). */
function matches(i: StoredIssue, filter: Record<string, any>): boolean {
  const label = filter.labels?.some?.name?.eqIgnoreCase;
  if (typeof label === 'string' && !i.labels.some((l) => l.toLowerCase() === label.toLowerCase())) return false;
  const number = filter.number?.eq;
  return typeof number !== 'number' || i.number === number;
}

/** Answers `POST /graphql`, or undefined for another path. Mutations change the store (which sends the webhook). */
export function handleLinear(store: TrackerStore, req: StandInRequest): StandInReply | undefined {
  if (req.url.pathname !== '/graphql' || req.method !== 'POST') return undefined;
  if (!req.headers.authorization) return gqlError(401, 'AUTHENTICATION_ERROR', 'Authentication required, not authenticated');
  const { query = '', variables = {} } = (req.body ?? {}) as { query?: string; variables?: Record<string, any> };
  if (/\bissues\s*\(/.test(query)) {
    const filter = (variables.filter ?? {}) as Record<string, any>;
    const team = filter.team?.key?.eqIgnoreCase ?? filter.team?.key?.eq;
    const source = store.sources.find((s) => s.kind === 'linear' && (team === undefined || s.key.toLowerCase() === String(team).toLowerCase()));
    const first = Number(variables.first ?? 50);
    if (!Number.isInteger(first) || first < 1 || first > 250) return gqlError(400, 'INVALID_INPUT', 'first must be between 1 and 250');
    const all = source ? source.issues.filter((i) => matches(i, filter)) : [];
    const from = variables.after
      ? Number(
          Buffer.from(String(variables.after), 'base64url')
            .toString()
            .replace(/^after:/, ''),
        )
      : 0;
    const page = all.slice(from, from + first);
    const cursor = (n: number) => Buffer.from(`after:${n}`).toString('base64url');
    return json(200, {
      data: {
        issues: {
          nodes: page.map((i) => linearIssue(source!, i)),
          pageInfo: { hasNextPage: from + first < all.length, hasPreviousPage: from > 0, startCursor: page.length ? cursor(from) : null, endCursor: page.length ? cursor(from + page.length) : null },
        },
      },
    });
  }
  if (/\bviewer\b/.test(query)) return json(200, { data: { viewer: { id: userId('preflight-bot@example.com'), name: 'Preflight', email: 'preflight-bot@example.com' } } });
  if (/\bissueUpdate\s*\(/.test(query)) {
    const input = (variables.input ?? variables) as Record<string, any>;
    const found = findIssue(store, String(variables.id ?? ''));
    if (!found) return gqlError(200, 'ENTITY_NOT_FOUND', 'Entity not found: Issue');
    const key = `${found.source.key}-${found.issue.number}`;
    const status = input.stateId ? STATUSES.find((s) => stateId(found.source, s) === input.stateId) : undefined;
    if (input.stateId && !status) return gqlError(200, 'INVALID_INPUT', `stateId ${input.stateId} is not a workflow state of team ${found.source.key}`);
    const assignee = input.assigneeId === undefined ? undefined : input.assigneeId === null ? null : store.people.find((p) => userId(p.email) === input.assigneeId)?.email;
    store.editIssue(key, { ...(status ? { status } : {}), ...(assignee !== undefined ? { assigneeEmail: assignee } : {}), ...(input.dueDate !== undefined ? { due: input.dueDate } : {}) });
    return json(200, { data: { issueUpdate: { success: true, issue: { id: issueUuid(found.source, found.issue.number) } } } });
  }
  if (/\bcommentCreate\s*\(/.test(query)) {
    const input = (variables.input ?? variables) as Record<string, any>;
    const found = findIssue(store, String(input.issueId ?? ''));
    if (!found) return gqlError(200, 'ENTITY_NOT_FOUND', 'Entity not found: Issue');
    if (!input.body) return gqlError(200, 'INVALID_INPUT', 'body must not be empty');
    store.addComment(`${found.source.key}-${found.issue.number}`, String(input.body));
    return json(200, { data: { commentCreate: { success: true, comment: { id: randomUUID() } } } });
  }
  if (/\bissue\s*\(\s*id:/.test(query)) {
    const found = findIssue(store, String(variables.id ?? ''));
    if (!found) return gqlError(200, 'ENTITY_NOT_FOUND', 'Entity not found: Issue');
    const type = /type:\s*\{\s*eq:\s*"(\w+)"/.exec(query)?.[1];
    const states = STATUSES.filter((s) => type === undefined || STATES[s].type === type).map((s) => ({ id: stateId(found.source, s), name: s, type: STATES[s].type, position: STATES[s].position }));
    return json(200, {
      data: { issue: { id: issueUuid(found.source, found.issue.number), state: { type: STATES[found.issue.status].type }, team: { id: teamId(found.source), states: { nodes: states } } } },
    });
  }
  return gqlError(400, 'GRAPHQL_VALIDATION_FAILED', 'The tracker stand-in does not answer this query');
}

/**
 * Linear's webhook for a change: `{ action: 'update', type: 'Issue', data, updatedFrom, url, webhookTimestamp }` (a
 * comment: `{ action: 'create', type: 'Comment' }`), signed `Linear-Signature: <hex HMAC-SHA256 of the body>`.
 * `nowMs` is the delivery's `webhookTimestamp` (receivers refuse one older than 60 s).
 */
export function linearWebhook(c: StoredChange, secret: string, nowMs: number): WebhookDelivery {
  const issue = linearIssue(c.source, c.issue);
  const { inverseRelations: _relations, ...data } = issue;
  const team = { id: teamId(c.source), key: c.source.key, name: c.source.key };
  const base = { createdAt: new Date(c.issue.updatedAt).toISOString(), organizationId: '0a9e3c1d-5b7f-4e2a-8c6d-1f3b5d7e9a20', webhookId: randomUUID(), webhookTimestamp: nowMs };
  const payload = c.fields.includes('comment')
    ? {
        ...base,
        action: 'create',
        type: 'Comment',
        url: `${issue.url}#comment`,
        data: { id: randomUUID(), body: c.issue.comments.at(-1)?.body ?? '', issueId: issue.id, issue: { id: issue.id, identifier: issue.identifier, title: issue.title, team, url: issue.url } },
      }
    : {
        ...base,
        action: 'update',
        type: 'Issue',
        url: issue.url,
        data: {
          ...data,
          team,
          teamId: team.id,
          stateId: stateId(c.source, c.issue.status),
          assigneeId: c.issue.assignee ? userId(c.issue.assignee.email) : null,
          labels: c.issue.labels.map((name) => ({ name })),
        },
        updatedFrom: {
          updatedAt: new Date(c.before.updatedAt).toISOString(),
          ...(c.fields.includes('status') ? { stateId: stateId(c.source, c.before.status) } : {}),
          ...(c.fields.includes('assignee') ? { assigneeId: c.before.assignee ? userId(c.before.assignee.email) : null } : {}),
          ...(c.fields.includes('due') ? { dueDate: c.before.due } : {}),
        },
      };
  const rawBody = JSON.stringify(payload);
  return {
    rawBody,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Linear-Webhook',
      'linear-delivery': randomUUID(),
      'linear-event': payload.type,
      'linear-signature': createHmac('sha256', secret).update(rawBody).digest('hex'),
    },
  };
}
