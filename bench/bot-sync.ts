/**
 * The `sync` phase of bench/tracker-sync.ts (issue 21): the first sync measured in THE BOT ITSELF. The real bot
 * process, compiled (`npm run start:prod`, as production runs it; bench/plan-reload.ts does the same), on a fresh
 * database (created, migrated, dropped at the end) and a unique BullMQ prefix (deleted at the end), against the Slack
 * Web API fake in its own process (bench/slack-fake-server.ts), with one `tasks_from` source per tracker pointing at
 * the replay server through JIRA_API_URL / LINEAR_API_URL / GITHUB_API_URL (as sandbox/main.ts does).
 * Measured: wall time from the spawn of the bot until `tracker_issues` holds every generated issue as a live row AND
 * the latest `plan_versions` row (the running plan) has them all as tasks; the bot node process's peak RSS (VmHWM of
 * /proc/<pid>/status, the kernel's high-water mark, read at the end, plus VmRSS sampled every 100 ms); then the drain:
 * ms until no queue of the bot has a job waiting, prioritized or active (delayed jobs are future wake-ups: the polls).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { type BotProcess, freePort, startBot } from '../test/support/bot-process.js';
import { openBenchScratch, buildBot, nodePidUnder, procMb, progress, sleep } from './lib.js';

/** What the sync phase measured (times in ms, RSS in MB of 10^6 bytes). */
export interface BotSyncResult {
  /** Spawn of the bot → every issue live in `tracker_issues` and in the latest plan version's tasks. */
  wallMs: number;
  /** Spawn → GET /healthz answered 200. */
  healthyMs: number;
  /** Spawn → `tracker_issues` held every issue (live rows). */
  storedMs: number;
  liveRows: number;
  planTasks: number;
  planVersions: number;
  /** VmRSS when healthy (before the sync has done much), VmRSS peak sampled, VmHWM at the end. */
  rssHealthyMb: number;
  rssPeakSampledMb: number;
  rssHwmMb: number;
  /** Ms after `wallMs` until no queue has a job waiting, prioritized or active; null: not within `drainTimeoutMs`. */
  drainMs: number | null;
  /** Jobs per state across all queues when drained (or at the timeout). */
  queueCounts: Record<string, number>;
  /** The bot's warn/error log lines during the run (first 5). */
  warnings: string[];
}

/** Options of {@link runBotSync}. */
export interface BotSyncOptions {
  /** The replay server's base URL. */
  trackerUrl: string;
  /** Issues the replay server holds (all sources). */
  expected: number;
  /** Give up (throw) when the sync is not done within this many ms. */
  timeoutMs: number;
  drainTimeoutMs: number;
  /** Skip `npm run build` (dist/ is current). */
  skipBuild: boolean;
}

const CONFIG = `
program: { name: Bench, timezone: UTC, pm: U0PM0001, execs: [U0EXEC001], channel: C0LAUNCH }
escalation:
  ladders:
    P1: [{ after: 1h, notify: lead }]
workstreams:
  jira: { name: Jira, channel: C0WS1, blockers_channel: C0BLK, leads: [U0LEAD001], members: [U0REP001], standup: { enabled: false },
    tasks_from: [{ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', email_env: JIRA_EMAIL, token_env: JIRA_TOKEN } }] }
  linear: { name: Linear, channel: C0WS2, blockers_channel: C0BLK, leads: [U0LEAD002], members: [U0REP002], standup: { enabled: false },
    tasks_from: [{ linear: { team: ENG, label: omega, token_env: LINEAR_API_KEY } }] }
  github: { name: GitHub, channel: C0WS3, blockers_channel: C0BLK, leads: [U0LEAD003], members: [U0REP003], standup: { enabled: false },
    tasks_from: [{ github: { repo: acme/web, label: omega, token_env: GITHUB_TOKEN } }] }
`;

/** The Slack fake in its own process (bench/slack-fake-server.ts); `stop` ends it. */
async function startSlackFake(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork('bench/slack-fake-server.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the Slack fake exited with ${code}`)));
  });
  return { url, child };
}

/**
 * Runs the bot's first sync of the replay server's issues and measures it (see the file's comment).
 * @throws Error when the build fails, the bot does not start, or the sync is not done within `timeoutMs`.
 */
