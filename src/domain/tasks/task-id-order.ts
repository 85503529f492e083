/*
 * The order task ids are listed in: natural, so LAUNCH-9 comes before LAUNCH-10.
 */

/**
 * One ICU collator for every comparison. `a.localeCompare(b, 'en', { numeric: true })` builds a new ICU collator on
 * each call, in native memory the garbage collector does not see: sorting a plan of 5,000 tracker tasks that way
 * grew the bot's RSS by ~50 MB per plan reload (bench/RESULTS-trackers.md, issue 21), where this does not.
 */
const NATURAL = new Intl.Collator('en', { numeric: true });

/**
 * Compares two task ids in natural order (`LAUNCH-9` < `LAUNCH-10`), for `Array.prototype.sort`.
 * @returns negative, zero or positive, as `localeCompare` does.
 */
export function compareTaskIds(a: string, b: string): number {
  return NATURAL.compare(a, b);
}
