/**
 * The first sync's reading side, against the replay server (issue 21, "Benchmark: first sync of 5,000 issues across 3
 * sources in under 60 s of wall time against the replay server with the real APIs' page sizes, RSS under 200 MB").
 *
 *   npm run bench:trackers -- [--issues 5000] [--seed 21] [--rate-limit-after 0] [--retry-after-s 1]
 *        [--target-s 60] [--target-rss-mb 200] [--phases listEach,listTogether,sync] [--skip-build true]
 *
 * The replay server is the tracker stand-in (sandbox/tracker-stand-in/) in its own process
 * (bench/tracker-replay-server.ts), holding `issues` generated issues (fixed `seed`) split across three sources, one
 * per tracker: Jira `LAUNCH`, Linear `ENG` (label omega), GitHub `acme/web` (label omega; not `acme/launch`: its keys `launch-N` clash with Jira's `LAUNCH-N`, task ids being
 * unique in any case, and the bot's reload refuses them). This process runs the
 * real adapters (src/services/trackers/*) against it through their `baseUrl`, at the real page sizes (Jira 100,
 * Linear 50, GitHub 100, plus GitHub's one "blocked by" call per blocked issue).
 *
 * Phases (a function each, run in order; `--phases` picks some):
 *  1. `listEach`: each adapter's complete listing alone, one after the other: wall time, pages, API calls, issues/s;
 *  2. `listTogether`: the three listings at once, as the first sync of three sources runs: wall time;
 *  3. `sync`: the bot itself (bench/bot-sync.ts): the compiled bot process started with one `tasks_from` source per
 *     tracker on the replay server, timed from its start until every issue is a live `tracker_issues` row and a task
 *     of the latest plan version, its peak RSS (VmHWM) and its queues' drain. This phase is the issue's target: wall
 *     under `target-s`, the bot's VmHWM under `target-rss-mb` (`--skip-build true` when dist/ is current).
 * A rate-limited page (`--rate-limit-after N`: every Nth call of the server answers 429/403/RATELIMITED with
 * `--retry-after-s`) is retried after the adapter's reported wait, as the sync would; the waits are counted.
 * RSS: this process's after loading (tsx, the three clients), its peak sampled every 20 ms, and getrusage's maxRSS
 * (the whole run, the one checked against the target).
 * Prints a JSON summary and a table; exit code 0 when the targets are met (with `sync`: its wall time and the bot's
 * VmHWM; without: `listTogether` and this process's maxRSS), 1 otherwise, 2 on error. Run from the repository root.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { githubSourceSchema, jiraSourceSchema, linearSourceSchema } from '../src/config/schema/tasks-from.js';
import { TrackerRateLimitError, type TrackerAdapter } from '../src/services/trackers/adapter.js';
import { createGithubAdapter } from '../src/services/trackers/github/index.js';
import { createJiraAdapter } from '../src/services/trackers/jira/index.js';
import { createLinearAdapter } from '../src/services/trackers/linear/index.js';
import { type BotSyncResult, runBotSync } from './bot-sync.js';
import { parseArgs, progress, secs, sleep } from './lib.js';

type Kind = 'jira' | 'linear' | 'github';
const KINDS: Kind[] = ['jira', 'linear', 'github'];

/** What every phase gets: the replay server and the adapters' factories. */
interface BenchContext {
  url: string;
  adapters: Record<Kind, () => TrackerAdapter>;
  expected: Record<Kind, number>;
  /** The replay server's API calls so far, per tracker. */
  calls: () => Promise<Record<Kind, number>>;
}

/** One row of the results table. */
interface PhaseRow {
  phase: string;
  source: string;
  wallMs: number;
  issues: number;
  pages: number;
  apiCalls: number;
  rateLimitWaits: number;
  issuesPerS: number;
}

/** A phase: runs, returns its rows. */
type Phase = (ctx: BenchContext) => Promise<PhaseRow[]>;

const args = parseArgs(process.argv.slice(2));
const total = Number(args.issues ?? 5000);
const seed = Number(args.seed ?? 21);
const rateLimitAfter = Number(args['rate-limit-after'] ?? 0);
const retryAfterS = Number(args['retry-after-s'] ?? 1);
const targetS = Number(args['target-s'] ?? 60);
const targetRssMb = Number(args['target-rss-mb'] ?? 200);
const skipBuild = args['skip-build'] === 'true';

