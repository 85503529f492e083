import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createJiraAdapter } from '../../../../../src/services/trackers/jira/index.js';
import { plainTextToAdf } from '../../../../../src/services/trackers/jira/write-back.js';
import { DC_SITE, ENV, fixture, jiraSource, SITE, useNock } from './jira-fixtures.js';

useNock();

describe('moveToDone', () => {
  it('posts the first transition into the done category', async () => {
    let posted: unknown;
    const scope = nock(SITE)
      .get('/rest/api/3/issue/LAUNCH-42/transitions')
      .reply(200, fixture('transitions.json'))
      .post('/rest/api/3/issue/LAUNCH-42/transitions')
      .reply(async (req: Request) => {
        posted = await req.json();
        return [204, ''];
      });
    await createJiraAdapter(jiraSource({ write_back: true }), ENV).moveToDone('LAUNCH-42');
    expect(posted).toEqual({ transition: { id: '31' } });
    expect(scope.isDone()).toBe(true);
  });

  it('does nothing when the issue is already done (no transition leads to done)', async () => {
    const transitions = fixture('transitions.json');
    transitions.transitions = transitions.transitions.filter((t: { to: { statusCategory: { key: string } } }) => t.to.statusCategory.key !== 'done');
    const issue = fixture('issue-cloud.json');
    issue.fields = { status: { name: 'Done', statusCategory: { key: 'done' } } };
    const scope = nock(SITE).get('/rest/api/3/issue/LAUNCH-42/transitions').reply(200, transitions).get('/rest/api/3/issue/LAUNCH-42').query({ fields: 'status' }).reply(200, issue);
    await createJiraAdapter(jiraSource(), ENV).moveToDone('LAUNCH-42');
    expect(scope.isDone()).toBe(true);
  });

  it('names the issue and the transitions offered when none leads to done', async () => {
    const transitions = fixture('transitions.json');
    transitions.transitions = transitions.transitions.slice(0, 1);
    nock(SITE)
      .get('/rest/api/3/issue/LAUNCH-42/transitions')
      .reply(200, transitions)
      .get('/rest/api/3/issue/LAUNCH-42')
      .query(true)
      .reply(200, { key: 'LAUNCH-42', fields: { status: { name: 'In Review', statusCategory: { key: 'indeterminate' } } } });
    await expect(createJiraAdapter(jiraSource(), ENV).moveToDone('LAUNCH-42')).rejects.toThrow(
      'Jira issue LAUNCH-42 (In Review) has no transition into a done status (offered: Start progress → In Progress)',
    );
  });
});

describe('addComment', () => {
  it('sends an ADF document on Cloud (REST v3), the Slack permalink as a link', async () => {
    let posted: { body?: unknown } = {};
    nock(SITE)
      .post('/rest/api/3/issue/LAUNCH-42/comment')
      .reply(async (req: Request) => {
        posted = (await req.json()) as { body?: unknown };
        return [201, fixture('comment-cloud.json')];
      });
    const permalink = 'https://acme.slack.com/archives/C123/p1700000000000100';
    await createJiraAdapter(jiraSource(), ENV).addComment('LAUNCH-42', `Blocked: waiting on the DBA <!channel>\nSee ${permalink}`);
    expect(posted.body).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Blocked: waiting on the DBA <!channel>' },
            { type: 'hardBreak' },
            { type: 'text', text: 'See ' },
            { type: 'text', text: permalink, marks: [{ type: 'link', attrs: { href: permalink } }] },
          ],
        },
      ],
    });
  });

  it('sends the plain text on Data Center (REST v2)', async () => {
    let posted: unknown;
    nock(DC_SITE)
      .post('/rest/api/2/issue/OPS-7/comment')
      .reply(async (req: Request) => {
        posted = await req.json();
        return [201, { id: '10000', body: 'Overdue since 14:00; escalated to the lead' }];
      });
    const dc = createJiraAdapter(jiraSource({ site: DC_SITE, email_env: undefined, token_env: 'JIRA_PAT' }), { JIRA_PAT: 'pat' });
    await dc.addComment('OPS-7', 'Overdue since 14:00; escalated to the lead');
    expect(posted).toEqual({ body: 'Overdue since 14:00; escalated to the lead' });
  });
});

describe('plainTextToAdf', () => {
  it('makes one paragraph per blank-line-separated block', () => {
    expect(plainTextToAdf('one\n\ntwo').content.map((p) => p.content?.[0]?.text)).toEqual(['one', 'two']);
  });
});
