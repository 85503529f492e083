import type { Severity } from '../blockers/ladder.js';

/**
 * Seed 002's dashboard ("On Track / At Risk / Blocked") for workstreams (pure).
 *
 * The rule: a workstream is **blocked** when it has an open blocker at a blocking severity
 * (`gonogo.blocking_severities`, default P0) or a red flag in its latest check-in; **at risk** when it has an
 * overdue task, a yellow flag, or any other open blocker; **on track** otherwise.
 */
export type TrackStatus = 'on-track' | 'at-risk' | 'blocked';

export const TRACK_STATUS_RULE = 'blocked: an open blocker at a blocking severity or a red flag; at risk: an overdue task, a yellow flag or another open blocker; on track: neither';

/** What the rule reads of one workstream. */
export interface TrackInput {
  openBlockers: Record<Severity, number>;
  red: number;
  yellow: number;
  tasksOverdue: number;
}

/** The workstream's status under the rule above. */
export function trackStatus(ws: TrackInput, blockingSeverities: readonly Severity[]): TrackStatus {
  const blocking = blockingSeverities.some((s) => ws.openBlockers[s] > 0);
  if (blocking || ws.red > 0) return 'blocked';
  const anyOpen = ws.openBlockers.P0 + ws.openBlockers.P1 + ws.openBlockers.P2 > 0;
  if (anyOpen || ws.yellow > 0 || ws.tasksOverdue > 0) return 'at-risk';
  return 'on-track';
}

/** How many workstreams have each status, and the shares in whole percents (largest remainder, summing to 100). */
export function statusCounts(statuses: readonly TrackStatus[]): Record<TrackStatus, { count: number; percent: number }> {
  const keys: TrackStatus[] = ['on-track', 'at-risk', 'blocked'];
  const counts = keys.map((k) => statuses.filter((s) => s === k).length);
  const total = statuses.length;
  const raw = counts.map((c) => (total ? (c * 100) / total : 0));
  const floors = raw.map(Math.floor);
  let left = total ? 100 - floors.reduce((a, b) => a + b, 0) : 0;
  const order = raw.map((r, i) => [r - floors[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return Object.fromEntries(keys.map((k, i) => [k, { count: counts[i]!, percent: floors[i]! }])) as Record<TrackStatus, { count: number; percent: number }>;
}
