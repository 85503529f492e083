import { describe, expect, it } from 'vitest';
import { expiryOf, REFRESH_AHEAD_MS, refreshDue, stillValid } from '../../../../src/domain/slack-tokens/refresh.js';

describe('when an expiring Slack token is refreshed', () => {
  // any instant: the rule is about the distance to the expiry only
  const issued = new Date(Date.UTC(2026, 3, 1, 8));
  const expiresAt = expiryOf(issued, 43_200);
  const at = (msBeforeExpiry: number) => new Date(expiresAt.getTime() - msBeforeExpiry);

  it('expires `expires_in` seconds after Slack answered (12 hours for 43 200)', () => {
    expect(expiresAt.getTime() - issued.getTime()).toBe(12 * 3_600_000);
  });

  it('is due once less than 30 minutes are left, and after it expired', () => {
    expect(REFRESH_AHEAD_MS).toBe(30 * 60_000);
    expect(refreshDue(expiresAt, issued)).toBe(false);
    expect(refreshDue(expiresAt, at(31 * 60_000))).toBe(false);
    expect(refreshDue(expiresAt, at(30 * 60_000))).toBe(false);
    expect(refreshDue(expiresAt, at(30 * 60_000 - 1))).toBe(true);
    expect(refreshDue(expiresAt, at(-1))).toBe(true);
    expect(refreshDue(expiresAt, at(5 * 60_000), 60_000)).toBe(false);
  });

  it('still works until its expiry, not at it', () => {
    expect(stillValid(expiresAt, at(1))).toBe(true);
    expect(stillValid(expiresAt, at(0))).toBe(false);
  });
});
