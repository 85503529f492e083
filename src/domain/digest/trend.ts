/**
 * A workstream's % complete against an earlier value (pure): the digest's "change since the last digest".
 */

/** `delta` in percentage points (null when there is nothing to compare); `direction` for the arrow. */
export interface Trend {
  delta: number | null;
  direction: 'up' | 'down' | 'flat' | 'new' | 'none';
}

/**
 * The change from `previous` to `current` (both whole percents, null = nothing measured).
 * `new`: measured now, not before (no earlier digest, or nothing to measure then); `none`: nothing measured now.
 */
export function trendOf(current: number | null, previous: number | null): Trend {
  if (current === null) return { delta: null, direction: 'none' };
  if (previous === null) return { delta: null, direction: 'new' };
  const delta = current - previous;
  return { delta, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat' };
}
