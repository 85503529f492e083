import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDIS_BOOT_DEADLINE_MS, redisBootWaitMs } from '../../../src/jobs/connection.js';

describe('redisBootWaitMs: how long start-up waits for Redis', () => {
  it('waits for what is left of the 6 s after the process started, so loading the bot counts', () => {
    expect(REDIS_BOOT_DEADLINE_MS).toBe(6_000);
    expect(redisBootWaitMs(600)).toBe(5_400);
    expect(redisBootWaitMs(3_500)).toBe(2_500);
  });

  it('still gives a Redis that is up 2 s to answer when loading took (almost) the whole deadline', () => {
    expect(redisBootWaitMs(4_500)).toBe(2_000);
    expect(redisBootWaitMs(12_000)).toBe(2_000);
  });
});

describe('the Redis boot deadline in the docs', () => {
  it('.env.example and the README state the deadline the code has', () => {
    const s = `${REDIS_BOOT_DEADLINE_MS / 1000} s of start-up`;
    for (const file of ['.env.example', 'README.md']) {
      const text = readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8').replace(/\s*\n#?\s*/g, ' ');
      expect(text, `${file} states another Redis deadline`).toContain(`within ${s}`);
    }
  });
});
