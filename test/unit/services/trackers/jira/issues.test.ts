import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createJiraAdapter } from '../../../../../src/services/trackers/jira/index.js';
import { splitOrderBy } from '../../../../../src/services/trackers/jira/issues.js';
import { cloudIssue, DC_SITE, ENV, fixture, jiraSource, SITE, useNock } from './jira-fixtures.js';

useNock();

const FIELDS = ['summary', 'assignee', 'duedate', 'timeoriginalestimate', 'status', 'priority', 'issuelinks', 'updated'];

describe('Jira Cloud: listing a source (POST /rest/api/3/search/jql)', () => {
  it('reads 500 issues over five pages of 100, passing each nextPageToken back, with basic auth and only the mapped fields', async () => {
    const bodies: { jql: string; maxResults: number; fields: string[]; nextPageToken?: string }[] = [];
    const auth: (string | undefined)[] = [];
    const scope = nock(SITE)
      .post('/rest/api/3/search/jql')
      .times(5)
      .reply(async (req: Request) => {
        const body = await req.json();
        bodies.push(body);
        auth.push(req.headers.get('authorization') ?? undefined);
        const pageNo = body.nextPageToken ? Number(String(body.nextPageToken).replace('page-', '')) : 0;
        const issues = Array.from({ length: 100 }, (_, i) => cloudIssue(pageNo * 100 + i + 1));
        const last = pageNo === 4;
        // the last page as Jira Cloud sends it: isLast true and no nextPageToken key (JRACLOUD-92184)
        return [200, { ...fixture('search-jql-cloud.json'), issues, isLast: last, ...(last ? { nextPageToken: undefined } : { nextPageToken: `page-${pageNo + 1}` }) }];
      });
    const adapter = createJiraAdapter(jiraSource(), ENV);
    const keys: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await adapter.listIssues(cursor);
      keys.push(...page.issues.map((i) => i.key));
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(new Set(keys).size).toBe(500);
    expect(keys[0]).toBe('LAUNCH-1');
    expect(keys.at(-1)).toBe('LAUNCH-500');
    expect(bodies.map((b) => b.nextPageToken)).toEqual([undefined, 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(bodies[0]).toMatchObject({ jql: 'project = LAUNCH AND labels = omega ORDER BY key ASC', maxResults: 100, fields: FIELDS });
    expect(auth[0]).toBe(`Basic ${Buffer.from('bot@acme.com:tok-123').toString('base64')}`);
    expect(scope.isDone()).toBe(true);
  });

  it('labels the source with its project and site', () => {
    expect(createJiraAdapter(jiraSource(), ENV).label).toBe('LAUNCH (acme.atlassian.net)');
    expect(createJiraAdapter(jiraSource({ jql: 'labels = omega' }), ENV).label).toBe('acme.atlassian.net');
    expect(createJiraAdapter(jiraSource({ jql: 'project in (LAUNCH) AND labels = omega' }), ENV).label).toBe('LAUNCH (acme.atlassian.net)');
    expect(createJiraAdapter(jiraSource({ jql: 'project in (LAUNCH, OPS)' }), ENV).label).toBe('acme.atlassian.net');
  });

  it('names the source jql when Jira rejects it (400)', async () => {
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(400, { errorMessages: ["Field 'labelz' does not exist or you do not have permission to view it."], errors: {} });
    const err = await createJiraAdapter(jiraSource({ jql: 'labelz = omega' }), ENV)
      .listIssues()
      .catch((e: unknown) => e);
    expect(String(err)).toContain("Field 'labelz' does not exist");
    expect(String(err)).toContain('labelz = omega');
  });

  it("keeps the source's own ORDER BY", async () => {
    let jql = '';
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(async (req: Request) => {
        jql = ((await req.json()) as { jql: string }).jql;
        return [200, { issues: [], isLast: true }];
      });
    await createJiraAdapter(jiraSource({ jql: 'project = LAUNCH ORDER BY Rank' }), ENV).listIssues();
    expect(jql).toBe('project = LAUNCH ORDER BY Rank');
  });
});

describe('splitOrderBy', () => {
  it('splits a trailing ORDER BY, not one inside a quoted value', () => {
    expect(splitOrderBy('project = LAUNCH order by created DESC')).toEqual({ filter: 'project = LAUNCH', orderBy: 'order by created DESC' });
    expect(splitOrderBy('summary ~ "sort order by size"')).toEqual({ filter: 'summary ~ "sort order by size"', orderBy: null });
  });
});

describe('Jira Cloud: one issue', () => {
  it('searches the key within the source jql and maps it', async () => {
    let jql = '';
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(async (req: Request) => {
        jql = ((await req.json()) as { jql: string }).jql;
        return [200, { issues: [fixture('issue-cloud.json')], isLast: true }];
      });
    const issue = await createJiraAdapter(jiraSource(), ENV).getIssue('LAUNCH-42');
    expect(jql).toBe('issue = LAUNCH-42 AND (project = LAUNCH AND labels = omega)');
    expect(issue).toMatchObject({ key: 'LAUNCH-42', title: 'Ship the *billing* migration <!channel>' });
  });

  it('reads an issue by its numeric id (what issue link deliveries carry) and answers with its key', async () => {
    let jql = '';
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(async (req: Request) => {
        jql = ((await req.json()) as { jql: string }).jql;
        return [200, { issues: [fixture('issue-cloud.json')], isLast: true }];
      });
    const issue = await createJiraAdapter(jiraSource(), ENV).getIssue('10002');
    expect(jql).toBe('issue = 10002 AND (project = LAUNCH AND labels = omega)');
    expect(issue?.key).toBe('LAUNCH-42');
  });

  it('leaves the source ORDER BY out of the single-issue search', async () => {
    let jql = '';
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(async (req: Request) => {
        jql = ((await req.json()) as { jql: string }).jql;
        return [200, { issues: [], isLast: true }];
      });
    await createJiraAdapter(jiraSource({ jql: 'project = LAUNCH ORDER BY Rank' }), ENV).getIssue('LAUNCH-42');
    expect(jql).toBe('issue = LAUNCH-42 AND (project = LAUNCH)');
  });

  it('is null when the issue left the source filter', async () => {
    nock(SITE).post('/rest/api/3/search/jql').reply(200, { issues: [], isLast: true });
    expect(await createJiraAdapter(jiraSource(), ENV).getIssue('LAUNCH-42')).toBeNull();
  });

  it('is null when the issue was deleted (the search rejects the key, GET issue answers 404)', async () => {
    const scope = nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(400, { errorMessages: ["An issue with key 'LAUNCH-42' does not exist for field 'issue'."], errors: {} })
      .get('/rest/api/3/issue/LAUNCH-42')
      .query(true)
      .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    expect(await createJiraAdapter(jiraSource(), ENV).getIssue('LAUNCH-42')).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it('refuses something that is not an issue key before calling Jira', async () => {
    await expect(createJiraAdapter(jiraSource(), ENV).getIssue('LAUNCH-42 OR 1=1')).rejects.toThrow(/not a Jira issue key/);
  });
});

describe('Jira Data Center: REST v2 with a personal access token', () => {
  const dcSource = () => jiraSource({ site: DC_SITE, jql: 'project = OPS', email_env: undefined, token_env: 'JIRA_PAT' });
  const env = { JIRA_PAT: 'pat-456' } as NodeJS.ProcessEnv;

  it('pages with startAt until total, as a bearer token, and maps v2 issues', async () => {
    const starts: number[] = [];
    let authorization = '';
    nock(DC_SITE)
      .post('/rest/api/2/search')
      .times(3)
      .reply(async (req: Request) => {
        const body = await req.json();
        starts.push(body.startAt);
        authorization = req.headers.get('authorization') ?? '';
        const template = fixture('search-dc.json');
        const count = Math.min(100, 250 - body.startAt);
        const issues = Array.from({ length: count }, (_, i) => ({ ...template.issues[0], key: `OPS-${body.startAt + i + 1}` }));
        return [200, { ...template, startAt: body.startAt, maxResults: 100, total: 250, issues }];
      });
    const adapter = createJiraAdapter(dcSource(), env);
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await adapter.listIssues(cursor);
      keys.push(...page.issues.map((i) => i.key));
      cursor = page.next;
    } while (cursor && keys.length < 1000);
    expect(starts).toEqual([0, 100, 200]);
    expect(new Set(keys).size).toBe(250);
    expect(authorization).toBe('Bearer pat-456');
    const first = (await adapterFirst(dcSource(), env))!;
    expect(first).toMatchObject({ url: 'https://jira.acme.internal/browse/OPS-7', done: true, status: 'Closed', priority: 'P1', estimate: null, due: null, assigneeEmail: 'fred@acme.com' });
  });

  it('pages on while pages are full when Jira leaves out total, and stops at a short page', async () => {
    const template = fixture('search-dc.json');
    const { total: _total, ...noTotal } = template;
    nock(DC_SITE)
      .post('/rest/api/2/search')
      .reply(200, { ...noTotal, startAt: 0, maxResults: 100, issues: Array.from({ length: 100 }, (_, i) => ({ ...template.issues[0], key: `OPS-${i + 1}` })) })
      .post('/rest/api/2/search')
      .reply(200, { ...noTotal, startAt: 100, maxResults: 100, issues: [{ ...template.issues[0], key: 'OPS-101' }] });
    const adapter = createJiraAdapter(dcSource(), env);
    const first = await adapter.listIssues();
    expect(first.next).toBe('100');
    const second = await adapter.listIssues(first.next);
    expect(second.issues.map((i) => i.key)).toEqual(['OPS-101']);
    expect(second.next).toBeUndefined();
  });

  it('checks the token with GET /rest/api/2/myself', async () => {
    const scope = nock(DC_SITE).get('/rest/api/2/myself').reply(200, { name: 'fred', displayName: 'Fred F. User', active: true });
    await createJiraAdapter(dcSource(), env).checkAuth();
    expect(scope.isDone()).toBe(true);
  });
});

async function adapterFirst(source: ReturnType<typeof jiraSource>, env: NodeJS.ProcessEnv) {
  nock(DC_SITE).post('/rest/api/2/search').reply(200, fixture('search-dc.json'));
  return (await createJiraAdapter(source, env).listIssues()).issues[0];
}

describe('opts.baseUrl (the sandbox stand-in)', () => {
  it('sends requests there and keeps the site in issue URLs', async () => {
    nock('http://127.0.0.1:4010')
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [fixture('issue-cloud.json')], isLast: true });
    const page = await createJiraAdapter(jiraSource(), ENV, { baseUrl: 'http://127.0.0.1:4010' }).listIssues();
    expect(page.issues[0]!.url).toBe('https://acme.atlassian.net/browse/LAUNCH-42');
    expect(page.next).toBeUndefined();
  });
});
