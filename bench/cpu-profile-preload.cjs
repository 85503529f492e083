/**
 * Preload for profiling a benchmarked process (`--cpu-prof` is not allowed in NODE_OPTIONS, `--require` is):
 *   NODE_OPTIONS="--require /abs/path/bench/cpu-profile-preload.cjs" CPU_PROFILE_DIR=/tmp/prof
 *   CPU_PROFILE_START_MS=15000 CPU_PROFILE_MS=40000
 * Starts the V8 sampling profiler after START ms, stops it after another MS and writes
 * <dir>/<pid>.cpuprofile (open it in Chrome DevTools, or summarise it with bench/cpu-profile-summary.ts).
 * Only profiles processes whose argv mentions src/main.ts or dist/main.js (not the npm wrapper).
 */
const { Session } = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

if (process.argv.some((a) => a.includes('src/main.ts') || a.includes('dist/main.js'))) {
  const dir = process.env.CPU_PROFILE_DIR || '/tmp';
  const startMs = Number(process.env.CPU_PROFILE_START_MS || 0);
  const ms = Number(process.env.CPU_PROFILE_MS || 30000);
  const session = new Session();
  session.connect();
  const begin = setTimeout(() => {
    session.post('Profiler.enable', () => {
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => {
        session.post('Profiler.start', () => {
          const end = setTimeout(() => {
            session.post('Profiler.stop', (err, res) => {
              if (!err) {
                mkdirSync(dir, { recursive: true });
                writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
              }
              session.disconnect();
            });
          }, ms);
          end.unref();
        });
      });
    });
  }, startMs);
  begin.unref();
}
