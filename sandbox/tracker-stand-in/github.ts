import { createHmac, randomUUID } from 'node:crypto';
import { json, type StandInReply, type StandInRequest, type WebhookDelivery } from './reply.js';
import type { StandInPerson, StoredChange, StoredIssue, StoredSource, TrackerStore } from './store.js';

/*
 * The GitHub REST face of the tracker stand-in (issue 21), answering what src/services/trackers/github/ sends for a
 * repository source, in the shapes of docs.github.com/en/rest/issues:
 *   GET   /repos/{owner}/{repo}                                   the repository
 *   GET   /repos/{owner}/{repo}/issues?state=&labels=&per_page=&page=   up to 100 per page, `Link` rel="next"/"last"
 *   GET   /repos/{owner}/{repo}/issues/{n}, PATCH (state, state_reason, assignees, milestone due)
 *   GET   /repos/{owner}/{repo}/issues/{n}/dependencies/blocked_by, POST …/comments
 * GitHub issues are open or closed: "To Do" is open, "In Progress" is open with the label `in progress`, "Done" is
 * closed as completed. The due date is a milestone's `due_on`; priority is a `P0`–`P2` label. Users carry their
 * (public) `email`, which GitHub's simple-user includes when the user made it public. Webhooks: `issues` (closed,
 * reopened, labeled/unlabeled, assigned/unassigned, milestoned/demilestoned) and `issue_comment`, signed
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` (and the legacy `X-Hub-Signature` SHA-1), as
 * docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries describes.
 */

/** The label that marks an open issue as in progress. */
export const IN_PROGRESS_LABEL = 'in progress';
const PRIORITY_LABEL = [null, 'P0', 'P1', 'P2', 'P2'] as const;

const login = (p: StandInPerson) => p.email.split('@')[0]!.replace(/[^A-Za-z0-9-]/g, '-');
const ghUser = (base: string, p: StandInPerson) => {
  const id = Number.parseInt(Buffer.from(p.email).toString('hex').slice(0, 10), 16) % 90_000_000;
  return {
    login: login(p),
    id,
    node_id: `U_kgDO${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${base}/users/${login(p)}`,
    html_url: `https://github.com/${login(p)}`,
    type: 'User',
    site_admin: false,
    name: p.name,
    email: p.email,
  };
};
const repoOf = (base: string, s: StoredSource) => {
  const [owner, name] = s.key.split('/') as [string, string];
  return {
    id: 700_000_000 + s.key.length,
    node_id: `R_kgDO${s.key.length}`,
    name,
    full_name: s.key,
    private: true,
    owner: { login: owner, id: 9_000_000, node_id: 'O_kgDO9', type: 'Organization', site_admin: false, url: `${base}/users/${owner}` },
    html_url: `https://github.com/${s.key}`,
    url: `${base}/repos/${s.key}`,
    has_issues: true,
    open_issues_count: s.issues.filter((i) => i.status !== 'Done').length,
    default_branch: 'main',
  };
};

/** The labels an issue shows: the source's label, `in progress`, and its priority. */
function labels(i: StoredIssue): string[] {
  const p = PRIORITY_LABEL[i.priority];
  return [...i.labels, ...(i.status === 'In Progress' ? [IN_PROGRESS_LABEL] : []), ...(p ? [p] : [])];
}

