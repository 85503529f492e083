import { describe, expect, it } from 'vitest';
import { trendOf } from '../../../../src/domain/digest/trend.js';

describe('trendOf', () => {
  it('gives the change in percentage points since the previous value', () => {
    expect(trendOf(62, 50)).toEqual({ delta: 12, direction: 'up' });
    expect(trendOf(40, 45)).toEqual({ delta: -5, direction: 'down' });
    expect(trendOf(70, 70)).toEqual({ delta: 0, direction: 'flat' });
  });
  it('is new when there was nothing before, and none when there is nothing to measure now', () => {
    expect(trendOf(10, null)).toEqual({ delta: null, direction: 'new' });
    expect(trendOf(null, 30)).toEqual({ delta: null, direction: 'none' });
  });
});
