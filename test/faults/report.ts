import { appendFileSync, mkdirSync } from 'node:fs';

/**
 * Each fault test reports expected vs delivered vs duplicated (and recovery times) as one JSON line in
 * test/faults/out/figures.jsonl (git-ignored) and on stdout, for bench/RESULTS.md.
 */
export function reportFigures(fault: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ fault, at: new Date().toISOString(), ...figures });
  console.log(`fault figures: ${line}`);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  appendFileSync(new URL('./out/figures.jsonl', import.meta.url), `${line}\n`);
}

/** Counts per key, to find duplicates. */
export function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}