/** Every page of one source; a rate-limited page is retried after the adapter's reported wait. */
async function listAll(adapter: TrackerAdapter): Promise<{ issues: number; pages: number; waits: number }> {
  let cursor: string | undefined;
  let issues = 0;
  let pages = 0;
  let waits = 0;
  do {
    try {
      const page = await adapter.listIssues(cursor);
      issues += page.issues.length;
      pages++;
      cursor = page.next;
    } catch (err) {
      if (!(err instanceof TrackerRateLimitError)) throw err;
      waits++;
      await sleep(err.retryAfterMs);
    }
  } while (cursor);
  return { issues, pages, waits };
}

/** Lists one source and times it; throws when the count is not the generated one. */
async function timedListing(ctx: BenchContext, kind: Kind, phase: string): Promise<PhaseRow> {
  const before = (await ctx.calls())[kind];
  const started = performance.now();
  const r = await listAll(ctx.adapters[kind]());
  const wallMs = performance.now() - started;
  if (r.issues !== ctx.expected[kind]) throw new Error(`${kind}: listed ${r.issues} issues, the server holds ${ctx.expected[kind]}`);
  return { phase, source: kind, wallMs, issues: r.issues, pages: r.pages, apiCalls: (await ctx.calls())[kind] - before, rateLimitWaits: r.waits, issuesPerS: Math.round(r.issues / (wallMs / 1000)) };
}

/** Phase 1: each adapter's complete listing alone. */
const listEach: Phase = async (ctx) => {
  const rows: PhaseRow[] = [];
  for (const kind of KINDS) {
    progress(`listEach: ${kind}`);
    rows.push(await timedListing(ctx, kind, 'listEach'));
  }
  return rows;
};

/** Phase 2: the three listings at once (the first sync of three sources); one extra row for the whole. */
const listTogether: Phase = async (ctx) => {
  progress('listTogether: jira, linear and github at once');
  const started = performance.now();
  const rows = await Promise.all(KINDS.map((kind) => timedListing(ctx, kind, 'listTogether')));
  const wallMs = performance.now() - started;
  const sum = (f: (r: PhaseRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const issues = sum((r) => r.issues);
  return [
    ...rows,
    {
      phase: 'listTogether',
      source: 'all three',
      wallMs,
      issues,
      pages: sum((r) => r.pages),
      apiCalls: sum((r) => r.apiCalls),
      rateLimitWaits: sum((r) => r.rateLimitWaits),
      issuesPerS: Math.round(issues / (wallMs / 1000)),
    },
  ];
};

/** The bot's own measurements, set by the `sync` phase. */
let botSync: BotSyncResult | undefined;

/** Phase 3: the first sync in the bot process itself (bench/bot-sync.ts); one row for all three sources. */
const sync: Phase = async (ctx) => {
  const expected = ctx.expected.jira + ctx.expected.linear + ctx.expected.github;
  const before = await ctx.calls();
  botSync = await runBotSync({ trackerUrl: ctx.url, expected, timeoutMs: Math.max(180_000, targetS * 3_000), drainTimeoutMs: 120_000, skipBuild });
  const after = await ctx.calls();
  const apiCalls = KINDS.reduce((s, k) => s + after[k] - before[k], 0);
  return [
    {
      phase: 'sync',
      source: 'bot, all three',
      wallMs: botSync.wallMs,
      issues: botSync.liveRows,
      pages: 0,
      apiCalls,
      rateLimitWaits: 0,
      issuesPerS: Math.round(botSync.liveRows / (botSync.wallMs / 1000)),
    },
  ];
};

/** The phases, in order. */
const ALL_PHASES: Record<string, Phase> = { listEach, listTogether, sync };
const PHASES: Phase[] = (args.phases ?? 'listEach,listTogether,sync').split(',').map((name) => {
  const phase = ALL_PHASES[name];
  if (!phase) throw new Error(`--phases: unknown phase "${name}" (known: ${Object.keys(ALL_PHASES).join(', ')})`);
  return phase;
});

async function startServer(): Promise<{ child: ChildProcess; url: string; calls: () => Promise<Record<Kind, number>>; counts: Record<Kind, number> }> {
  const counts: Record<Kind, number> = { jira: Math.ceil(total / 3), linear: Math.ceil((total - Math.ceil(total / 3)) / 2), github: 0 };
  counts.github = total - counts.jira - counts.linear;
  const opts = {
    seed,
    sources: [
      { kind: 'jira', key: 'LAUNCH', count: counts.jira },
      { kind: 'linear', key: 'ENG', count: counts.linear, label: 'omega' },
      { kind: 'github', key: 'acme/web', count: counts.github, label: 'omega' },
    ],
    ...(rateLimitAfter > 0 ? { rateLimit: { after: rateLimitAfter, retryAfterS } } : {}),
  };
  const child = fork(fileURLToPath(new URL('./tracker-replay-server.ts', import.meta.url)), [JSON.stringify(opts)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`the replay server stopped (exit code ${code})`)));
  });
  let asked = 0;
  const calls = () =>
    new Promise<Record<Kind, number>>((resolve) => {
      const id = ++asked;
      const on = (m: { id?: number; calls?: Record<Kind, number> }) => {
        if (m.id !== id || !m.calls) return;
        child.off('message', on);
        resolve(m.calls);
      };
      child.on('message', on);
      child.send({ calls: id });
    });
  return { child, url, calls, counts };
}