export async function runBotSync(opts: BotSyncOptions): Promise<BotSyncResult> {
  if (!opts.skipBuild) {
    progress('sync: npm run build');
    await buildBot();
  }
  const fake = await startSlackFake();
  const scratch = await openBenchScratch('sync');
  const { dbUrl, redisUrl, prefix, db, queues } = scratch;
  let bot: BotProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: fake.url,
      PORT: String(await freePort()),
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      JIRA_API_URL: opts.trackerUrl,
      LINEAR_API_URL: opts.trackerUrl,
      GITHUB_API_URL: opts.trackerUrl,
      JIRA_EMAIL: 'bench@example.com',
      JIRA_TOKEN: 'bench',
      LINEAR_API_KEY: 'lin_api_bench',
      GITHUB_TOKEN: 'github_pat_bench',
      // a heap snapshot or CPU profile of the bot (bench/heap-snapshot-preload.cjs, cpu-profile-preload.cjs), when the bench is run with them
      ...Object.fromEntries(
        ['NODE_OPTIONS', 'HEAP_SNAPSHOT_DIR', 'HEAP_SNAPSHOT_AT_MS', 'CPU_PROFILE_DIR', 'CPU_PROFILE_START_MS', 'CPU_PROFILE_MS'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
      ),
    };
    progress('sync: starting the bot (npm run start:prod)');
    const started = performance.now();
    bot = await startBot(env, CONFIG, 60_000, { command: ['npm', 'run', 'start:prod', '--silent'] });
    const healthyMs = performance.now() - started;
    const pid = nodePidUnder(bot.child.pid!);
    const rssHealthyMb = procMb(pid, 'VmRSS');
    let rssPeak = rssHealthyMb;
    sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, procMb(pid, 'VmRSS'));
    }, 100);
    progress(`sync: healthy after ${Math.round(healthyMs)} ms, node pid ${pid}, RSS ${rssHealthyMb} MB`);
    let storedMs = 0;
    let liveRows = 0;
    let planTasks = 0;
    let planVersions = 0;
    for (;;) {
      const rows = await db.query<{ n: string }>('select count(*) as n from tracker_issues where deleted_at is null');
      liveRows = Number(rows.rows[0]!.n);
      if (liveRows >= opts.expected && !storedMs) storedMs = performance.now() - started;
      if (storedMs) {
        // the running plan: the latest version's resolved program, its tasks over every workstream
        const plan = await db.query<{ n: string; v: string }>(
          `select (select count(*) from plan_versions) as v, coalesce(sum(jsonb_array_length(w.value->'tasks')), 0) as n
             from plan_versions p, jsonb_each(p.program->'workstreams') w where p.id = (select max(id) from plan_versions)`,
        );
        planTasks = Number(plan.rows[0]?.n ?? 0);
        planVersions = Number(plan.rows[0]?.v ?? 0);
        if (planTasks >= opts.expected) break;
      }
      if (bot.child.exitCode !== null) throw new Error(`the bot exited with ${bot.child.exitCode}:\n${bot.output().slice(-2000)}`);
      if (performance.now() - started > opts.timeoutMs)
        throw new Error(`sync not done within ${opts.timeoutMs} ms: ${liveRows} live rows, ${planTasks} plan tasks of ${opts.expected}\n${bot.output().slice(-2000)}`);
      await sleep(100);
    }
    const wallMs = performance.now() - started;
    progress(`sync: done after ${Math.round(wallMs)} ms (${liveRows} rows, ${planTasks} plan tasks); draining`);
    const drainStart = performance.now();
    let drainMs: number | null = null;
    const queueCounts: Record<string, number> = {};
    for (;;) {
      for (const k of Object.keys(queueCounts)) delete queueCounts[k];
      for (const q of queues) for (const [state, n] of Object.entries(await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed'))) queueCounts[state] = (queueCounts[state] ?? 0) + n;
      if (!queueCounts.waiting && !queueCounts.prioritized && !queueCounts.active) {
        drainMs = performance.now() - drainStart;
        break;
      }
      if (performance.now() - drainStart > opts.drainTimeoutMs) break;
      await sleep(200);
    }
    clearInterval(sampler);
    const rssHwmMb = procMb(pid, 'VmHWM');
    const warnings = bot
      .output()
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l))
      .slice(0, 5);
    return { wallMs, healthyMs, storedMs, liveRows, planTasks, planVersions, rssHealthyMb, rssPeakSampledMb: rssPeak, rssHwmMb, drainMs, queueCounts, warnings };
  } finally {
    if (sampler) clearInterval(sampler);
    if (bot) await bot.stop().catch(() => null);
    await scratch.close();
    fake.child.send('stop');
  }
}
