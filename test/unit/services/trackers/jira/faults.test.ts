import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../../../../../src/services/trackers/adapter.js';
import { createJiraAdapter } from '../../../../../src/services/trackers/jira/index.js';
import { ENV, fixture, jiraSource, SITE, useNock } from './jira-fixtures.js';

useNock();

const list = (env = ENV, source = jiraSource()) =>
  createJiraAdapter(source, env)
    .listIssues()
    .then(
      () => {
        throw new Error('expected the call to fail');
      },
      (e: unknown) => e as Error,
    );

describe('Jira faults become the adapter contract errors (never a jira.js error)', () => {
  it('a refused token (401) is a TrackerAuthError naming the token variable, and the email variable in the message', async () => {
    nock(SITE).post('/rest/api/3/search/jql').reply(401, 'Client must be authenticated to access this resource.', { 'content-type': 'text/plain' });
    const err = await list();
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect((err as TrackerAuthError).envVar).toBe('JIRA_TOKEN');
    expect(err.message).toContain('JIRA_EMAIL');
    expect(err.message).not.toContain('tok-123');
  });

  it('a 403 on checkAuth is a TrackerAuthError too', async () => {
    nock(SITE)
      .get('/rest/api/3/myself')
      .reply(403, { errorMessages: ['You do not have permission'], errors: {} });
    const err = await createJiraAdapter(jiraSource(), ENV)
      .checkAuth()
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(TrackerAuthError);
  });

  it('a working token passes checkAuth with one GET /myself', async () => {
    const scope = nock(SITE).get('/rest/api/3/myself').reply(200, fixture('myself-cloud.json'));
    await createJiraAdapter(jiraSource(), ENV).checkAuth();
    expect(scope.isDone()).toBe(true);
  });

  it('429 with Retry-After in seconds is a TrackerRateLimitError with that wait in ms, asked once (no retry of its own)', async () => {
    const scope = nock(SITE).post('/rest/api/3/search/jql').once().reply(429, 'Rate limit exceeded', { 'Retry-After': '30', 'X-RateLimit-Reset': '2026-03-02T10:01Z' });
    const err = await list();
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect((err as TrackerRateLimitError).retryAfterMs).toBe(30_000);
    expect(scope.isDone()).toBe(true);
  });

  it('429 with Retry-After as an HTTP date waits until that date', async () => {
    const at = new Date(Date.now() + 120_000);
    nock(SITE).post('/rest/api/3/search/jql').reply(429, '', { 'Retry-After': at.toUTCString() });
    const err = (await list()) as TrackerRateLimitError;
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    // HTTP dates have whole seconds; the answer is never later than asked, and not much earlier
    expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(err.retryAfterMs).toBeGreaterThan(60_000);
  });

  it('429 without Retry-After waits a minute', async () => {
    nock(SITE).post('/rest/api/3/search/jql').reply(429, '');
    expect(((await list()) as TrackerRateLimitError).retryAfterMs).toBe(60_000);
  });

  it('503 after the client retries is a TrackerUnavailableError', async () => {
    const scope = nock(SITE).post('/rest/api/3/search/jql').times(3).reply(503, '<html>Service Unavailable</html>', { 'content-type': 'text/html' });
    const err = await list();
    expect(err).toBeInstanceOf(TrackerUnavailableError);
    expect(err.message).toContain('503');
    expect(scope.isDone()).toBe(true);
  });

  it('a 503 followed by an answer is retried and succeeds', async () => {
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(503, '')
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [fixture('issue-cloud.json')], isLast: true });
    const page = await createJiraAdapter(jiraSource(), ENV).listIssues();
    expect(page.issues.map((i) => i.key)).toEqual(['LAUNCH-42']);
  });

  it('a 500 is a TrackerUnavailableError', async () => {
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .reply(500, { errorMessages: ['Internal server error'] });
    expect(await list()).toBeInstanceOf(TrackerUnavailableError);
  });

  it('a connection reset, after the retries, is a TrackerUnavailableError', async () => {
    nock(SITE)
      .post('/rest/api/3/search/jql')
      .times(3)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await list()).toBeInstanceOf(TrackerUnavailableError);
  });

  it('no answer within the timeout is a TrackerUnavailableError', async () => {
    nock(SITE).post('/rest/api/3/search/jql').delay(20_000).reply(200, { issues: [], isLast: true });
    const err = await createJiraAdapter(jiraSource(), ENV, { timeoutMs: 200 })
      .listIssues()
      .then(
        () => new Error('expected the call to fail'),
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(TrackerUnavailableError);
    expect(err.message).toContain('no answer');
  });
});

describe('credentials from the environment', () => {
  it('names the variable that is not set, without calling Jira', () => {
    expect(() => createJiraAdapter(jiraSource(), { JIRA_EMAIL: 'bot@acme.com' })).toThrow(/token_env names the environment variable JIRA_TOKEN, which is not set/);
    expect(() => createJiraAdapter(jiraSource(), { JIRA_TOKEN: 'tok' })).toThrow(/email_env names the environment variable JIRA_EMAIL/);
  });

  it('sends a Cloud token without an email as an OAuth 2.0 token through Atlassian’s gateway for the site', async () => {
    const cloudId = '35273b54-3f06-40d2-880f-dd28cf8daafa';
    let authorization = '';
    nock('https://api.atlassian.com')
      .get('/oauth/token/accessible-resources')
      .reply(200, [{ id: cloudId, url: SITE, name: 'acme', scopes: ['read:jira-work'], avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png' }])
      .post(`/ex/jira/${cloudId}/rest/api/3/search/jql`)
      .reply(async (req: Request) => {
        authorization = req.headers.get('authorization') ?? '';
        return [200, { issues: [fixture('issue-cloud.json')], isLast: true }];
      });
    const page = await createJiraAdapter(jiraSource({ email_env: undefined, token_env: 'JIRA_OAUTH_TOKEN' }), { JIRA_OAUTH_TOKEN: 'oauth-789' }).listIssues();
    expect(authorization).toBe('Bearer oauth-789');
    expect(page.issues[0]!.url).toBe('https://acme.atlassian.net/browse/LAUNCH-42');
  });
});