async function main(): Promise<number> {
  const server = await startServer();
  progress(`replay server at ${server.url}: ${total} issues (jira ${server.counts.jira}, linear ${server.counts.linear}, github ${server.counts.github}), seed ${seed}`);
  const env = { JIRA_EMAIL: 'bench@example.com', JIRA_TOKEN: 'bench', LINEAR_API_KEY: 'lin_api_bench', GITHUB_TOKEN: 'github_pat_bench' };
  const ctx: BenchContext = {
    url: server.url,
    expected: server.counts,
    calls: server.calls,
    adapters: {
      jira: () =>
        createJiraAdapter(jiraSourceSchema.parse({ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', email_env: 'JIRA_EMAIL', token_env: 'JIRA_TOKEN' } }).jira, env, {
          baseUrl: server.url,
        }),
      linear: () => createLinearAdapter(linearSourceSchema.parse({ linear: { team: 'ENG', label: 'omega' } }).linear, env, { baseUrl: server.url }),
      github: () => createGithubAdapter(githubSourceSchema.parse({ github: { repo: 'acme/web', label: 'omega', token_env: 'GITHUB_TOKEN' } }).github, env, { baseUrl: server.url }),
    },
  };
  const startRssMb = Math.round(process.memoryUsage().rss / 1e6);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const rows: PhaseRow[] = [];
  try {
    for (const phase of PHASES) rows.push(...(await phase(ctx)));
  } finally {
    clearInterval(sampler);
    server.child.disconnect();
  }
  const peakRssMb = Math.round(peakRss / 1e6);
  const maxRssMb = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  const together = rows.find((r) => r.phase === 'listTogether' && r.source === 'all three');
  const targetWallMs = botSync?.wallMs ?? together?.wallMs ?? 0;
  const targetRss = botSync?.rssHwmMb ?? maxRssMb;
  const checks = {
    wallUnderTarget: targetWallMs < targetS * 1000,
    rssUnderTarget: targetRss < targetRssMb,
    ...(botSync ? { allInPlan: botSync.planTasks >= total, drained: botSync.drainMs !== null } : {}),
  };
  const bot = botSync && {
    ...botSync,
    wallMs: Math.round(botSync.wallMs),
    healthyMs: Math.round(botSync.healthyMs),
    storedMs: Math.round(botSync.storedMs),
    drainMs: botSync.drainMs === null ? null : Math.round(botSync.drainMs),
  };
  console.log(JSON.stringify({ issues: total, seed, rateLimitAfter, startRssMb, peakRssMb, maxRssMb, checks, bot, rows: rows.map((r) => ({ ...r, wallMs: Math.round(r.wallMs) })) }, null, 2));
  console.log('\n| phase | source | wall (s) | issues | pages | API calls | 429 waits | issues/s |\n|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.phase} | ${r.source} | ${secs(r.wallMs)} | ${r.issues} | ${r.pages} | ${r.apiCalls} | ${r.rateLimitWaits} | ${r.issuesPerS} |`);
  console.log(`\nRSS of this process: ${startRssMb} MB after loading, ${peakRssMb} MB peak sampled, ${maxRssMb} MB max (getrusage)`);
  if (together) console.log(`listings, all three at once: ${secs(together.wallMs)} s`);
  if (botSync)
    console.log(
      `the bot's first sync: ${secs(botSync.wallMs)} s from its start (healthy at ${secs(botSync.healthyMs)} s, all rows stored at ${secs(botSync.storedMs)} s; target < ${targetS} s), ` +
        `${botSync.liveRows} rows, ${botSync.planTasks} tasks in the plan (${botSync.planVersions} plan versions); bot RSS ${botSync.rssHealthyMb} MB when healthy, ` +
        `${botSync.rssPeakSampledMb} MB peak sampled, VmHWM ${botSync.rssHwmMb} MB (target < ${targetRssMb}); queues drained ${botSync.drainMs === null ? 'NOT within 120 s' : `${secs(botSync.drainMs)} s after`}`,
    );
  return Object.values(checks).every(Boolean) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench:trackers failed: ${err.message}`);
    process.exit(2);
  },
);
