import { describe, expect, it } from 'vitest';
import { summariseDurations } from '../../../../src/domain/digest/durations.js';

const MIN = 60_000;

describe('summariseDurations', () => {
  it('gives no median and no worst for no durations', () => {
    expect(summariseDurations([])).toEqual({ count: 0, medianMs: null, worstMs: null });
  });
  it('takes the middle value of an odd count and the longest as worst, whatever the order', () => {
    expect(summariseDurations([30 * MIN, 5 * MIN, 12 * MIN])).toEqual({ count: 3, medianMs: 12 * MIN, worstMs: 30 * MIN });
  });
  it('averages the two middle values of an even count', () => {
    expect(summariseDurations([4 * MIN, 10 * MIN, 6 * MIN, 60 * MIN])).toEqual({ count: 4, medianMs: 8 * MIN, worstMs: 60 * MIN });
  });
  it('counts a negative duration (clock skew) as zero', () => {
    expect(summariseDurations([-500, 1_000])).toEqual({ count: 2, medianMs: 500, worstMs: 1_000 });
  });
});
