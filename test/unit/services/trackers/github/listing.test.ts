import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrackerIssue } from '../../../../../src/domain/trackers/tracker-issue.js';
import { TrackerAuthError } from '../../../../../src/services/trackers/adapter.js';
import { createGithubAdapter } from '../../../../../src/services/trackers/github/index.js';
import { API, ENV, fixture, githubSource, issueRow } from './fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** GitHub's Link header for page `page` of `last` (GitHub links /repositories/{id}/issues after page 1). */
function link(page: number, last: number): Record<string, string> {
  if (page >= last) return {};
  const url = (p: number) => `${API}/repositories/1296269/issues?state=all&labels=omega&per_page=100&page=${p}`;
  return { link: `<${url(page + 1)}>; rel="next", <${url(last)}>; rel="last"` };
}

describe('GitHub repository source: listing', () => {
  it('reads 500 issues over 5 pages of 100 by following the Link header, skipping pull requests', async () => {
    const rows = (page: number) =>
      Array.from({ length: 100 }, (_, i) => {
        const n = (page - 1) * 100 + i + 1;
        // every tenth row is a pull request, which the issues API lists too
        return n % 10 === 0 ? { ...fixture('pull-request-row.json'), number: n } : issueRow(n, { labels: [{ name: 'omega' }] });
      });
    const first = nock(API)
      .get('/repos/acme/launch/issues')
      .query({ state: 'all', labels: 'omega', per_page: '100' })
      .matchHeader('authorization', 'token github_pat_11AAAAAAA0_fake')
      .reply(200, rows(1), link(1, 5));
    const rest = [2, 3, 4, 5].map((p) =>
      nock(API)
        .get('/repositories/1296269/issues')
        .query({ state: 'all', labels: 'omega', per_page: '100', page: String(p) })
        .reply(200, rows(p), link(p, 5)),
    );
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', label: 'omega', token_env: 'GH_TOKEN' }), ENV);

    const all: TrackerIssue[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await adapter.listIssues(cursor);
      all.push(...page.issues);
      cursor = page.next;
      pages++;
    } while (cursor);

    expect(pages).toBe(5);
    expect(all).toHaveLength(450);
    expect(new Set(all.map((i) => i.key)).size).toBe(450);
    expect(all[0]!.key).toBe('launch-1');
    expect(all.at(-1)!.key).toBe('launch-499');
    expect(all.some((i) => i.key === 'launch-10')).toBe(false);
    first.done();
    for (const s of rest) s.done();
  });

  it('lists blockers from "blocked by" dependencies, kept when in the same repository and label', async () => {
    const blocked = issueRow(5, { labels: [{ name: 'omega' }], issue_dependencies_summary: { blocked_by: 3, blocking: 0, total_blocked_by: 3, total_blocking: 0 } });
    nock(API)
      .get('/repos/acme/launch/issues')
      .query(true)
      .reply(200, [issueRow(4, { labels: [{ name: 'omega' }] }), blocked]);
    const deps = nock(API)
      .get('/repos/acme/launch/issues/5/dependencies/blocked_by')
      .query({ per_page: '100' })
      .reply(200, [
        issueRow(4, { labels: [{ name: 'omega' }] }),
        issueRow(3, { labels: [{ name: 'other' }] }),
        issueRow(9, { repository_url: `${API}/repos/acme/infra`, labels: [{ name: 'omega' }] }),
      ]);
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', label: 'omega', token_env: 'GH_TOKEN' }), ENV);

    const page = await adapter.listIssues();

    expect(page.issues.map((i) => [i.key, i.blockedBy])).toEqual([
      ['launch-4', []],
      ['launch-5', ['launch-4']],
    ]);
    expect(page.next).toBeUndefined();
    deps.done();
  });

  it('reads no blockers where GitHub has no dependencies endpoint (404)', async () => {
    const blocked = issueRow(5, { issue_dependencies_summary: { blocked_by: 1, blocking: 0, total_blocked_by: 1, total_blocking: 0 } });
    nock(API).get('/repos/acme/launch/issues').query(true).reply(200, [blocked]);
    nock(API).get('/repos/acme/launch/issues/5/dependencies/blocked_by').query(true).reply(404, { message: 'Not Found' });
    const page = await createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN' }), ENV).listIssues();
    expect(page.issues.map((i) => [i.key, i.blockedBy])).toEqual([['launch-5', []]]);
  });

  it('refuses a cursor that points away from the API (the token would go with it)', async () => {
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN' }), ENV);
    await expect(adapter.listIssues('https://evil.example.com/repositories/1/issues?page=2')).rejects.toThrow(/is not a page of https:\/\/api\.github\.com/);
  });

  it('gets one issue, and null when it was deleted, is a pull request or lost the label', async () => {
    nock(API)
      .get('/repos/acme/launch/issues/7')
      .reply(200, issueRow(7, { labels: [{ name: 'omega' }, { name: 'P2' }] }));
    nock(API).get('/repos/acme/launch/issues/8').reply(410, { message: 'This issue was deleted' });
    nock(API)
      .get('/repos/acme/launch/issues/9')
      .reply(200, issueRow(9, { labels: [] }));
    nock(API)
      .get('/repos/acme/launch/issues/10')
      .reply(200, { ...fixture('pull-request-row.json'), number: 10 });
    nock(API).get('/repos/acme/launch/issues/11').reply(404, { message: 'Not Found' });
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', label: 'omega', token_env: 'GH_TOKEN' }), ENV);

    expect(await adapter.getIssue('launch-7')).toMatchObject({ key: 'launch-7', priority: 'P2', url: 'https://github.com/acme/launch/issues/7' });
    expect(await adapter.getIssue('launch-8')).toBeNull();
    expect(await adapter.getIssue('launch-9')).toBeNull();
    expect(await adapter.getIssue('launch-10')).toBeNull();
    expect(await adapter.getIssue('launch-11')).toBeNull();
  });

  it('checks the credentials with GET /repos/{owner}/{repo}', async () => {
    const scope = nock(API).get('/repos/acme/launch').reply(200, { id: 1296269, name: 'launch', full_name: 'acme/launch' });
    await createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN' }), ENV).checkAuth();
    scope.done();
  });
});

