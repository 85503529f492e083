/**
 * Preload that writes V8 heap snapshots of a benchmarked process at given times (`--heapsnapshot-signal` would
 * need the bench to send signals; this needs only the environment):
 *   NODE_OPTIONS="--require /abs/path/bench/heap-snapshot-preload.cjs" HEAP_SNAPSHOT_DIR=/tmp/heap
 *   HEAP_SNAPSHOT_AT_MS=20000,120000
 * writes <dir>/<pid>-<ms>.heapsnapshot at each time (ms after start; open in Chrome DevTools → Memory, or
 * summarise with bench/heap-snapshot-summary.ts). Writing one blocks the process for a second or more: take
 * them when the process is idle, or in a run whose latencies are not reported.
 * Only processes whose argv mentions src/main.ts or dist/main.js (not the npm wrapper).
 */
const { writeHeapSnapshot } = require('node:v8');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');

if (process.argv.some((a) => a.includes('src/main.ts') || a.includes('dist/main.js'))) {
  const dir = process.env.HEAP_SNAPSHOT_DIR || '/tmp';
  const times = (process.env.HEAP_SNAPSHOT_AT_MS || '20000').split(',').map(Number).filter(Number.isFinite);
  for (const ms of times) {
    setTimeout(() => {
      mkdirSync(dir, { recursive: true });
      writeHeapSnapshot(join(dir, `${process.pid}-${ms}.heapsnapshot`));
    }, ms).unref();
  }
}