/** An issue as GET /repos/{owner}/{repo}/issues/{n} returns it. */
export function githubIssue(base: string, s: StoredSource, i: StoredIssue): Record<string, unknown> {
  const url = `${base}/repos/${s.key}/issues/${i.number}`;
  const assignee = i.assignee ? ghUser(base, i.assignee) : null;
  return {
    url,
    repository_url: `${base}/repos/${s.key}`,
    comments_url: `${url}/comments`,
    html_url: `https://github.com/${s.key}/issues/${i.number}`,
    id: 2_000_000_000 + i.number,
    node_id: `I_kwDOsandbox${i.number}`,
    number: i.number,
    title: i.title,
    user: { login: 'sandbox-bot', id: 1, node_id: 'U_kgDO1', type: 'User', site_admin: false },
    labels: labels(i).map((name, n) => ({
      id: 5_000_000 + n,
      node_id: `LA_kwDO${n}`,
      url: `${base}/repos/${s.key}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
    state: i.status === 'Done' ? 'closed' : 'open',
    state_reason: i.status === 'Done' ? 'completed' : null,
    locked: false,
    assignee,
    assignees: assignee ? [assignee] : [],
    milestone: i.due
      ? {
          url: `${base}/repos/${s.key}/milestones/${i.number}`,
          id: 9_000_000 + i.number,
          node_id: `MI_kwDO${i.number}`,
          number: i.number,
          title: `Due ${i.due}`,
          state: 'open',
          due_on: `${i.due}T07:00:00Z`,
        }
      : null,
    comments: i.comments.length,
    created_at: new Date(i.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    updated_at: new Date(i.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    closed_at: i.status === 'Done' ? new Date(i.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    author_association: 'MEMBER',
    issue_dependencies_summary: { blocked_by: i.blockedBy.length, blocking: 0, total_blocked_by: i.blockedBy.length, total_blocking: 0 },
    body: null,
  };
}

const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });

/** The answer GitHub gives past a secondary rate limit: 403 with `retry-after` (seconds). */
export function githubRateLimited(retryAfterS: number): StandInReply {
  return json(
    403,
    {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      status: '403',
    },
    { 'retry-after': String(retryAfterS) },
  );
}

/** Answers a GitHub REST request, or undefined when the path is not GitHub's. Writes change the store (which sends the webhook). */
export function handleGithub(store: TrackerStore, req: StandInRequest, base: string): StandInReply | undefined {
  const m = /^\/repos\/([^/]+\/[^/]+)(?:\/issues(?:\/(\d+)(?:\/(comments|dependencies\/blocked_by))?)?)?$/.exec(req.url.pathname);
  if (!m) return undefined;
  if (!req.headers.authorization) return json(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' });
  const source = store.source('github', decodeURIComponent(m[1]!));
  if (!source) return notFound();
  const isIssues = req.url.pathname.startsWith(`/repos/${m[1]}/issues`);
  if (!isIssues) return req.method === 'GET' ? json(200, repoOf(base, source)) : notFound();
  if (!m[2]) {
    if (req.method !== 'GET') return notFound();
    const q = req.url.searchParams;
    const state = q.get('state') ?? 'open';
    const wanted = (q.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const perPage = Math.min(Math.max(Number(q.get('per_page')) || 30, 1), 100);
    const page = Math.max(Number(q.get('page')) || 1, 1);
    const all = source.issues.filter((i) => {
      const open = i.status !== 'Done';
      if ((state === 'open' && !open) || (state === 'closed' && open)) return false;
      const names = labels(i).map((l) => l.toLowerCase());
      return wanted.every((w) => names.includes(w));
    });
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(`${base}/repos/${source.key}/issues`);
      for (const [k, v] of q) if (k !== 'page') u.searchParams.set(k, v);
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links = [...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []), ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : [])];
    return json(
      200,
      all.slice((page - 1) * perPage, page * perPage).map((i) => githubIssue(base, source, i)),
      links.length ? { link: links.join(', ') } : {},
    );
  }
  const issue = store.issue(source, Number(m[2]));
  if (!issue) return notFound();
  const key = `${source.key}#${issue.number}`;
  const b = (req.body ?? {}) as Record<string, any>;
  if (m[3] === 'dependencies/blocked_by' && req.method === 'GET')
    return json(
      200,
      issue.blockedBy.map((n) => githubIssue(base, source, store.issue(source, n)!)),
    );
  if (m[3] === 'comments' && req.method === 'POST') {
    if (typeof b.body !== 'string' || b.body === '') return json(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], status: '422' });
    store.addComment(key, b.body);
    const id = 3_000_000_000 + issue.comments.length;
    return json(201, {
      id,
      node_id: `IC_kwDO${id}`,
      url: `${base}/repos/${source.key}/issues/comments/${id}`,
      html_url: `https://github.com/${source.key}/issues/${issue.number}#issuecomment-${id}`,
      body: b.body,
      created_at: new Date(store.now()).toISOString(),
    });
  }
  if (m[3]) return notFound();
  if (req.method === 'GET') return json(200, githubIssue(base, source, issue));
  if (req.method !== 'PATCH') return notFound();
  if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed')
    return json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', field: 'state' }], status: '422' });
  const assignees = Array.isArray(b.assignees) ? (b.assignees as string[]) : undefined;
  const assignee = assignees === undefined ? undefined : assignees.length === 0 ? null : store.people.find((p) => login(p) === assignees[0])?.email;
  if (assignee === undefined && assignees?.length)
    return json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', field: 'assignees', value: assignees[0] }], status: '422' });
  const status = b.state === 'closed' ? 'Done' : b.state === 'open' && issue.status === 'Done' ? 'To Do' : undefined;
  store.editIssue(key, { ...(status ? { status } : {}), ...(assignee !== undefined ? { assigneeEmail: assignee } : {}) });
  return json(200, githubIssue(base, source, issue));
}

/** The `issues` action of a change (the first changed field decides). */
function issuesAction(c: StoredChange): { action: string; extra: Record<string, unknown> } {
  const base = 'http://unused';
  if (c.fields.includes('status')) {
    if (c.issue.status === 'Done') return { action: 'closed', extra: {} };
    if (c.before.status === 'Done') return { action: 'reopened', extra: {} };
    return { action: c.issue.status === 'In Progress' ? 'labeled' : 'unlabeled', extra: { label: { name: IN_PROGRESS_LABEL, color: 'ededed' } } };
  }
  if (c.fields.includes('assignee')) {
    const who = c.issue.assignee ?? c.before.assignee;
    return { action: c.issue.assignee ? 'assigned' : 'unassigned', extra: { assignee: who ? ghUser(base, who) : null } };
  }
  return { action: c.issue.due ? 'milestoned' : 'demilestoned', extra: {} };
}

/**
 * GitHub's webhook for a change: event `issues` (action from the change) or `issue_comment` (`created`), with the
 * issue, repository and sender; signed with `secret` in `X-Hub-Signature-256` (HMAC-SHA256) and `X-Hub-Signature` (SHA-1).
 */
export function githubWebhook(base: string, c: StoredChange, secret: string): WebhookDelivery {
  const issue = githubIssue(base, c.source, c.issue);
  const common = { issue, repository: repoOf(base, c.source), sender: { login: 'sandbox-visitor', id: 2, node_id: 'U_kgDO2', type: 'User', site_admin: false } };
  const comment = c.fields.includes('comment');
  const { action, extra } = comment ? { action: 'created', extra: { comment: { id: 3_000_000_000 + c.issue.comments.length, body: c.issue.comments.at(-1)?.body ?? '' } } } : issuesAction(c);
  const rawBody = JSON.stringify({ action, ...common, ...extra });
  const sign = (alg: 'sha256' | 'sha1') => `${alg}=${createHmac(alg, secret).update(rawBody).digest('hex')}`;
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/sandbox',
      'x-github-event': comment ? 'issue_comment' : 'issues',
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': '421',
      'x-hub-signature': sign('sha1'),
      'x-hub-signature-256': sign('sha256'),
    },
  };
}
