import { describe, expect, it } from 'vitest';
import { bearerMatches } from '../../../src/api/auth.js';

const TOKEN = 'abcdef0123456789abcdef';

describe('bearerMatches (RFC 6750 bearer header, constant-time comparison)', () => {
  it('accepts exactly the token, with the scheme in any case', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });
  it('refuses a missing header, another scheme, a prefix, a longer token and an empty one', () => {
    for (const header of [undefined, '', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}0`, 'Bearer ', `Bearer ${TOKEN} extra`]) {
      expect(bearerMatches(header, TOKEN), String(header)).toBe(false);
    }
  });
});
