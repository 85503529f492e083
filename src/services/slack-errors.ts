import { ErrorCode } from '@slack/web-api';

/**
 * Seconds Slack asked us to wait (HTTP 429 `Retry-After`), when `err` is @slack/web-api's rate-limited
 * error (thrown because workers use `rejectRateLimitedCalls: true`); otherwise null.
 */
export function rateLimitedFor(err: unknown): number | null {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === ErrorCode.RateLimitedError ? Math.max(1, Number(e.retryAfter ?? 1)) : null;
}

/** The Web API `error` string (e.g. `channel_not_found`) of a platform error, else null. */
export function platformError(err: unknown): string | null {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? (e.data?.error ?? 'unknown_error') : null;
}

/**
 * Platform errors that will not go away by retrying a message to this recipient
 * (docs.slack.dev/reference/methods/chat.postMessage#errors).
 */
const PERMANENT_FOR_RECIPIENT = new Set([
  'channel_not_found',
  'user_not_found',
  'messages_tab_disabled',
  'cannot_dm_bot',
  'user_disabled',
  'account_inactive',
  'is_archived',
  'not_in_channel',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
]);

/** True when retrying a message that failed with `err` is pointless. */
export function isPermanent(err: unknown): boolean {
  const code = platformError(err);
  return code !== null && PERMANENT_FOR_RECIPIENT.has(code);
}