describe('GitHub project source: listing', () => {
  it('reads the project items through GraphQL, issues only, with Status, Priority, Estimate, due and blockers in the project', async () => {
    let variables: Record<string, unknown> | undefined;
    nock(API)
      .post('/graphql', (body: { query: string; variables: Record<string, unknown> }) => {
        variables = body.variables;
        return body.query.includes('projectV2(number: $number)') && body.query.includes('items(first: 100, after: $cursor)');
      })
      .reply(200, fixture('project-items-page.json'));
    const adapter = createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV);

    const page = await adapter.listIssues();

    expect(variables).toEqual({ owner: 'acme', number: 5, cursor: null });
    expect(page.next).toBeUndefined();
    expect(page.issues).toEqual([
      {
        key: 'launch-42',
        title: 'Ship the launch page',
        url: 'https://github.com/acme/launch/issues/42',
        assigneeEmail: 'octocat@github.com',
        assigneeName: 'octocat',
        due: { date: '2026-12-18' },
        estimate: { points: 3 },
        status: 'In Progress',
        done: false,
        priority: 'P0',
        blockedBy: ['launch-41'],
        updatedAt: '2026-12-01T09:30:00Z',
      },
      {
        key: 'launch-41',
        title: 'Pick the launch date',
        url: 'https://github.com/acme/launch/issues/41',
        assigneeEmail: null,
        assigneeName: 'hubot',
        due: { date: '2026-12-24' },
        estimate: null,
        status: 'Done',
        done: true,
        priority: 'P2',
        blockedBy: [],
        updatedAt: '2026-11-30T16:00:00Z',
      },
    ]);
  });

  it('follows the GraphQL cursor', async () => {
    const page1 = fixture('project-items-page.json');
    page1.data.repositoryOwner.projectV2.items.pageInfo = { hasNextPage: true, endCursor: 'CURSOR-2' };
    const page2 = fixture('project-items-page.json');
    page2.data.repositoryOwner.projectV2.items.nodes = [];
    const cursors: unknown[] = [];
    const seen = (cursor: unknown) => (b: { variables: { cursor: unknown } }) => b.variables.cursor === cursor && cursors.push(cursor) > 0;
    nock(API).post('/graphql', seen(null)).reply(200, page1);
    nock(API).post('/graphql', seen('CURSOR-2')).reply(200, page2);
    const adapter = createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV);

    const first = await adapter.listIssues();
    const second = await adapter.listIssues(first.next);

    expect(first.next).toBe('CURSOR-2');
    expect(second).toEqual({ issues: [] });
    expect(cursors).toEqual([null, 'CURSOR-2']);
  });

  it('gets one issue of the project by key, and null when it is not in the project', async () => {
    const listed = fixture('project-items-page.json').data.repositoryOwner.projectV2;
    const item = listed.items.nodes[0];
    nock(API)
      .post('/graphql', (b: { query: string }) => b.query.includes('query ProjectId'))
      .reply(200, { data: { repositoryOwner: { projectV2: { id: listed.id } } } });
    nock(API)
      .post('/graphql', (b: { query: string; variables: { number: number } }) => b.query.includes('query IssueItems') && b.variables.number === 42)
      .reply(200, { data: { repository: { issue: { ...item.content, projectItems: { nodes: [{ ...item, project: { id: listed.id } }] } } } } });
    nock(API)
      .post('/graphql', (b: { query: string; variables: { number: number } }) => b.query.includes('query IssueItems') && b.variables.number === 43)
      .reply(200, { data: { repository: { issue: { ...item.content, number: 43, projectItems: { nodes: [{ ...item, project: { id: 'PVT_other' } }] } } } } });
    const adapter = createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV);

    expect(await adapter.getIssue('launch-42')).toMatchObject({ key: 'launch-42', status: 'In Progress', estimate: { points: 3 } });
    expect(await adapter.getIssue('launch-43')).toBeNull();
  });
});

