import { LinearError, LinearErrorType } from '@linear/sdk';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../adapter.js';

/*
 * Linear's faults → the adapter contract's errors. Linear answers GraphQL errors with `extensions.code`
 * (AUTHENTICATION_ERROR, RATELIMITED, …) and `extensions.type` ("authentication error", "ratelimited"), HTTP 400
 * or 401 for a refused key and 400 or 429 when rate limited, with X-RateLimit-* headers
 * (https://linear.app/developers/rate-limiting). The SDK turns them into LinearError subclasses (its
 * parseLinearError reads `extensions.type`, then the HTTP status); we read both, so that no LinearError escapes.
 */

/** Wait used when a rate-limited answer names no reset, ms (Linear's windows refill continuously; one minute is safe). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** What kind of fault a thrown value is, for the retry decision and the mapping. */
export type LinearFault = { kind: 'auth'; detail: string } | { kind: 'ratelimit'; retryAfterMs: number } | { kind: 'unavailable'; detail: string } | { kind: 'other'; detail: string };

interface RawGraphqlError {
  message?: string;
  extensions?: { code?: string; type?: string; userPresentableMessage?: string };
}

function rawErrors(err: LinearError): RawGraphqlError[] {
  const raw = err.raw as { response?: { errors?: RawGraphqlError[] } } | undefined;
  return Array.isArray(raw?.response?.errors) ? raw.response.errors : [];
}

function responseHeaders(err: LinearError): Headers | undefined {
  const headers = (err.raw as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  return headers instanceof Headers ? headers : undefined;
}

/**
 * How long to wait after a rate-limited answer, ms from `nowMs` (UTC epoch ms): `Retry-After` (seconds) when sent,
 * else the reset of the exhausted budget (`X-RateLimit-Requests-Reset` / `X-RateLimit-Complexity-Reset`, UTC epoch
 * milliseconds, per Linear's rate-limiting page), else the later of the two resets, else
 * {@link DEFAULT_RATE_LIMIT_WAIT_MS}. At least 1 s.
 */
export function rateLimitWaitMs(headers: Headers | undefined, nowMs: number): number {
  const num = (name: string): number | undefined => {
    const v = headers?.get(name);
    if (v === null || v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const retryAfter = num('retry-after');
  if (retryAfter !== undefined) return Math.max(1000, retryAfter * 1000);
  const budgets = [
    { remaining: num('x-ratelimit-requests-remaining'), reset: num('x-ratelimit-requests-reset') },
    { remaining: num('x-ratelimit-complexity-remaining'), reset: num('x-ratelimit-complexity-reset') },
  ].filter((b): b is { remaining: number | undefined; reset: number } => b.reset !== undefined);
  const exhausted = budgets.filter((b) => b.remaining !== undefined && b.remaining <= 0);
  const resets = (exhausted.length > 0 ? exhausted : budgets).map((b) => b.reset);
  if (resets.length === 0) return DEFAULT_RATE_LIMIT_WAIT_MS;
  return Math.max(1000, Math.max(...resets) - nowMs);
}

/** Classifies anything the SDK or fetch threw (`nowMs`: UTC epoch ms, for the rate-limit wait). */
export function classifyLinearFault(err: unknown, nowMs: number): LinearFault {
  if (err instanceof LinearError) {
    const errors = rawErrors(err);
    const codes = new Set(errors.map((e) => e.extensions?.code?.toUpperCase()));
    const detail = errors[0]?.extensions?.userPresentableMessage ?? errors[0]?.message ?? (err.status ? `HTTP ${err.status}` : (err.type ?? err.message));
    if (err.type === LinearErrorType.Ratelimited || codes.has('RATELIMITED') || err.status === 429) {
      return { kind: 'ratelimit', retryAfterMs: rateLimitWaitMs(responseHeaders(err), nowMs) };
    }
    if (
      err.type === LinearErrorType.AuthenticationError ||
      err.type === LinearErrorType.Forbidden ||
      codes.has('AUTHENTICATION_ERROR') ||
      codes.has('FORBIDDEN') ||
      err.status === 401 ||
      err.status === 403
    ) {
      return { kind: 'auth', detail };
    }
    if (err.type === LinearErrorType.NetworkError || err.type === LinearErrorType.InternalError || err.type === LinearErrorType.LockTimeout || (err.status !== undefined && err.status >= 500)) {
      return { kind: 'unavailable', detail: err.status ? `HTTP ${err.status}` : detail };
    }
    return { kind: 'other', detail: `${err.type}: ${detail}` };
  }
  // fetch rejects with a TypeError ("fetch failed", cause ECONNREFUSED…) or an AbortError/TimeoutError
  if (err instanceof Error && (err.name === 'TypeError' || err.name === 'AbortError' || err.name === 'TimeoutError')) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'unavailable', detail: err.name === 'TypeError' ? (cause?.code ?? cause?.message ?? err.message) : err.message };
  }
  return { kind: 'other', detail: err instanceof Error ? err.message : String(err) };
}

/**
 * Turns a fault into the contract's error: TrackerAuthError naming `envVar`, TrackerRateLimitError,
 * TrackerUnavailableError, or a plain Error (`Linear <what>: …`) for anything else (a bug or an input Linear refused),
 * never the SDK's own LinearError.
 */
export function toTrackerError(fault: LinearFault, envVar: string, what: string): Error {
  switch (fault.kind) {
    case 'auth':
      return new TrackerAuthError('linear', envVar, fault.detail);
    case 'ratelimit':
      return new TrackerRateLimitError('linear', fault.retryAfterMs);
    case 'unavailable':
      return new TrackerUnavailableError('linear', `${what}: ${fault.detail}`);
    default:
      return new Error(`Linear ${what}: ${fault.detail}`);
  }
}
