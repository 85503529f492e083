import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';
import { type Env, loadEnv } from '../src/config/env.js';

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
