import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../../../../../src/services/trackers/adapter.js';
import { createGithubAdapter } from '../../../../../src/services/trackers/github/index.js';
import { API, ENV, fixture, githubSource, issueRow, thrown } from './fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const repoSource = githubSource({ repo: 'acme/launch', token_env: 'GH_TOKEN' });
const listing = () => nock(API).get('/repos/acme/launch/issues').query(true);

describe('GitHub faults', () => {
  it('a refused token is a TrackerAuthError naming token_env', async () => {
    listing().reply(401, fixture('bad-credentials.json'));
    const err = await thrown(createGithubAdapter(repoSource, ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.envVar).toBe('GH_TOKEN');
    expect(err.message).toMatch(/github refused the token in GH_TOKEN: Bad credentials/);
  });

  it('a 403 that is not a rate limit (missing permission) is a TrackerAuthError', async () => {
    nock(API).get('/repos/acme/launch').reply(403, { message: 'Resource not accessible by personal access token' });
    const err = await thrown(createGithubAdapter(repoSource, ENV).checkAuth());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.message).toContain('GH_TOKEN');
  });

  it('a repository the token cannot see (404) is a TrackerAuthError', async () => {
    nock(API).get('/repos/acme/launch').reply(404, { message: 'Not Found' });
    expect(await thrown(createGithubAdapter(repoSource, ENV).checkAuth())).toBeInstanceOf(TrackerAuthError);
  });

  it('a missing variable is a TrackerAuthError naming it, before any request', async () => {
    const err = await thrown(createGithubAdapter(repoSource, {}).listIssues());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.message).toBe('github refused the token in GH_TOKEN: GH_TOKEN is not set');
  });

  it('403 with x-ratelimit-remaining: 0 and a far reset is a TrackerRateLimitError with the wait until the reset', async () => {
    const now = Date.now();
    const reset = Math.floor(now / 1000) + 3600;
    const scope = listing()
      .once()
      .reply(403, fixture('rate-limited.json'), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    const err = await thrown(createGithubAdapter(repoSource, ENV, { now: () => now }).listIssues());
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect(err.retryAfterMs).toBe(reset * 1000 - now + 1000);
    scope.done();
  });

  it('429 with a long Retry-After is surfaced at once as a TrackerRateLimitError', async () => {
    const scope = listing().once().reply(429, fixture('secondary-rate-limited.json'), { 'retry-after': '120' });
    const err = await thrown(createGithubAdapter(repoSource, ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.message).toBe('github is rate limiting; retry in 120 s');
    scope.done();
  });

  it('429 with a short Retry-After is retried once by the throttling plugin, then succeeds', async () => {
    const limited = listing().once().reply(429, fixture('secondary-rate-limited.json'), { 'retry-after': '1' });
    const ok = listing()
      .once()
      .reply(200, [issueRow(1)]);
    const page = await createGithubAdapter(repoSource, ENV).listIssues();
    expect(page.issues.map((i) => i.key)).toEqual(['launch-1']);
    limited.done();
    ok.done();
  });

  it('a second rate limit after the one retry is surfaced', async () => {
    listing().twice().reply(429, fixture('secondary-rate-limited.json'), { 'retry-after': '1' });
    const err = await thrown(createGithubAdapter(repoSource, ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect(err.retryAfterMs).toBe(1000);
  });

  it('GraphQL RATE_LIMITED is a TrackerRateLimitError', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    nock(API)
      .post('/graphql')
      .reply(200, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    const err = await thrown(createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect(err.retryAfterMs).toBeGreaterThan(3_500_000);
  });

  it('a project that does not exist or is hidden is a TrackerAuthError', async () => {
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: { repositoryOwner: { projectV2: null } },
        errors: [{ type: 'NOT_FOUND', path: ['repositoryOwner', 'projectV2'], message: 'Could not resolve to a ProjectV2 with the number 5.' }],
      });
    const err = await thrown(createGithubAdapter(githubSource({ project: 'acme/5', token_env: 'GH_TOKEN' }), ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.message).toContain('GH_TOKEN');
  });

  it('503 is a TrackerUnavailableError', async () => {
    listing().reply(503, 'Service Unavailable');
    const err = await thrown(createGithubAdapter(repoSource, ENV).listIssues());
    expect(err).toBeInstanceOf(TrackerUnavailableError);
    expect(err.message).toMatch(/^github is unavailable: 503/);
  });

  it('a network failure is a TrackerUnavailableError', async () => {
    listing().replyWithError('socket hang up');
    expect(await thrown(createGithubAdapter(repoSource, ENV).listIssues())).toBeInstanceOf(TrackerUnavailableError);
  });
});