describe('GitHub write-back', () => {
  it('moveToDone closes the issue as completed', async () => {
    let body: unknown;
    const scope = nock(API)
      .patch('/repos/acme/launch/issues/42', (b) => {
        body = b;
        return true;
      })
      .reply(200, issueRow(42, { state: 'closed', state_reason: 'completed' }));
    await createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN', write_back: true }), ENV).moveToDone('launch-42');
    scope.done();
    expect(body).toEqual({ state: 'closed', state_reason: 'completed' });
  });

  it('addComment posts the text as a comment', async () => {
    let body: unknown;
    const scope = nock(API)
      .post('/repos/acme/launch/issues/42/comments', (b) => {
        body = b;
        return true;
      })
      .reply(201, fixture('comment-created.json'));
    await createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN', write_back: true }), ENV).addComment('launch-42', 'Overdue since 14:00; escalated to the lead');
    scope.done();
    expect(body).toEqual({ body: 'Overdue since 14:00; escalated to the lead' });
  });

  it('a deleted issue gives an error naming it; a refused token a TrackerAuthError', async () => {
    nock(API).post('/repos/acme/launch/issues/42/comments').reply(410, { message: 'This issue was deleted' });
    nock(API).patch('/repos/acme/launch/issues/43').reply(401, fixture('bad-credentials.json'));
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN', write_back: true }), ENV);
    await expect(adapter.addComment('launch-42', 'x')).rejects.toThrow('github acme/launch: issue launch-42 (acme/launch#42) is gone');
    await expect(adapter.moveToDone('launch-43')).rejects.toThrow(TrackerAuthError);
  });

  it('refuses a key that names no issue', async () => {
    const adapter = createGithubAdapter(githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN' }), ENV);
    await expect(adapter.addComment('launch', 'x')).rejects.toThrow(/launch is not an issue key of this source/);
  });
});
