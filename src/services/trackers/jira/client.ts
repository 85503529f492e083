import { type Auth, type Client, createClient, isApiError, isNetworkError, isOAuthError, isRateLimitError, type SendRequestOptions } from 'jira.js/core';
import pTimeout from 'p-timeout';
import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../adapter.js';

/*
 * Building the jira.js client for one `tasks_from: jira:` source (issue 21): which deployment (Cloud REST v3 or Data
 * Center REST v2), which credentials (from the environment variables the source names), and one transport that turns
 * every fault into the adapter contract's errors (services/trackers/adapter.ts), so no jira.js error leaves this folder.
 */

/** Cloud: REST v3 (`/rest/api/3`, ADF rich text). Data Center: REST v2 (`/rest/api/2`, plain text / wiki markup). */
export type JiraDeployment = 'cloud' | 'datacenter';

/** Default per-request timeout, ms: a request that has not answered by then counts as the tracker being unavailable. */
export const JIRA_REQUEST_TIMEOUT_MS = 30_000;

/** The wait reported on a 429 that carries no Retry-After, ms (Atlassian: "may be accompanied by Retry-After"). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Attempts per request for a transient fault (502/503/504, a reset socket): jira.js retries them itself, backing off from 500 ms. */
const TRANSIENT_ATTEMPTS = 3;

/** Jira answered something the adapter cannot use and that is none of the contract's faults: 400 (bad JQL), 404, 409… */
export class JiraRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'JiraRequestError';
  }
}

/** One source's connection: the transport, the deployment and what it needs to word its errors. */
export interface JiraConnection {
  client: Client;
  deployment: JiraDeployment;
  /** The REST path prefix: `/rest/api/3` (Cloud) or `/rest/api/2` (Data Center). */
  api: '/rest/api/3' | '/rest/api/2';
  /** The site as configured, without a trailing slash (issue URLs use it, even when `baseUrl` redirects requests). */
  site: string;
}

/**
 * The deployment of a source: `deployment` when the config says, else `cloud` for a `*.atlassian.net` site and
 * `datacenter` for any other host (the rule documented on JiraSourceConfig.deployment).
 */
export function jiraDeployment(source: Pick<JiraSourceConfig, 'site' | 'deployment'>): JiraDeployment {
  if (source.deployment) return source.deployment;
  return new URL(source.site).hostname.endsWith('.atlassian.net') ? 'cloud' : 'datacenter';
}

/**
 * The jira.js credentials of a source, read from the variables it names:
 * - `email_env` + `token_env`: basic auth with an Atlassian account's email and API token (Cloud);
 * - `token_env` alone on Cloud: an OAuth 2.0 (3LO) access token, routed by jira.js through Atlassian's gateway for the
 *   site (or a plain bearer token when `baseUrl` redirects requests to a stand-in);
 * - `token_env` alone on Data Center: a personal access token, sent as a bearer token;
 * - neither: anonymous (a public Jira).
 * @throws Error naming the key and the variable when a named variable is unset or empty.
 */
export function jiraAuth(source: JiraSourceConfig, env: NodeJS.ProcessEnv, redirected: boolean): Auth | undefined {
  const read = (key: 'token_env' | 'email_env', name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`tasks_from jira (${source.site}): ${key} names the environment variable ${name}, which is not set`);
    return value;
  };
  if (source.email_env && !source.token_env) throw new Error(`tasks_from jira (${source.site}): email_env is set but token_env is not: name the variable holding the API token`);
  if (!source.token_env) return undefined;
  const token = read('token_env', source.token_env);
  if (source.email_env) return { type: 'basic', email: read('email_env', source.email_env), apiToken: token };
  if (jiraDeployment(source) === 'cloud' && !redirected) return { type: 'oauth2', accessToken: token, siteUrl: source.site };
  return { type: 'bearer', token };
}

