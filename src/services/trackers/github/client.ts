import { createAppAuth } from '@octokit/auth-app';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { GithubSourceConfig } from '../../../config/schema/tasks-from.js';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../adapter.js';

/*
 * The Octokit client of one GitHub source: auth (a fine-grained PAT from `token_env`, or a GitHub App installation
 * through @octokit/auth-app), @octokit/plugin-throttling (GitHub's primary and secondary rate limits), and the
 * translation of Octokit's errors into the adapter's fault errors.
 */

const ThrottledOctokit = Octokit.plugin(throttling);
export type GithubClient = InstanceType<typeof ThrottledOctokit>;

/** How the client authenticates, and the variable(s) a refused credential names. */
export interface GithubCredentials {
  /** `GITHUB_TOKEN` (the source's `token_env`) or `GH_APP_ID / GH_APP_KEY` (the app's two variables). */
  envVar: string;
  /** Set when a variable is missing: every call then throws TrackerAuthError with this detail. */
  missing?: string;
  client?: GithubClient;
}

export interface GithubClientOptions {
  /** Replaces https://api.github.com (GitHub Enterprise Server: `https://ghe.example.com/api/v3`; tests). */
  baseUrl?: string;
  /**
   * The longest wait, in seconds, the throttling plugin may sleep before its one retry of a rate-limited request
   * (default 10). A longer Retry-After / x-ratelimit-reset is surfaced at once as TrackerRateLimitError, so the sync
   * decides when to come back rather than a request hanging for an hour.
   */
  maxRetryWaitS?: number;
  /** Clock for x-ratelimit-reset arithmetic, epoch ms (default Date.now). */
  now?: () => number;
}

/** A quiet log for Octokit (its warnings about rate limits become our TrackerRateLimitError). */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Builds the Octokit client of `source` from `env`. App auth when `source.app` is set (app id and private key from
 * the named variables, `\n` escapes in the key turned into newlines; the installation token is requested on first
 * use and renewed by @octokit/auth-app), else a token from `token_env`. Never throws: a missing variable (or a
 * source naming neither) is recorded in `missing` for the adapter to raise as TrackerAuthError on use.
 */
export function createGithubClient(source: GithubSourceConfig, env: NodeJS.ProcessEnv, opts: GithubClientOptions): GithubCredentials {
  const maxWait = opts.maxRetryWaitS ?? 10;
  const common = {
    baseUrl: opts.baseUrl ?? 'https://api.github.com',
    userAgent: 'preflight-slack-bot',
    log: quiet,
    throttle: {
      // one source, one limiter: two sources never queue behind each other
      id: source.repo ?? source.project ?? 'github',
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1 && retryAfter <= maxWait,
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1 && retryAfter <= maxWait,
    },
  };
  if (source.app) {
    const { app_id_env, private_key_env, installation_id } = source.app;
    const envVar = `${app_id_env} / ${private_key_env}`;
    const appId = env[app_id_env]?.trim();
    const privateKey = env[private_key_env]?.replace(/\\n/g, '\n').trim();
    if (!appId) return { envVar: app_id_env, missing: `${app_id_env} is not set (the GitHub App's id)` };
    if (!privateKey) return { envVar: private_key_env, missing: `${private_key_env} is not set (the GitHub App's private key, PEM)` };
    return { envVar, client: new ThrottledOctokit({ ...common, authStrategy: createAppAuth, auth: { appId, privateKey, installationId: installation_id } }) };
  }
  if (!source.token_env) return { envVar: 'token_env', missing: 'the source names neither token_env (a fine-grained PAT) nor app' };
  const token = env[source.token_env]?.trim();
  if (!token) return { envVar: source.token_env, missing: `${source.token_env} is not set` };
  return { envVar: source.token_env, client: new ThrottledOctokit({ ...common, auth: token }) };
}

type Headers = Record<string, string | number | undefined>;

/** Octokit's RequestError or GraphqlResponseError, duck-typed (the classes live in transitive packages). */
interface OctokitFault {
  status?: number;
  message?: string;
  response?: { headers?: Headers; data?: { errors?: GqlError[] } };
  headers?: Headers;
  errors?: GqlError[];
  data?: { errors?: GqlError[] };
}

