import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackerStandIn } from '../../../../sandbox/tracker-stand-in/server.js';
import type { StandInKind, StoredIssue } from '../../../../sandbox/tracker-stand-in/store.js';
import { githubSourceSchema, jiraSourceSchema, linearSourceSchema } from '../../../../src/config/schema/tasks-from.js';
import type { TrackerIssue } from '../../../../src/domain/trackers/tracker-issue.js';
import { TrackerRateLimitError, type TrackerAdapter } from '../../../../src/services/trackers/adapter.js';
import { createGithubAdapter } from '../../../../src/services/trackers/github/index.js';
import { createJiraAdapter } from '../../../../src/services/trackers/jira/index.js';
import { createLinearAdapter } from '../../../../src/services/trackers/linear/index.js';

/*
 * The real adapters (src/services/trackers/*) against the tracker stand-in through their `baseUrl`: a listing of a
 * few hundred generated issues at each tracker's page size, the mapping, write-back (done, comment), and the signed
 * webhooks the stand-in sends, checked with each adapter's own verifyWebhook and parseWebhook.
 */

const SECRETS: Record<StandInKind, string> = { jira: 'jira-secret-0123', linear: 'linear-secret-4567', github: 'github-secret-89ab' };
const env = { JIRA_EMAIL: 'bot@example.com', JIRA_TOKEN: 'jira-token', LINEAR_API_KEY: 'lin_api_standin', GITHUB_TOKEN: 'github_pat_standin' };
const COUNTS = { jira: 250, linear: 120, github: 230 };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
let received: Received[] = [];
let receiver: Server;
let standIn: TrackerStandIn;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
  standIn = await new TrackerStandIn({
    sources: [
      { kind: 'jira', key: 'LAUNCH', count: COUNTS.jira },
      { kind: 'linear', key: 'ENG', count: COUNTS.linear, label: 'omega' },
      { kind: 'github', key: 'acme/launch', count: COUNTS.github, label: 'omega' },
    ],
    webhooks: {
      jira: { url: `${hook}/jira`, secret: SECRETS.jira },
      linear: { url: `${hook}/linear`, secret: SECRETS.linear },
      github: { url: `${hook}/github`, secret: SECRETS.github },
    },
  }).start();
});

