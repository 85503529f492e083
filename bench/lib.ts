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

/**
 * Benchmark flags: `--name value` or `--name=value`, every one a string (the caller converts), parsed with
 * Node's util.parseArgs. Throws on a flag without a value or a stray positional argument.
 */
export function parseArgs(argv: string[]): Record<string, string> {
  const names = [...new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!))];
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  return parseNodeArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string>;
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
