import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGithubAdapter } from '../../../../../src/services/trackers/github/index.js';
import { API, ENV, fixture, githubSource, issueRow } from './fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const SECRET = 'It is a secret to everybody';
const repoAdapter = () => createGithubAdapter(githubSource({ repo: 'acme/launch', label: 'omega', token_env: 'GH_TOKEN', webhook_secret_env: 'GH_HOOK' }), ENV);

/** An `issues` delivery for acme/launch as GitHub sends it. */
function issuesDelivery(action: string, issue: Record<string, unknown>, repository = fixture('webhook-issues-repository.json')) {
  return { action, issue, repository, sender: issue.user };
}

const headers = (event: string, extra: Record<string, string> = {}) => ({ 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', ...extra });

describe('GitHub webhook signature', () => {
  const body = Buffer.from(JSON.stringify(issuesDelivery('opened', issueRow(1))));
  const sign = (raw: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

  it("accepts GitHub's x-hub-signature-256 over the raw body", async () => {
    expect(await repoAdapter().verifyWebhook(headers('issues', { 'x-hub-signature-256': sign(body) }), body, SECRET)).toBe(true);
  });

  it('matches the example of GitHub\'s "Validating webhook deliveries" page', async () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(await repoAdapter().verifyWebhook({ 'x-hub-signature-256': signature }, Buffer.from('Hello, World!'), "It's a Secret to Everybody")).toBe(true);
  });

  it('refuses a signature made with another secret, or over another body', async () => {
    expect(await repoAdapter().verifyWebhook(headers('issues', { 'x-hub-signature-256': sign(body, 'guess') }), body, SECRET)).toBe(false);
    const tampered = Buffer.from(body.toString().replace('"opened"', '"closed"'));
    expect(await repoAdapter().verifyWebhook(headers('issues', { 'x-hub-signature-256': sign(body) }), tampered, SECRET)).toBe(false);
  });

  it('refuses a missing or malformed signature, and the legacy SHA-1 header alone', async () => {
    expect(await repoAdapter().verifyWebhook(headers('issues'), body, SECRET)).toBe(false);
    expect(await repoAdapter().verifyWebhook(headers('issues', { 'x-hub-signature-256': 'sha256=zz' }), body, SECRET)).toBe(false);
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    expect(await repoAdapter().verifyWebhook(headers('issues', { 'x-hub-signature': sha1 }), body, SECRET)).toBe(false);
  });
});

describe('GitHub webhook events (repository source)', () => {
  const omega = (n: number, over: Record<string, unknown> = {}) => issueRow(n, { labels: [{ name: 'omega' }], ...over });

  it.each(['opened', 'edited', 'closed', 'reopened', 'assigned', 'unassigned', 'labeled', 'unlabeled', 'milestoned', 'demilestoned'])('issues.%s upserts the issue as the payload has it', (action) => {
    const [change] = repoAdapter().parseWebhook(headers('issues'), issuesDelivery(action, omega(42, { title: `after ${action}` })));
    expect(change).toMatchObject({ kind: 'upsert', issue: { key: 'launch-42', title: `after ${action}`, url: 'https://github.com/acme/launch/issues/42' } });
  });

  it('a closed-as-completed issue arrives done; re-opened, not done', () => {
    const adapter = repoAdapter();
    const [closed] = adapter.parseWebhook(headers('issues'), issuesDelivery('closed', omega(42, { state: 'closed', state_reason: 'completed' })));
    const [reopened] = adapter.parseWebhook(headers('issues'), issuesDelivery('reopened', omega(42, { state: 'open', state_reason: 'reopened' })));
    expect(closed).toMatchObject({ kind: 'upsert', issue: { done: true } });
    expect(reopened).toMatchObject({ kind: 'upsert', issue: { done: false, status: 'open' } });
  });

  it('an issue that lost the source label is deleted', () => {
    const changes = repoAdapter().parseWebhook(headers('issues'), issuesDelivery('unlabeled', issueRow(42, { labels: [{ name: 'bug' }] })));
    expect(changes).toEqual([{ kind: 'delete', key: 'launch-42' }]);
  });

  it('a blocked issue is refetched (the payload does not name its blockers)', () => {
    const issue = omega(42, { issue_dependencies_summary: { blocked_by: 1, blocking: 0, total_blocked_by: 1, total_blocking: 0 } });
    expect(repoAdapter().parseWebhook(headers('issues'), issuesDelivery('edited', issue))).toEqual([{ kind: 'refetch', key: 'launch-42' }]);
  });

  it.each(['deleted', 'transferred'])('issues.%s deletes the task', (action) => {
    expect(repoAdapter().parseWebhook(headers('issues'), issuesDelivery(action, omega(42)))).toEqual([{ kind: 'delete', key: 'launch-42' }]);
  });

  it('ignores other actions, other repositories, ping, other events and payloads it does not understand', () => {
    const adapter = repoAdapter();
    const other = { ...fixture('webhook-issues-repository.json'), name: 'infra', full_name: 'acme/infra' };
    expect(adapter.parseWebhook(headers('issues'), issuesDelivery('pinned', omega(42)))[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('issues'), issuesDelivery('opened', omega(42), other))[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('ping'), fixture('webhook-ping.json'))).toEqual([{ kind: 'ignored', why: 'ping' }]);
    expect(adapter.parseWebhook(headers('issue_comment'), { action: 'created' })[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('projects_v2_item'), fixture('webhook-projects-v2-item-edited.json'))[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('issues'), { action: 'opened' })[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook({}, null)[0]!.kind).toBe('ignored');
  });
});

describe('GitHub webhook events (project source)', () => {
  const projectAdapter = () => createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV);
  /** A project adapter that has listed the project once (so it knows the project's and the items' node ids). */
  async function listed() {
    nock(API).post('/graphql').reply(200, fixture('project-items-page.json'));
    const adapter = projectAdapter();
    await adapter.listIssues();
    return adapter;
  }

  it('an issues delivery about a listed item is refetched (project fields are not in the payload), deleted issues deleted', async () => {
    const adapter = await listed();
    const item42 = issueRow(42, { node_id: 'I_kwDOBb3J_s5AAAAA' });
    expect(adapter.parseWebhook(headers('issues'), issuesDelivery('edited', item42))).toEqual([{ kind: 'refetch', key: 'launch-42' }]);
    expect(adapter.parseWebhook(headers('issues'), issuesDelivery('deleted', item42))).toEqual([{ kind: 'delete', key: 'launch-42' }]);
  });

  it('an issues delivery about an issue that is not an item of the project is ignored', async () => {
    const adapter = await listed();
    expect(adapter.parseWebhook(headers('issues'), issuesDelivery('edited', issueRow(99)))[0]!.kind).toBe('ignored');
    expect(projectAdapter().parseWebhook(headers('issues'), issuesDelivery('edited', issueRow(42, { node_id: 'I_kwDOBb3J_s5AAAAA' })))[0]!.kind).toBe('ignored');
  });

  it('projects_v2_item edited refetches the listed issue; deleted or archived deletes it', async () => {
    const adapter = await listed();
    const edited = fixture('webhook-projects-v2-item-edited.json');
    expect(adapter.parseWebhook(headers('projects_v2_item'), edited)).toEqual([{ kind: 'refetch', key: 'launch-42' }]);
    expect(adapter.parseWebhook(headers('projects_v2_item'), { ...edited, action: 'archived' })).toEqual([{ kind: 'delete', key: 'launch-42' }]);
    expect(adapter.parseWebhook(headers('projects_v2_item'), { ...edited, action: 'deleted' })).toEqual([{ kind: 'delete', key: 'launch-42' }]);
  });

  it('ignores items of another project, draft issues, and items not listed yet', async () => {
    const adapter = await listed();
    const edited = fixture('webhook-projects-v2-item-edited.json');
    const item = edited.projects_v2_item;
    expect(adapter.parseWebhook(headers('projects_v2_item'), { ...edited, projects_v2_item: { ...item, project_node_id: 'PVT_other' } })[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('projects_v2_item'), { ...edited, projects_v2_item: { ...item, content_type: 'DraftIssue' } })[0]!.kind).toBe('ignored');
    expect(adapter.parseWebhook(headers('projects_v2_item'), { ...edited, projects_v2_item: { ...item, content_node_id: 'I_new' } })[0]!.kind).toBe('ignored');
  });
});