afterAll(async () => {
  await standIn?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

const adapters: Record<StandInKind, () => TrackerAdapter> = {
  jira: () =>
    createJiraAdapter(jiraSourceSchema.parse({ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', email_env: 'JIRA_EMAIL', token_env: 'JIRA_TOKEN' } }).jira, env, {
      baseUrl: standIn.url,
    }),
  linear: () => createLinearAdapter(linearSourceSchema.parse({ linear: { team: 'ENG', label: 'omega' } }).linear, env, { baseUrl: standIn.url, retries: 0 }),
  github: () => createGithubAdapter(githubSourceSchema.parse({ github: { repo: 'acme/launch', label: 'omega', token_env: 'GITHUB_TOKEN' } }).github, env, { baseUrl: standIn.url }),
};

/** Every page of a source, as the sync would read it. */
async function listAll(adapter: TrackerAdapter): Promise<{ issues: TrackerIssue[]; pages: number }> {
  const issues: TrackerIssue[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.listIssues(cursor);
    issues.push(...page.issues);
    pages++;
    cursor = page.next;
  } while (cursor);
  return { issues, pages };
}

/** What each tracker's documented mapping (docs/trackers.md) makes of a stand-in issue, written out independently. */
const expected: Record<StandInKind, (i: StoredIssue) => Partial<TrackerIssue>> = {
  jira: (i) => ({
    key: `LAUNCH-${i.number}`,
    title: i.title,
    url: `https://acme.atlassian.net/browse/LAUNCH-${i.number}`,
    assigneeEmail: i.assignee?.email ?? null,
    due: i.due ? { date: i.due } : null,
    estimate: i.points === null ? null : { hours: i.points * 4 },
    status: i.status,
    done: i.status === 'Done',
    priority: ([null, 'P0', 'P0', 'P1', 'P2'] as const)[i.priority],
    blockedBy: i.blockedBy.map((n) => `LAUNCH-${n}`),
  }),
  linear: (i) => ({
    key: `ENG-${i.number}`,
    title: i.title,
    assigneeEmail: i.assignee?.email ?? null,
    due: i.due ? { date: i.due } : null,
    estimate: i.points === null ? null : { points: i.points },
    status: i.status,
    done: i.status === 'Done',
    priority: ([null, 'P0', 'P1', 'P2', 'P2'] as const)[i.priority],
    blockedBy: i.blockedBy.map((n) => `ENG-${n}`),
  }),
  github: (i) => ({
    key: `launch-${i.number}`,
    title: i.title,
    url: `https://github.com/acme/launch/issues/${i.number}`,
    assigneeEmail: i.assignee?.email ?? null,
    due: i.due ? { date: i.due } : null,
    estimate: null,
    status: i.status === 'Done' ? 'closed' : 'open',
    done: i.status === 'Done',
    priority: ([null, 'P0', 'P1', 'P2', 'P2'] as const)[i.priority],
    blockedBy: i.blockedBy.map((n) => `launch-${n}`),
  }),
};
const PAGE_SIZE: Record<StandInKind, number> = { jira: 100, linear: 50, github: 100 };
const KEY: Record<StandInKind, (n: number) => string> = { jira: (n) => `LAUNCH-${n}`, linear: (n) => `ENG-${n}`, github: (n) => `launch-${n}` };

/** Waits (generously) until `n` webhooks have arrived at the receiver. */
async function webhooks(n: number): Promise<Received[]> {
  await standIn.settled();
  for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 25));
  return received;
}

describe.each(['jira', 'linear', 'github'] as const)('the %s adapter against the tracker stand-in', (kind) => {
  const source = () => standIn.store.firstOf(kind)!;

  it('lists every issue at the tracker page size and maps each one as documented', async () => {
    const before = standIn.callCount(kind);
    const { issues, pages } = await listAll(adapters[kind]());
    expect(issues).toHaveLength(COUNTS[kind]);
    expect(pages).toBe(Math.ceil(COUNTS[kind] / PAGE_SIZE[kind]));
    expect(new Set(issues.map((i) => i.key)).size).toBe(COUNTS[kind]);
    for (const stored of source().issues) expect(issues.find((i) => i.key === KEY[kind](stored.number))).toMatchObject(expected[kind](stored));
    // GitHub reads "blocked by" with one extra call per blocked issue, as the real API needs
    const blocked = source().issues.filter((i) => i.blockedBy.length > 0).length;
    expect(blocked).toBeGreaterThan(0);
    expect(standIn.callCount(kind) - before).toBe(pages + (kind === 'github' ? blocked : 0));
  });

  it('moves an open issue to done and comments, and the signed webhooks verify and parse to the change', async () => {
    const adapter = adapters[kind]();
    const open = source().issues.find((i) => i.status === 'To Do' && i.blockedBy.length === 0)!;
    const key = KEY[kind](open.number);
    received = [];
    await adapter.moveToDone(key);
    expect(open.status).toBe('Done');
    expect(await adapter.getIssue(key)).toMatchObject({ key, done: true });
    await adapter.addComment(key, 'Overdue since 14:00; escalated to the lead');
    expect(open.comments.map((c) => c.body)).toEqual(['Overdue since 14:00; escalated to the lead']);

    const [moved, commented] = await webhooks(2);
    expect(received.map((d) => d.path)).toEqual([`/webhooks/${kind}`, `/webhooks/${kind}`]);
    expect(await adapter.verifyWebhook(moved!.headers, moved!.raw, SECRETS[kind])).toBe(true);
    expect(await adapter.verifyWebhook(moved!.headers, moved!.raw, 'another-secret')).toBe(false);
    const tampered = Buffer.from(moved!.raw.toString().replace(JSON.stringify(open.title), JSON.stringify(`${open.title}!`)));
    expect(tampered.equals(moved!.raw)).toBe(false);
    expect(await adapter.verifyWebhook(moved!.headers, tampered, SECRETS[kind])).toBe(false);
    const change = adapter.parseWebhook(moved!.headers, JSON.parse(moved!.raw.toString()));
    // Linear's Issue update carries no relations, so the adapter re-reads it; Jira and GitHub carry the whole issue
    if (kind === 'linear') expect(change).toEqual([{ kind: 'refetch', key }]);
    else expect(change).toEqual([{ kind: 'upsert', issue: expect.objectContaining({ key, done: true, title: open.title }) }]);
    expect(await adapter.verifyWebhook(commented!.headers, commented!.raw, SECRETS[kind])).toBe(true);
    expect(adapter.parseWebhook(commented!.headers, JSON.parse(commented!.raw.toString()))).toEqual([{ kind: 'ignored', why: expect.any(String) }]);
  });

  it('sends a webhook when a visitor reassigns an issue or moves its due date, and the adapter reads the new values', async () => {
    const adapter = adapters[kind]();
    const issue = source().issues.find((i) => i.status !== 'Done' && i.blockedBy.length === 0 && i.assignee !== null)!;
    const key = KEY[kind](issue.number);
    const other = standIn.store.people.find((p) => p.email !== issue.assignee!.email)!;
    const due = new Date(Date.parse(`${issue.due ?? '2030-01-01'}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    received = [];
    standIn.store.editIssue(key, { assigneeEmail: other.email });
    standIn.store.editIssue(key, { due });
    const deliveries = await webhooks(2);
    expect(deliveries.map((d) => d.path)).toEqual([`/webhooks/${kind}`, `/webhooks/${kind}`]);
    for (const d of deliveries) expect(await adapter.verifyWebhook(d.headers, d.raw, SECRETS[kind])).toBe(true);
    const changes = deliveries.flatMap((d) => adapter.parseWebhook(d.headers, JSON.parse(d.raw.toString())));
    if (kind === 'linear')
      expect(changes).toEqual([
        { kind: 'refetch', key },
        { kind: 'refetch', key },
      ]);
    else expect(changes.at(-1)).toEqual({ kind: 'upsert', issue: expect.objectContaining({ key, assigneeEmail: other.email, due: { date: due } }) });
    expect(await adapter.getIssue(key)).toMatchObject({ key, assigneeEmail: other.email, due: { date: due } });
  });
});

describe('the Jira adapter on Data Center (REST v2) against the tracker stand-in', () => {
  it('pages by startAt, moves an issue to done and comments in plain text', async () => {
    const source = jiraSourceSchema.parse({ jira: { site: 'https://jira.acme.internal', jql: 'project = LAUNCH', token_env: 'JIRA_TOKEN' } }).jira;
    const adapter = createJiraAdapter(source, env, { baseUrl: standIn.url });
    const before = standIn.calls.length;
    const { issues, pages } = await listAll(adapter);
    expect(issues).toHaveLength(COUNTS.jira);
    expect(pages).toBe(Math.ceil(COUNTS.jira / 100));
    expect(standIn.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual(Array.from({ length: pages }, () => 'POST /rest/api/2/search'));
    expect(issues[0]!.url).toBe('https://jira.acme.internal/browse/LAUNCH-1');
    const open = standIn.store.firstOf('jira')!.issues.find((i) => i.status !== 'Done')!;
    await adapter.moveToDone(`LAUNCH-${open.number}`);
    await adapter.addComment(`LAUNCH-${open.number}`, 'Blocked: see https://slack.example/archives/C1/p1');
    expect(open).toMatchObject({ status: 'Done', comments: [expect.objectContaining({ body: 'Blocked: see https://slack.example/archives/C1/p1' })] });
    await standIn.settled();
  });
});

describe('the tracker stand-in rate limit', () => {
  it('answers each tracker documented rate-limit reply, which the adapters report as TrackerRateLimitError with the wait', async () => {
    standIn.rateLimit = { after: 1, retryAfterS: 45 };
    try {
      for (const kind of ['jira', 'linear', 'github'] as const) {
        const err = await adapters[kind]()
          .listIssues()
          .catch((e: unknown) => e);
        expect(err, kind).toBeInstanceOf(TrackerRateLimitError);
        expect((err as TrackerRateLimitError).retryAfterMs, kind).toBe(45_000);
      }
    } finally {
      standIn.rateLimit = undefined;
    }
  });
});
