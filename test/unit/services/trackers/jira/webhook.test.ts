import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJiraAdapter } from '../../../../../src/services/trackers/jira/index.js';
import { ENV, fixtureBytes, jiraSource } from './jira-fixtures.js';

const SECRET = 'It’s a Secret to Everybody';
const adapter = createJiraAdapter(jiraSource(), ENV);
const sign = (body: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const delivery = (name: string) => {
  const raw = fixtureBytes(name);
  return { raw, body: JSON.parse(raw.toString('utf8')) as unknown };
};

describe('Jira webhook signature (X-Hub-Signature: sha256=<HMAC-SHA256 of the raw body>)', () => {
  const { raw } = delivery('webhook-issue-updated.json');

  it('accepts the signature of the raw body with the secret', async () => {
    expect(await adapter.verifyWebhook({ 'x-hub-signature': sign(raw) }, raw, SECRET)).toBe(true);
  });

  it('refuses a signature made with another secret', async () => {
    expect(await adapter.verifyWebhook({ 'x-hub-signature': sign(raw, 'another secret') }, raw, SECRET)).toBe(false);
  });

  it('refuses a body changed after signing', async () => {
    const changed = Buffer.from(raw.toString('utf8').replace('"Done"', '"To Do"'));
    expect(await adapter.verifyWebhook({ 'x-hub-signature': sign(raw) }, changed, SECRET)).toBe(false);
  });

  it('refuses a missing, repeated, truncated or non-sha256 signature', async () => {
    const good = sign(raw);
    expect(await adapter.verifyWebhook({}, raw, SECRET)).toBe(false);
    expect(await adapter.verifyWebhook({ 'x-hub-signature': [good, good] }, raw, SECRET)).toBe(false);
    expect(await adapter.verifyWebhook({ 'x-hub-signature': good.slice(0, -2) }, raw, SECRET)).toBe(false);
    expect(await adapter.verifyWebhook({ 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}` }, raw, SECRET)).toBe(false);
  });

  it('refuses everything when the secret is empty', async () => {
    expect(await adapter.verifyWebhook({ 'x-hub-signature': sign(raw, '') }, raw, '')).toBe(false);
  });
});

describe('Jira webhook deliveries → changes', () => {
  it('jira:issue_created with the full issue is an upsert of the mapped issue', () => {
    const [change] = adapter.parseWebhook({}, delivery('webhook-issue-created.json').body);
    expect(change).toMatchObject({ kind: 'upsert', issue: { key: 'LAUNCH-42', status: 'To Do', done: false, blockedBy: ['LAUNCH-40'], url: 'https://acme.atlassian.net/browse/LAUNCH-42' } });
  });

  it('jira:issue_updated to a done status is an upsert with done set and the new update time', () => {
    const [change] = adapter.parseWebhook({}, delivery('webhook-issue-updated.json').body);
    expect(change).toMatchObject({ kind: 'upsert', issue: { key: 'LAUNCH-42', status: 'Done', done: true, updatedAt: '2026-03-02T10:06:40.000Z' } });
  });

  it('jira:issue_updated whose fields lack what the mapping reads is a refetch of the issue', () => {
    expect(adapter.parseWebhook({}, delivery('webhook-issue-updated-partial.json').body)).toEqual([{ kind: 'refetch', key: 'LAUNCH-42' }]);
  });

  it('a configured points field missing from the payload makes it a refetch', () => {
    const withPoints = createJiraAdapter(jiraSource({ points_field: 'customfield_99999' }), ENV);
    expect(withPoints.parseWebhook({}, delivery('webhook-issue-updated.json').body)).toEqual([{ kind: 'refetch', key: 'LAUNCH-42' }]);
  });

  it('jira:issue_deleted is a delete of the key', () => {
    expect(adapter.parseWebhook({}, delivery('webhook-issue-deleted.json').body)).toEqual([{ kind: 'delete', key: 'LAUNCH-42' }]);
  });

  it.each(['webhook-issuelink-created.json', 'webhook-issuelink-deleted.json'])('%s refetches both linked issues by id', (name) => {
    expect(adapter.parseWebhook({}, delivery(name).body)).toEqual([
      { kind: 'refetch', key: '10004' },
      { kind: 'refetch', key: '10002' },
    ]);
  });

  it('a comment, or anything else, is ignored with why; so is a body that is not a delivery', () => {
    expect(adapter.parseWebhook({}, delivery('webhook-comment-created.json').body)).toEqual([{ kind: 'ignored', why: 'Jira event comment_created does not change a task' }]);
    expect(adapter.parseWebhook({}, 'hello')).toEqual([{ kind: 'ignored', why: 'not a Jira webhook delivery (no webhookEvent)' }]);
    expect(adapter.parseWebhook({}, { webhookEvent: 'jira:issue_updated' })).toEqual([{ kind: 'ignored', why: 'jira:issue_updated without an issue key' }]);
  });
});
