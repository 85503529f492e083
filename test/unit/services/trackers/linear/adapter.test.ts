import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { LinearError } from '@linear/sdk';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { linearSourceSchema } from '../../../../../src/config/schema/tasks-from.js';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../../../../../src/services/trackers/adapter.js';
import { createLinearAdapter } from '../../../../../src/services/trackers/linear/index.js';
import { type LinearReply, nockLinear } from './linear-nock.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../../fixtures/trackers/linear/${name}`, import.meta.url), 'utf8'));
const source = (extra: Record<string, unknown> = {}) => linearSourceSchema.parse({ linear: { team: 'ENG', project: 'Launch', label: 'omega', token_env: 'LINEAR_TOKEN', ...extra } }).linear;
const env = { LINEAR_TOKEN: 'lin_api_test0123456789' };
/** The test's own now (UTC epoch ms); the adapter reads it through opts.now. */
const NOW = Date.parse('2026-12-05T12:00:00Z');
const adapter = (opts: Parameters<typeof createLinearAdapter>[2] = {}, extra: Record<string, unknown> = {}, e: NodeJS.ProcessEnv = env) =>
  createLinearAdapter(source(extra), e, { now: () => NOW, retries: 0, ...opts });

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** `count` issues shaped like the fixture's first node, ENG-1…ENG-count. */
function manyIssues(count: number) {
  const template = fixture('issues-page.json').data.issues.nodes[1];
  return Array.from({ length: count }, (_, i) => ({ ...template, identifier: `ENG-${i + 1}`, title: `Task ${i + 1}`, url: `https://linear.app/acme/issue/ENG-${i + 1}/task` }));
}

/** A Linear that pages `nodes` by `first`, with opaque cursors. */
function pagingLinear(nodes: unknown[]) {
  return nockLinear((call): LinearReply => {
    const start = call.variables.after ? Number(String(call.variables.after).replace('cursor-', '')) : 0;
    const end = Math.min(nodes.length, start + Number(call.variables.first));
    return [200, { data: { issues: { nodes: nodes.slice(start, end), pageInfo: { hasNextPage: end < nodes.length, endCursor: `cursor-${end}` } } } }];
  });
}

describe('listIssues', () => {
  it('reads 500 issues in pages of 50 following the cursor, each page one request filtered by team, project and label', async () => {
    const { calls } = pagingLinear(manyIssues(500));
    const a = adapter();
    const keys: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await a.listIssues(cursor);
      keys.push(...page.issues.map((i) => i.key));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(10);
    expect(keys).toHaveLength(500);
    expect(new Set(keys).size).toBe(500);
    expect(keys[0]).toBe('ENG-1');
    expect(keys[499]).toBe('ENG-500');
    expect(calls).toHaveLength(10);
    expect(calls.every((c) => c.operation === 'PreflightIssues' && c.variables.first === 50)).toBe(true);
    expect(calls[0]!.variables.after).toBeNull();
    expect(calls[1]!.variables.after).toBe('cursor-50');
    expect(calls[0]!.variables.filter).toEqual({
      team: { key: { eqIgnoreCase: 'ENG' } },
      project: { name: { eqIgnoreCase: 'Launch' } },
      labels: { some: { name: { eqIgnoreCase: 'omega' } } },
    });
    // a personal API key goes as is, not as a Bearer token
    expect(calls[0]!.authorization).toBe('lin_api_test0123456789');
  });

  it('leaves project and label out of the filter when the source names none', async () => {
    const { calls } = pagingLinear(manyIssues(3));
    const page = await adapter({}, { project: undefined, label: undefined }).listIssues();
    expect(page.issues).toHaveLength(3);
    expect(page.next).toBeUndefined();
    expect(calls[0]!.variables.filter).toEqual({ team: { key: { eqIgnoreCase: 'ENG' } } });
  });

  it('sends an OAuth access token as a Bearer token', async () => {
    const { calls } = pagingLinear([]);
    await adapter({}, {}, { LINEAR_TOKEN: 'lin_oauth_abc123' }).listIssues();
    expect(calls[0]!.authorization).toBe('Bearer lin_oauth_abc123');
  });

  it('maps each field per the TrackerIssue rules', async () => {
    nockLinear(() => [200, fixture('issues-page.json')]);
    const { issues } = await adapter().listIssues();
    const byKey = Object.fromEntries(issues.map((i) => [i.key, i]));
    expect(byKey['ENG-12']).toEqual({
      key: 'ENG-12',
      title: 'Ship the <!channel> *launch* checklist @here',
      url: 'https://linear.app/acme/issue/ENG-12/ship-the-launch-checklist',
      assigneeEmail: 'ana@acme.com',
      assigneeName: 'Ana Lima',
      due: { date: '2026-12-18' },
      estimate: { points: 3 },
      status: 'In Review',
      done: false,
      priority: 'P0',
      // only `blocks` relations, and only the source team's issues (OPS-3 is another team's)
      blockedBy: ['ENG-7'],
      updatedAt: '2026-12-04T16:20:11.482Z',
    });
    // unassigned, no due, no estimate, no priority
    expect(byKey['ENG-7']).toMatchObject({ assigneeEmail: null, assigneeName: null, due: null, estimate: null, priority: null, done: false, blockedBy: [] });
    // completed and canceled are done; High → P1, Medium → P2, Low → P2; an estimate of 0 points is kept
    expect(byKey['ENG-9']).toMatchObject({ done: true, status: 'Done', priority: 'P1' });
    expect(byKey['ENG-10']).toMatchObject({ done: true, status: 'Canceled', priority: 'P2', estimate: { points: 0 } });
    expect(byKey['ENG-11']).toMatchObject({ done: false, status: 'Backlog', priority: 'P2' });
  });
});