/**
 * Connects to one source: jira.js's core client (fetch, its own retries of 502/503/504 and transient network errors)
 * with a {@link JIRA_REQUEST_TIMEOUT_MS} timeout per request and every fault mapped by {@link toTrackerError}.
 * @param baseUrl where requests go instead of the site (the sandbox's stand-in); issue URLs still use the site.
 * @param timeoutMs per-request timeout (default {@link JIRA_REQUEST_TIMEOUT_MS}), jira.js's own retries included.
 * @throws Error when a variable the source names is unset (see {@link jiraAuth}).
 */
export function connectJira(source: JiraSourceConfig, env: NodeJS.ProcessEnv, baseUrl?: string, timeoutMs = JIRA_REQUEST_TIMEOUT_MS): JiraConnection {
  const site = source.site.replace(/\/+$/, '');
  const deployment = jiraDeployment(source);
  const auth = jiraAuth(source, env, baseUrl !== undefined);
  const host = (baseUrl ?? site).replace(/\/+$/, '');
  const inner = createClient({
    host,
    auth,
    retry: { maxAttempts: TRANSIENT_ATTEMPTS, initialDelayMs: 500, backoffFactor: 2 },
    // responses are read through this folder's own schemas (fields.ts); the library's own check stays quiet
    onSchemaMismatch: 'silent',
  } as Parameters<typeof createClient>[0]);
  const client: Client = {
    async sendRequest<T>(options: SendRequestOptions<T>): Promise<T> {
      try {
        return await pTimeout(inner.sendRequest(options), { milliseconds: timeoutMs, message: new TrackerUnavailableError('jira', `no answer from ${host} within ${timeoutMs / 1000} s`) });
      } catch (err) {
        throw toTrackerError(err, source, `${options.method ?? 'GET'} ${options.url}`);
      }
    },
  };
  return { client, deployment, api: deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2', site };
}

/**
 * Maps what jira.js threw to the adapter contract: 401/403 (and a failed OAuth token flow) → {@link TrackerAuthError}
 * naming `token_env` (the detail names `email_env` too); 429 → {@link TrackerRateLimitError} with Retry-After in ms
 * (seconds or an HTTP date, read by jira.js; {@link DEFAULT_RETRY_AFTER_MS} when absent); 5xx, network errors and
 * timeouts → {@link TrackerUnavailableError}; any other HTTP answer → {@link JiraRequestError} with Jira's messages.
 * Errors that are already the contract's pass through.
 */
export function toTrackerError(err: unknown, source: Pick<JiraSourceConfig, 'token_env' | 'email_env' | 'site'>, request: string): Error {
  if (err instanceof TrackerAuthError || err instanceof TrackerRateLimitError || err instanceof TrackerUnavailableError || err instanceof JiraRequestError) return err;
  const envVar = source.token_env ?? 'token_env (not configured: requests were anonymous)';
  const withEmail = source.email_env ? ` (with the email in ${source.email_env})` : '';
  if (isOAuthError(err)) return new TrackerAuthError('jira', envVar, `the OAuth 2.0 token was not accepted${withEmail}: ${err.message}`);
  if (isRateLimitError(err)) return new TrackerRateLimitError('jira', err.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
  if (isApiError(err)) {
    const detail = jiraMessages(err.body);
    if (err.status === 401 || err.status === 403) return new TrackerAuthError('jira', envVar, `HTTP ${err.status} on ${request}${withEmail}${detail ? `: ${detail}` : ''}`);
    if (err.status >= 500) return new TrackerUnavailableError('jira', `HTTP ${err.status} on ${request}`);
    return new JiraRequestError(err.status, `Jira (${source.site}) answered HTTP ${err.status} to ${request}${detail ? `: ${detail}` : ''}`);
  }
  if (isNetworkError(err)) return new TrackerUnavailableError('jira', err.message);
  return err instanceof Error ? err : new Error(String(err));
}

/** Jira's error payload (`{ errorMessages: [...], errors: { field: message } }`) as one line; '' when it has none. */
function jiraMessages(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body !== 'object' || body === null) return '';
  const { errorMessages, errors, message } = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m): m is string => typeof m === 'string'));
  if (errors && typeof errors === 'object') for (const [k, v] of Object.entries(errors)) if (typeof v === 'string') parts.push(`${k}: ${v}`);
  if (typeof message === 'string') parts.push(message);
  return parts.join('; ');
}
