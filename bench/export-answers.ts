/**
 * Export benchmark: `npm run export -- --what answers` over 1,000,000 answers must stream with a peak RSS under
 * 200 MB (issue 10).
 *
 *   npx tsx bench/export-answers.ts [--answers 1000000] [--per-run 1000] [--format csv|json] [--keep true|false]
 *
 * Creates a fresh database next to BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * migrated with the real migrations, and bulk-loads `--answers / --per-run` check-in runs with `--per-run` complete
 * answers each (INSERT … SELECT generate_series, test/support/seed-answers.ts), then VACUUM ANALYZE. It then runs the
 * export exactly as a user would, as its own process — `node --import tsx src/cli/export.ts --what answers` (what
 * `npm run export` runs, without npm's own process) — under GNU time (`/usr/bin/time -f %M`: the peak resident set
 * of that process, in KiB). The export writes to stdout; this process counts lines and bytes as they arrive and
 * keeps nothing. The database is dropped at the end unless --keep true.
 * Exit code: 0 when every answer was exported and the peak RSS is under 200 MB, 1 otherwise, 2 on error.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { seedAnswers } from '../test/support/seed-answers.js';
import { parseArgs } from './lib.js';

const KNOWN = ['answers', 'per-run', 'format', 'keep'];
const raw = parseArgs(process.argv.slice(2));
for (const k of Object.keys(raw)) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
const total = Number(raw.answers ?? 1_000_000);
const perRun = Number(raw['per-run'] ?? 1_000);
const format = raw.format ?? 'csv';
const keep = raw.keep === 'true';
if (!Number.isInteger(total / perRun) || total <= 0) throw new Error('--answers must be a positive multiple of --per-run');
if (format !== 'csv' && format !== 'json') throw new Error('--format must be csv or json');
if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time at /usr/bin/time (apt-get install time) to measure the peak RSS');

const LIMIT_MB = 200;
const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const url = new URL(base.toString());
url.pathname = `/preflight_bench_export_${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(join(os.tmpdir(), 'pf-bench-export-'));
writeFileSync(join(dir, 'preflight.yml'), 'program: { name: Bench, timezone: UTC, pm: U0PM, channel: C0PROG }\nworkstreams:\n  ws0: { name: Bench, channel: C0WS0 }\n');

try {
  await ensureDatabase(url.toString());
  await runMigrations(url.toString());
  const { pool } = openDatabase(url.toString());
  const t0 = performance.now();
  await seedAnswers(pool, total / perRun, perRun);
  await pool.query('VACUUM ANALYZE');
  const [{ n, size }] = (await pool.query<{ n: number; size: string }>("SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('standup_answers')) AS size FROM standup_answers")).rows as [
    { n: number; size: string },
  ];
  await pool.end();
  console.log(`seeded ${n.toLocaleString('en-US')} answers in ${total / perRun} runs (standup_answers: ${size}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const args = ['-f', 'peak_rss_kib=%M elapsed_s=%e', process.execPath, '--import', 'tsx', 'src/cli/export.ts', '--what', 'answers', '--format', format];
  console.log(`running: /usr/bin/time ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`);
  const child = spawn('/usr/bin/time', args, { env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString(), PREFLIGHT_CONFIG: join(dir, 'preflight.yml') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const m = /peak_rss_kib=(\d+) elapsed_s=([\d.]+)/.exec(stderr);
  if (code !== 0 || !m) throw new Error(`the export exited with ${code}`);
  const peakMb = Number(m[1]) / 1024;
  const records = format === 'csv' ? lines - 1 : lines;
  const ok = records === total && peakMb < LIMIT_MB;
  console.log(
    JSON.stringify({
      answers: total,
      format,
      recordsExported: records,
      outputMiB: Number((bytes / 2 ** 20).toFixed(1)),
      elapsedS: Number(m[2]),
      peakRssMB: Number(peakMb.toFixed(1)),
      limitMB: LIMIT_MB,
      ok,
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
    }),
  );
  process.exitCode = ok ? 0 : 1;
} catch (err) {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (!keep) await dropDatabase(url.toString()).catch(() => {});
  else console.log(`kept ${url}`);
}
