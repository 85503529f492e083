import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../../src/services/oncall/http.js';

describe('retryAfterMs (RFC 9110 Retry-After)', () => {
  const now = Date.parse('2026-12-01T15:00:00Z');
  it('reads delay-seconds and an HTTP date', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 15:00:45 GMT', now)).toBe(45_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 14:00:00 GMT', now)).toBe(0);
  });
  it('is null when absent or unreadable', () => {
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});
