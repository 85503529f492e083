import { describe, expect, it } from 'vitest';
import { statusCounts, trackStatus } from '../../../../src/domain/digest/status.js';

const none = { P0: 0, P1: 0, P2: 0 };
const calm = { openBlockers: none, red: 0, yellow: 0, tasksOverdue: 0 };

describe('trackStatus (seed 002: On Track / At Risk / Blocked)', () => {
  it('is on track with no open blocker, no flag and nothing overdue', () => {
    expect(trackStatus(calm, ['P0'])).toBe('on-track');
  });
  it('is blocked by an open blocker at a blocking severity, or a red flag', () => {
    expect(trackStatus({ ...calm, openBlockers: { ...none, P0: 1 } }, ['P0'])).toBe('blocked');
    expect(trackStatus({ ...calm, openBlockers: { ...none, P1: 1 } }, ['P0', 'P1'])).toBe('blocked');
    expect(trackStatus({ ...calm, red: 1 }, ['P0'])).toBe('blocked');
  });
  it('is at risk with another open blocker, a yellow flag or an overdue task', () => {
    expect(trackStatus({ ...calm, openBlockers: { ...none, P2: 2 } }, ['P0'])).toBe('at-risk');
    expect(trackStatus({ ...calm, yellow: 1 }, ['P0'])).toBe('at-risk');
    expect(trackStatus({ ...calm, tasksOverdue: 1 }, ['P0'])).toBe('at-risk');
  });
});

describe('statusCounts', () => {
  it('counts each status and gives shares that add up to 100', () => {
    const c = statusCounts(['on-track', 'on-track', 'at-risk', 'blocked', 'on-track', 'at-risk']);
    expect(c).toEqual({ 'on-track': { count: 3, percent: 50 }, 'at-risk': { count: 2, percent: 33 }, blocked: { count: 1, percent: 17 } });
    const thirds = statusCounts(['on-track', 'at-risk', 'blocked']);
    expect(thirds['on-track'].percent + thirds['at-risk'].percent + thirds.blocked.percent).toBe(100);
  });
  it('gives zeros for no workstream', () => {
    expect(statusCounts([])).toEqual({ 'on-track': { count: 0, percent: 0 }, 'at-risk': { count: 0, percent: 0 }, blocked: { count: 0, percent: 0 } });
  });
});
