import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Env, loadEnv } from '../src/config/env.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { QUEUE_NAMES } from '../src/jobs/job-definition.js';
import { deleteKeysWithPrefix } from '../test/support/redis.js';

/** A benchmark flag the command line got wrong; `message` is one line naming the flag (no stack trace to print). */
export class BenchArgsError extends Error {
  /** The flag's name without its dashes (`json`), or null for a stray positional argument. */
  readonly flag: string | null;
  constructor(message: string, flag: string | null) {
    super(message);
    this.name = 'BenchArgsError';
    this.flag = flag;
  }
}

/**
 * Benchmark flags, parsed with Node's util.parseArgs: `--name value` or `--name=value` is a string (the caller
 * converts and checks the names it knows); a name in `booleans` is a flag without a value (`--skip-build`), true
 * when given, absent otherwise, and `-h` stands for `--help` when `help` is one of them.
 * @param booleans the flags that take no value.
 * @throws BenchArgsError, one line: a string flag without its value (`--json takes a value`; the next word
 *   starting with `-` counts as missing, write `--name=-x` for such a value), a boolean flag given a value, an
 *   unknown short flag or a stray positional argument.
 */
export function parseArgs(argv: readonly string[]): Record<string, string>;
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): Record<string, string | boolean>;
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string> = new Set()): Record<string, string | boolean> {
  const names = new Set<string>();
  for (const [i, a] of argv.entries()) {
    if (a === '--') break;
    if (!a.startsWith('--')) continue;
    const [name, inline] = [a.slice(2).split('=')[0]!, a.includes('=')];
    names.add(name);
    const next = argv[i + 1];
    if (!booleans.has(name) && !inline && (next === undefined || next.startsWith('-'))) throw new BenchArgsError(`--${name} takes a value`, name);
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const n of names) options[n] = { type: 'string' };
  for (const n of booleans) options[n] = { type: 'boolean', ...(n === 'help' ? { short: 'h' } : {}) };
  try {
    return parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean>;
  } catch (err) {
    // a missing or ambiguous value is caught above; Node's other messages are one line (keep the first in any case)
    const message = (err as Error).message.split('\n')[0]!;
    throw new BenchArgsError(message, /'--([^' <=]+)/.exec(message)?.[1] ?? null);
  }
}

/**
 * The environment a benchmark's bot process runs with (createPreflight's `env`): the given Postgres database,
 * Redis, BullMQ prefix and Slack Web API fake; tokens are placeholders the fake accepts.
 * @throws EnvError when a URL or the prefix is not valid.
 */
export function benchEnv(args: { databaseUrl: string; redisUrl: string; prefix: string; slackApiUrl: string }): Env {
  return loadEnv({
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: args.slackApiUrl,
    DATABASE_URL: args.databaseUrl,
    REDIS_URL: args.redisUrl,
    QUEUE_PREFIX: args.prefix,
  });
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Milliseconds as seconds, one decimal (1234 → 1.2). */
export const secs = (ms: number): number => Math.round(ms / 100) / 10;

/** A progress line on stderr, stamped with the UTC time of day: `[bench 14:05:09] msg`. */
export const progress = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/**
 * The nearest-rank percentile `p` (0–100) of an ascending array, or null when it is empty.
 * @param sorted the samples, sorted ascending (the caller sorts once for several percentiles).
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The process that serves the bot under `pid` (npm → sh → node): its deepest `node` descendant, read from /proc
 * (Linux only), or `pid` itself when it has none. Processes that exit meanwhile are skipped.
 */
export function nodePidUnder(pid: number): number {
  let best = pid;
  const visit = (p: number) => {
    let kids: number[] = [];
    try {
      kids = readdirSync(`/proc/${p}/task`).flatMap((t) => readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      /* gone */
    }
    for (const k of kids) {
      try {
        if (readFileSync(`/proc/${k}/comm`, 'utf8').trim() === 'node') best = k;
      } catch {
        /* gone */
      }
      visit(k);
    }
  };
  visit(pid);
  return best;
}

/** kB of `field` (VmRSS now, VmHWM the peak) in /proc/<pid>/status, as MB of 10^6 bytes; 0 once the process is gone. */
export function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) * 1024) / 1e6) : 0;
  } catch {
    return 0;
  }
}

/** A benchmark run's own Postgres database, Redis connection and BullMQ queues: see {@link openBenchScratch}. */
export interface BenchScratch {
  /** Unique per run (also in the database's name and the prefix). */
  tag: string;
  dbUrl: string;
  redisUrl: string;
  /** QUEUE_PREFIX for the bot: `pfb-<kind>-<tag>`. */
  prefix: string;
  /** A client on the database (connected). */
  db: pg.Client;
  redis: Redis;
  /** Every queue of the bot under `prefix` (to count jobs, e.g. the drain). */
  queues: Queue[];
  /** Closes the queues, deletes the prefix's keys, drops the database; never throws for a cleanup step. */
  close(): Promise<void>;
}

/**
 * Creates and migrates a database `preflight_bench_<kind>_<tag>` (on BENCH_DATABASE_URL's server, default local
 * Postgres) and opens Redis (BENCH_REDIS_URL, default local) with the bot's queues under the prefix `pfb-<kind>-<tag>`,
 * `tag` unique per run: what a benchmark of the real bot process gives it, and removes after.
 * @throws when Postgres or Redis cannot be reached or the migrations fail.
 */
export async function openBenchScratch(kind: string): Promise<BenchScratch> {
  const tag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/preflight_bench_${kind}_${tag}`;
  const dbUrl = base.toString();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `pfb-${kind}-${tag}`;
  await ensureDatabase(dbUrl);
  await runMigrations(dbUrl);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: redis, prefix }));
  return {
    tag,
    dbUrl,
    redisUrl,
    prefix,
    db,
    redis,
    queues,
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await deleteKeysWithPrefix(redis, prefix).catch(() => undefined);
      await redis.quit();
      await db.end();
      await dropDatabase(dbUrl).catch(() => undefined);
    },
  };
}

/**
 * `npm run build` (the compiled bot that `npm run start:prod` runs), its output on this process's.
 * @throws Error when the build exits non-zero.
 */
export function buildBot(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const b = spawn('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'inherit', 'inherit'] });
    b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
}
