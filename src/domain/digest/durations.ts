/**
 * Median and worst of a set of durations (pure): the digest's time to acknowledge and time to resolve.
 */

/** How many durations there were, their median and the worst (longest), in ms; both null when there were none. */
export interface DurationSummary {
  count: number;
  medianMs: number | null;
  worstMs: number | null;
}

/**
 * Summarises durations in ms. The median of an even count is the mean of the two middle values (rounded to
 * the ms); negative durations (clock skew between processes) count as 0.
 */
export function summariseDurations(durationsMs: readonly number[]): DurationSummary {
  if (!durationsMs.length) return { count: 0, medianMs: null, worstMs: null };
  const sorted = durationsMs.map((d) => Math.max(0, d)).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return { count: sorted.length, medianMs, worstMs: sorted[sorted.length - 1]! };
}
