/**
 * When to refresh an expiring Slack access token (token rotation, docs.slack.dev/authentication/using-token-rotation:
 * with rotation on, a bot token lives 12 hours, `expires_in` 43200 s, and is exchanged for a new one with the
 * refresh token Slack gave with it).
 */

/** Refresh once less than this is left of the access token's life, ms: 30 minutes of its 12 hours. */
export const REFRESH_AHEAD_MS = 30 * 60_000;

/** After a refresh Slack refused or did not answer, wait this long before trying again while the token still works, ms. */
export const RETRY_REFRESH_AFTER_MS = 60_000;

/**
 * Whether a token expiring at `expiresAt` is due for a refresh at `now` (both instants; UTC in, UTC out).
 * @returns true when less than `aheadMs` (default {@link REFRESH_AHEAD_MS}) is left, or it has expired.
 */
export function refreshDue(expiresAt: Date, now: Date, aheadMs: number = REFRESH_AHEAD_MS): boolean {
  return expiresAt.getTime() - now.getTime() < aheadMs;
}

/** Whether a token expiring at `expiresAt` still works at `now` (Slack answers `token_expired` from then on). */
export function stillValid(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() > now.getTime();
}

/** The instant a token with Slack's `expires_in` (seconds) expires, counted from `issuedAt` (when Slack answered). */
export function expiryOf(issuedAt: Date, expiresInS: number): Date {
  return new Date(issuedAt.getTime() + expiresInS * 1000);
}
