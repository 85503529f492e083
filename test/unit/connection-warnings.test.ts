import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { connectionWarnings } from '../../src/connection-warnings.js';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

describe('connectionWarnings', () => {
  it('logs the first error at once, then one per window per dependency with the count left out, and says when it is back', () => {
    const { log, lines } = capture();
    let now = 1_000_000;
    const w = connectionWarnings(log, 30_000, () => now);
    const redis = w.onError('redis');
    const postgres = w.onError('postgres');
    // Redis down for 65 s, ioredis retrying every 200 ms
    for (let t = 0; t < 65_000; t += 200) {
      now = 1_000_000 + t;
      redis(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    postgres(new Error('Connection terminated unexpectedly'));
    w.recovered('redis');
    w.recovered('postgres'); // logged a warning: says it is back too
    w.recovered('postgres'); // nothing new
    expect(lines.map((l) => [l.msg, l.suppressed])).toEqual([
      ['redis connection error', undefined],
      ['redis connection error', 149],
      ['redis connection error', 149],
      ['postgres connection error', undefined],
      ['redis connection is back', undefined],
      ['postgres connection is back', undefined],
    ]);
    expect(lines[0]).toMatchObject({ level: 40, err: 'connect ECONNREFUSED 127.0.0.1:6379' });
  });

  it('starts a fresh window after recovery: the next outage is logged at once', () => {
    const { log, lines } = capture();
    const now = 0;
    const w = connectionWarnings(log, 30_000, () => now);
    w.onError('redis')(new Error('a'));
    w.recovered('redis');
    w.onError('redis')(new Error('b'));
    expect(lines.map((l) => l.err ?? l.msg)).toEqual(['a', 'redis connection is back', 'b']);
  });
});
