import { LinearClient } from '@linear/sdk';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import pRetry, { AbortError } from 'p-retry';
import pTimeout from 'p-timeout';
import type { LinearSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import { type IssuePage, TrackerAuthError, type TrackerAdapter, type WebhookHeaders } from '../adapter.js';
import { classifyLinearFault, toTrackerError } from './errors.js';
import { issueFilter, type LinearIssueNode, mapIssueNode, parseLinearWebhook } from './map.js';
import { COMMENT_MUTATION, DONE_STATES_QUERY, ISSUES_QUERY, MOVE_ISSUE_MUTATION, PAGE_SIZE, VIEWER_QUERY } from './queries.js';

/*
 * The Linear adapter (issue 21): one configured `linear: { team, project?, label? }` source, through @linear/sdk's
 * GraphQL client (`client.client.rawRequest`, one query per page of 50). Contract: ../adapter.ts; mapping: map.ts.
 */

/** The variable read when the source names no `token_env`. */
export const DEFAULT_LINEAR_TOKEN_ENV = 'LINEAR_API_KEY';

/** Options for tests and the sandbox. */
export interface LinearAdapterOptions {
  /** Replaces https://api.linear.app (the sandbox's stand-in); the GraphQL endpoint is `<baseUrl>/graphql`. */
  baseUrl?: string;
  /** UTC epoch ms now, for rate-limit waits (default Date.now). Webhook timestamps are checked by the SDK against the system clock. */
  now?: () => number;
  /** Retries after a 5xx or network failure, with exponential backoff (default 2; rate limits and refused keys are never retried here). */
  retries?: number;
  /** First backoff wait, ms (default 500, doubling). */
  minBackoffMs?: number;
  /** Longest wait for one answer, ms (default 30 s); past it the attempt counts as a network failure. */
  timeoutMs?: number;
}

/**
 * A Linear personal API key (`lin_api_…`) is sent as `Authorization: <key>`; an OAuth access token (`lin_oauth_…`, or
 * one given as `Bearer …`) as `Authorization: Bearer <token>` (https://linear.app/developers/graphql).
 */
export function linearClientAuth(token: string): { apiKey: string } | { accessToken: string } {
  const t = token.trim();
  if (/^bearer\s+/i.test(t)) return { accessToken: t.replace(/^bearer\s+/i, '') };
  if (t.startsWith('lin_oauth_')) return { accessToken: t };
  return { apiKey: t };
}

/** `ENG-12` → 12 when it is an identifier of team `teamKey`, else null. */
function issueNumber(key: string, teamKey: string): number | null {
  const m = /^(.+)-(\d+)$/.exec(key.trim());
  return m && m[1]!.toUpperCase() === teamKey.toUpperCase() ? Number(m[2]) : null;
}

/** The first header value, lower-cased names (Node's IncomingHttpHeaders shape). */
function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Creates the adapter for one Linear source. Never throws itself: a missing token surfaces as a
 * {@link TrackerAuthError} naming the variable from every call (checkAuth at start-up first).
 * @param source the source's config (`team` key, optional `project` and `label` names, `token_env`, default LINEAR_API_KEY)
 * @param env where the token is read (process.env in production)
 */
export function createLinearAdapter(source: LinearSourceConfig, env: NodeJS.ProcessEnv, opts: LinearAdapterOptions = {}): TrackerAdapter {
  const envVar = source.token_env ?? DEFAULT_LINEAR_TOKEN_ENV;
  const token = env[envVar]?.trim();
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const apiUrl = `${(opts.baseUrl ?? 'https://api.linear.app').replace(/\/+$/, '')}/graphql`;
  const label = [source.team, source.project, source.label].filter(Boolean).join(' / ');
  let client: LinearClient | undefined;

  const getClient = (): LinearClient => {
    if (!token) throw new TrackerAuthError('linear', envVar, 'the variable is not set');
    client ??= new LinearClient({ ...linearClientAuth(token), apiUrl });
    return client;
  };

  /** One GraphQL request; 5xx and network failures retried, every fault mapped to the contract's errors. */
  const request = async <T>(what: string, query: string, variables: Record<string, unknown>): Promise<T> => {
    const c = getClient();
    return pRetry(
      async () => {
        let data: T | undefined;
        try {
          ({ data } = await pTimeout(c.client.rawRequest<T, Record<string, unknown>>(query, variables), { milliseconds: timeoutMs, message: `no answer within ${timeoutMs / 1000} s` }));
        } catch (err) {
          const fault = classifyLinearFault(err, now());
          const mapped = toTrackerError(fault, envVar, what);
          if (fault.kind === 'unavailable') throw mapped;
          throw new AbortError(mapped);
        }
        if (data === undefined || data === null) throw new AbortError(`Linear ${what}: the answer has no data`);
        return data;
      },
      { retries: opts.retries ?? 2, minTimeout: opts.minBackoffMs ?? 500, factor: 2, randomize: true },
    );
  };

  const listPage = async (filter: Record<string, unknown>, first: number, after: string | undefined, what: string) => {
    const data = await request<{ issues: { nodes: LinearIssueNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(what, ISSUES_QUERY, {
      filter,
      first,
      after: after ?? null,
    });
    return data.issues;
  };

  return {
    kind: 'linear',
    label,

    async checkAuth() {
      await request('viewer', VIEWER_QUERY, {});
    },

    async listIssues(cursor?: string): Promise<IssuePage> {
      const page = await listPage(issueFilter(source), PAGE_SIZE, cursor, `issues of ${label}`);
      const issues = page.nodes.map((n) => mapIssueNode(n, source.team));
      return page.pageInfo.hasNextPage && page.pageInfo.endCursor ? { issues, next: page.pageInfo.endCursor } : { issues };
    },

    async getIssue(key: string): Promise<TrackerIssue | null> {
      const number = issueNumber(key, source.team);
      if (number === null) return null;
      const page = await listPage(issueFilter(source, number), 1, undefined, `issue ${key}`);
      const node = page.nodes[0];
      return node ? mapIssueNode(node, source.team) : null;
    },

    async verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, secret: string): Promise<boolean> {
      const signature = header(headers, 'linear-signature');
      if (!signature || !secret) return false;
      try {
        // HMAC-SHA256 hex of the raw body, compared in constant time, and the signed body's webhookTimestamp within 60 s
        return new LinearWebhookClient(secret).verify(rawBody, signature);
      } catch {
        return false;
      }
    },

    parseWebhook(_headers: WebhookHeaders, body: unknown) {
      return parseLinearWebhook(body, source);
    },

    async moveToDone(key: string): Promise<void> {
      const data = await request<{
        issue: { id: string; state: { type: string } | null; team: { states: { nodes: { id: string; name: string; position: number }[] } } } | null;
      }>(`done states for ${key}`, DONE_STATES_QUERY, { id: key });
      if (!data.issue) throw new Error(`Linear issue ${key} was not found`);
      if (data.issue.state?.type === 'completed') return;
      const [done] = [...data.issue.team.states.nodes].sort((a, b) => a.position - b.position);
      if (!done) throw new Error(`Linear issue ${key}: its team has no workflow state of type completed`);
      const res = await request<{ issueUpdate: { success: boolean } }>(`move ${key} to ${done.name}`, MOVE_ISSUE_MUTATION, { id: data.issue.id, stateId: done.id });
      if (!res.issueUpdate.success) throw new Error(`Linear refused to move ${key} to ${done.name}`);
    },

    async addComment(key: string, text: string): Promise<void> {
      const res = await request<{ commentCreate: { success: boolean } }>(`comment on ${key}`, COMMENT_MUTATION, { issueId: key, body: text });
      if (!res.commentCreate.success) throw new Error(`Linear refused the comment on ${key}`);
    },
  };
}
