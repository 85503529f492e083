import { describe, expect, it } from 'vitest';
import { blockerWindowStats, type BlockerHistory } from '../../../../src/domain/digest/blockers.js';

const MIN = 60_000;
const H = 60 * MIN;
// a fixed history: the window is day 1 18:00 → day 2 18:00 (Unix ms from an arbitrary origin)
const from = Date.UTC(2026, 10, 26, 18);
const to = from + 24 * H;
const at = (h: number, m = 0) => from + h * H + m * MIN;
const history: BlockerHistory[] = [
  // raised before the window, acknowledged and resolved inside it: counts in both times, not in opened
  { workstreamId: 'api', raisedAt: at(-2), firstAcknowledgedAt: at(1), resolvedAt: at(5) },
  // raised and acknowledged in the window, still open
  { workstreamId: 'api', raisedAt: at(2), firstAcknowledgedAt: at(2, 10), resolvedAt: null },
  // raised, acknowledged and resolved in the window
  { workstreamId: 'web', raisedAt: at(3), firstAcknowledgedAt: at(3, 4), resolvedAt: at(4) },
  // resolved in the window without an acknowledgement
  { workstreamId: 'web', raisedAt: at(6), firstAcknowledgedAt: null, resolvedAt: at(6, 30) },
  // raised in the window, nothing else yet
  { workstreamId: 'web', raisedAt: at(23, 59), firstAcknowledgedAt: null, resolvedAt: null },
  // acknowledged and resolved before the window: counts nowhere
  { workstreamId: 'api', raisedAt: at(-5), firstAcknowledgedAt: at(-4), resolvedAt: at(-1) },
  // raised exactly at the window's end: belongs to the next window
  { workstreamId: 'api', raisedAt: to, firstAcknowledgedAt: null, resolvedAt: null },
];

describe('blockerWindowStats', () => {
  const stats = blockerWindowStats(history, { from, to });

  it('counts blockers opened, first acknowledged and resolved inside [from, to)', () => {
    expect({ opened: stats.opened, acknowledged: stats.acknowledged, resolved: stats.resolved }).toEqual({ opened: 4, acknowledged: 3, resolved: 3 });
  });
  it('measures time to acknowledge from when each blocker was raised: median and worst', () => {
    // 3 h (raised 2 h before the window), 10 min, 4 min
    expect(stats.timeToAcknowledge).toEqual({ count: 3, medianMs: 10 * MIN, worstMs: 3 * H });
  });
  it('measures time to resolve from when each blocker was raised, including a blocker resolved without an acknowledgement', () => {
    // 7 h, 1 h, 30 min
    expect(stats.timeToResolve).toEqual({ count: 3, medianMs: 1 * H, worstMs: 7 * H });
  });
  it('has no times when nothing was acknowledged or resolved', () => {
    const quiet = blockerWindowStats(history, { from: at(7), to: at(8) });
    expect(quiet).toEqual({
      opened: 0,
      acknowledged: 0,
      resolved: 0,
      timeToAcknowledge: { count: 0, medianMs: null, worstMs: null },
      timeToResolve: { count: 0, medianMs: null, worstMs: null },
    });
  });
});