describe('getIssue', () => {
  it('asks for one issue by team and number within the source filter', async () => {
    const page = fixture('issues-page.json');
    const { calls } = nockLinear(() => [200, { data: { issues: { nodes: [page.data.issues.nodes[0]], pageInfo: { hasNextPage: false, endCursor: null } } } }]);
    const issue = await adapter().getIssue('ENG-12');
    expect(issue?.key).toBe('ENG-12');
    expect(calls[0]!.variables.filter).toMatchObject({ team: { key: { eqIgnoreCase: 'ENG' } }, number: { eq: 12 }, labels: { some: { name: { eqIgnoreCase: 'omega' } } } });
    expect(calls[0]!.variables.first).toBe(1);
  });

  it('is null when the issue was deleted or left the filter, and for another team without asking', async () => {
    const { calls } = nockLinear(() => [200, { data: { issues: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } }]);
    expect(await adapter().getIssue('ENG-404')).toBeNull();
    expect(await adapter().getIssue('OPS-3')).toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe('faults', () => {
  it('a refused key is a TrackerAuthError naming the variable (HTTP 400 with AUTHENTICATION_ERROR)', async () => {
    nockLinear(() => [400, fixture('error-authentication.json')]);
    const err = await adapter()
      .checkAuth()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect((err as TrackerAuthError).envVar).toBe('LINEAR_TOKEN');
    expect((err as Error).message).toContain('LINEAR_TOKEN');
  });

  it('a refused key is a TrackerAuthError on HTTP 401 too, and is not retried', async () => {
    const { calls } = nockLinear(() => [401, fixture('error-authentication.json')]);
    await expect(adapter({ retries: 3, minBackoffMs: 1 }).listIssues()).rejects.toBeInstanceOf(TrackerAuthError);
    expect(calls).toHaveLength(1);
  });

  it('a missing variable is a TrackerAuthError naming it, without a request', async () => {
    const { calls } = nockLinear(() => [200, fixture('viewer.json')]);
    const err = await adapter({}, {}, {})
      .checkAuth()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect((err as Error).message).toMatch(/LINEAR_TOKEN.*not set/);
    expect(calls).toHaveLength(0);
  });

  it('rate limited (HTTP 400 RATELIMITED): TrackerRateLimitError waiting until the exhausted budget resets', async () => {
    const { calls } = nockLinear(() => [
      400,
      fixture('error-ratelimited.json'),
      {
        'x-ratelimit-requests-limit': '1500',
        'x-ratelimit-requests-remaining': '0',
        'x-ratelimit-requests-reset': String(NOW + 42_000),
        'x-ratelimit-complexity-remaining': '90000',
        'x-ratelimit-complexity-reset': String(NOW + 5_000),
      },
    ]);
    const err = await adapter({ retries: 3, minBackoffMs: 1 })
      .listIssues()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect((err as TrackerRateLimitError).retryAfterMs).toBe(42_000);
    expect(calls).toHaveLength(1);
  });

  it('rate limited (HTTP 429 with Retry-After): waits the seconds it says', async () => {
    // with extensions.type the SDK itself makes it a RatelimitedLinearError; it must not escape either
    const body = fixture('error-ratelimited.json');
    body.errors[0].extensions.type = 'ratelimited';
    nockLinear(() => [429, body, { 'retry-after': '17' }]);
    const err = await adapter()
      .getIssue('ENG-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerRateLimitError);
    expect((err as TrackerRateLimitError).retryAfterMs).toBe(17_000);
  });

  it('rate limited without any header: a default wait', async () => {
    nockLinear(() => [400, fixture('error-ratelimited.json')]);
    const err = await adapter()
      .listIssues()
      .catch((e: unknown) => e);
    expect((err as TrackerRateLimitError).retryAfterMs).toBe(60_000);
  });

  it('a query Linear refuses as invalid is a plain Error naming what was asked, not the SDK’s error', async () => {
    const { calls } = nockLinear(() => [
      400,
      { errors: [{ message: 'Cannot query field "estimat" on type "Issue".', extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', userError: false } }] },
    ]);
    const err = await adapter({ retries: 2, minBackoffMs: 1 })
      .listIssues()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(LinearError);
    expect([TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError].some((k) => err instanceof k)).toBe(false);
    expect((err as Error).message).toMatch(/^Linear issues of ENG \/ Launch \/ omega: .*Cannot query field/);
    expect(calls).toHaveLength(1);
  });

  it('503 is a TrackerUnavailableError after the retries', async () => {
    const { calls } = nockLinear(() => [503, '<html><body>Service Unavailable</body></html>']);
    const err = await adapter({ retries: 2, minBackoffMs: 1 })
      .listIssues()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerUnavailableError);
    expect((err as Error).message).toContain('503');
    expect(calls).toHaveLength(3);
  });

  it('a 502 then an answer: retried and read', async () => {
    const { calls } = nockLinear((_c, i) => (i === 0 ? [502, 'Bad Gateway'] : [200, fixture('issues-page.json')]));
    const page = await adapter({ retries: 2, minBackoffMs: 1 }).listIssues();
    expect(page.issues).toHaveLength(5);
    expect(calls).toHaveLength(2);
  });

  it('a refused connection is a TrackerUnavailableError', async () => {
    // nock's replyWithError never settles a fetch (nock 15), so: a local port nobody listens on
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const err = await adapter({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, minBackoffMs: 1 })
      .listIssues()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerUnavailableError);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('an answer that never comes is a TrackerUnavailableError once the timeout passes', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    // accepts the connection, never answers
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await adapter({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 })
        .checkAuth()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrackerUnavailableError);
      expect((err as Error).message).toContain('no answer within');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('baseUrl points the client at a stand-in', async () => {
    const { calls } = nockLinear(() => [200, fixture('viewer.json')], 'https://linear.sandbox.test');
    await adapter({ baseUrl: 'https://linear.sandbox.test/' }).checkAuth();
    expect(calls.map((c) => c.operation)).toEqual(['PreflightViewer']);
  });
});

describe('write-back', () => {
  it('moveToDone moves the issue to its team’s first completed state (lowest position)', async () => {
    const { calls } = nockLinear((call) => (call.operation === 'PreflightDoneStates' ? [200, fixture('done-states.json')] : [200, fixture('issue-update.json')]));
    await adapter().moveToDone('ENG-12');
    expect(calls.map((c) => c.operation)).toEqual(['PreflightDoneStates', 'PreflightMoveIssue']);
    expect(calls[0]!.variables).toEqual({ id: 'ENG-12' });
    expect(calls[1]!.variables).toEqual({ id: 'a3c9e1f2-4b5d-4c6e-8f7a-9b0c1d2e3f40', stateId: 'st-done-0000-0000-0000-000000000001' });
  });

  it('moveToDone does nothing more when the issue is already completed', async () => {
    const states = fixture('done-states.json');
    states.data.issue.state.type = 'completed';
    const { calls } = nockLinear(() => [200, states]);
    await adapter().moveToDone('ENG-12');
    expect(calls.map((c) => c.operation)).toEqual(['PreflightDoneStates']);
  });

  it('moveToDone with a refused key is a TrackerAuthError', async () => {
    nockLinear(() => [401, fixture('error-authentication.json')]);
    await expect(adapter().moveToDone('ENG-12')).rejects.toBeInstanceOf(TrackerAuthError);
  });

  it('addComment creates one comment with the text as its markdown body', async () => {
    const { calls } = nockLinear(() => [200, fixture('comment-create.json')]);
    await adapter().addComment('ENG-12', 'Overdue since 14:00; escalated to the lead');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.operation).toBe('PreflightComment');
    expect(calls[0]!.variables).toEqual({ issueId: 'ENG-12', body: 'Overdue since 14:00; escalated to the lead' });
  });

  it('addComment that Linear refuses (success false) throws', async () => {
    nockLinear(() => [200, { data: { commentCreate: { success: false } } }]);
    await expect(adapter().addComment('ENG-12', 'x')).rejects.toThrow(/refused the comment on ENG-12/);
  });
});