interface GqlError {
  type?: string;
  message?: string;
}

/** The GraphQL errors of a GraphqlResponseError, or of the throttling plugin's "GraphQL Rate Limit Exceeded" error. */
function graphqlErrors(err: unknown): GqlError[] | undefined {
  const e = err as OctokitFault;
  const list = e?.errors ?? e?.data?.errors ?? e?.response?.data?.errors;
  return Array.isArray(list) ? list : undefined;
}

/** The status of an Octokit error (0 for a GraphQL error in a 200 answer, undefined for anything else). */
export function faultStatus(err: unknown): number | undefined {
  const e = err as OctokitFault;
  if (typeof e?.status === 'number') return e.status;
  return graphqlErrors(err) ? 0 : undefined;
}

/** The GraphQL error types of a GraphqlResponseError (`NOT_FOUND`, `RATE_LIMITED`, `FORBIDDEN`…). */
export function graphqlErrorTypes(err: unknown): string[] {
  return (graphqlErrors(err) ?? []).map((x) => x.type ?? '');
}

/**
 * How long to wait, in ms, per GitHub's rate-limit headers: `retry-after` (seconds), else `x-ratelimit-reset` (epoch
 * seconds) minus `now`, else 60 s (GitHub's advice for a secondary limit without headers). Source:
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export function retryAfterMs(headers: Headers | undefined, now: number): number {
  const retryAfter = Number(headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers?.['retry-after'] !== undefined) return retryAfter * 1000;
  const reset = Number(headers?.['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now) + 1000;
  return 60_000;
}

/**
 * Translates whatever an Octokit call threw into the adapter's faults:
 * - 401, or 403 that is not a rate limit ("Bad credentials", "Resource not accessible by personal access token"),
 *   or a 404 on the source itself (`notFoundIsAuth`: GitHub answers 404 for a private repository the token cannot
 *   see) → TrackerAuthError naming `envVar`;
 * - 429, or 403 with `x-ratelimit-remaining: 0` / `retry-after` / a "rate limit" message, or GraphQL `RATE_LIMITED`
 *   → TrackerRateLimitError with the wait from the headers;
 * - 5xx, a network failure (Octokit reports it as status 500), a timeout → TrackerUnavailableError;
 * - anything else is returned as is (a bug, or a 404/410/422 the caller handles).
 */
export function toTrackerFault(err: unknown, envVar: string, now: number, notFoundIsAuth = false): unknown {
  if (err instanceof TrackerAuthError || err instanceof TrackerRateLimitError || err instanceof TrackerUnavailableError) return err;
  const e = err as OctokitFault;
  const status = faultStatus(err);
  const headers = e?.response?.headers ?? e?.headers;
  const message = String(e?.message ?? err);
  if (status === 0) {
    const types = graphqlErrorTypes(err);
    if (types.includes('RATE_LIMITED')) return new TrackerRateLimitError('github', retryAfterMs(headers, now));
    if (types.includes('FORBIDDEN') || (notFoundIsAuth && types.includes('NOT_FOUND'))) return new TrackerAuthError('github', envVar, message);
    return err;
  }
  if (status === 429) return new TrackerRateLimitError('github', retryAfterMs(headers, now));
  if (status === 403) {
    const limited = headers?.['x-ratelimit-remaining'] === '0' || headers?.['x-ratelimit-remaining'] === 0 || headers?.['retry-after'] !== undefined || /rate limit/i.test(message);
    return limited ? new TrackerRateLimitError('github', retryAfterMs(headers, now)) : new TrackerAuthError('github', envVar, message);
  }
  if (status === 401) return new TrackerAuthError('github', envVar, message);
  if (status === 404 && notFoundIsAuth) return new TrackerAuthError('github', envVar, `not found or not visible to these credentials (${message})`);
  if (status !== undefined && status >= 500) return new TrackerUnavailableError('github', `${status} ${message}`);
  if (status === undefined && err instanceof Error && /fetch failed|network|ECONN|ETIMEDOUT|aborted|socket/i.test(message)) {
    return new TrackerUnavailableError('github', message);
  }
  return err;
}
