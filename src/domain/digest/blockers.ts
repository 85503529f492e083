import { summariseDurations, type DurationSummary } from './durations.js';

/**
 * The digest's blocker numbers over a window (pure). Times are Unix ms (UTC instants); a window is
 * `[from, to)`.
 */

/** One blocker's history as the digest needs it: raised, first acknowledged, resolved (null when not yet). */
export interface BlockerHistory {
  workstreamId: string;
  raisedAt: number;
  /** The first acknowledgement (blocker_events `acknowledged`), null when nobody acknowledged it. */
  firstAcknowledgedAt: number | null;
  resolvedAt: number | null;
}

/** A span of time `[from, to)`, Unix ms. */
export interface Window {
  from: number;
  to: number;
}

/** Blockers opened, acknowledged and resolved in a window, with time to acknowledge and to resolve. */
export interface BlockerWindowStats {
  opened: number;
  acknowledged: number;
  resolved: number;
  /** First acknowledgement − raised, for blockers first acknowledged in the window. */
  timeToAcknowledge: DurationSummary;
  /** Resolved − raised, for blockers resolved in the window. */
  timeToResolve: DurationSummary;
}

const within = (w: Window, t: number | null): t is number => t !== null && t >= w.from && t < w.to;

/**
 * Counts what happened to blockers in `window`: raised in it (opened), first acknowledged in it, resolved in
 * it. Time to acknowledge and to resolve are measured from when each blocker was raised, whenever that was
 * (a blocker raised last week and resolved today counts its whole week), for the blockers acknowledged or
 * resolved in the window. A blocker resolved without an acknowledgement has no time to acknowledge.
 */
export function blockerWindowStats(history: readonly BlockerHistory[], window: Window): BlockerWindowStats {
  const opened = history.filter((b) => within(window, b.raisedAt));
  const acked = history.filter((b) => within(window, b.firstAcknowledgedAt));
  const resolved = history.filter((b) => within(window, b.resolvedAt));
  return {
    opened: opened.length,
    acknowledged: acked.length,
    resolved: resolved.length,
    timeToAcknowledge: summariseDurations(acked.map((b) => b.firstAcknowledgedAt! - b.raisedAt)),
    timeToResolve: summariseDurations(resolved.map((b) => b.resolvedAt! - b.raisedAt)),
  };
}
