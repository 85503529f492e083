import { describe, expect, it } from 'vitest';
import { firstClick } from '../../../../src/slack/middleware/clicks.js';

/** A stand-in for the one Redis command firstClick sends (SET key 1 PX ms NX), keeping keys in a Map. */
function memoryRedis() {
  const keys = new Map<string, string>();
  return {
    keys,
    async set(key: string, value: string, _px: 'PX', _ms: number, _nx: 'NX') {
      if (keys.has(key)) return null;
      keys.set(key, value);
      return 'OK';
    },
  };
}

describe('firstClick (double-click dedupe)', () => {
  it('lets the first click through and swallows the second of a double-click', async () => {
    const redis = memoryRedis();
    const ctx = { redis: redis as never, keyPrefix: 'preflight' };
    expect(await firstClick(ctx, 'U1', 'blocker_resolve', '1')).toBe(true);
    expect(await firstClick(ctx, 'U1', 'blocker_resolve', '1')).toBe(false);
  });

  it('keeps two installs sharing one Redis apart: the same click in another QUEUE_PREFIX is its own first click', async () => {
    const redis = memoryRedis();
    expect(await firstClick({ redis: redis as never, keyPrefix: 'acme' }, 'U1', 'blocker_resolve', '1')).toBe(true);
    expect(await firstClick({ redis: redis as never, keyPrefix: 'globex' }, 'U1', 'blocker_resolve', '1')).toBe(true);
    expect([...redis.keys.keys()].every((k) => k.startsWith('acme:') || k.startsWith('globex:'))).toBe(true);
  });

  it('lets the click through when Redis does not answer', async () => {
    const down = { set: async () => Promise.reject(new Error('connect ECONNREFUSED')) };
    expect(await firstClick({ redis: down as never, keyPrefix: 'preflight' }, 'U1', 'gate_signoff', 'qa')).toBe(true);
  });
});
