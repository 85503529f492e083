/**
 * Standup fan-out benchmark: how long the real scheduler + BullMQ workers take to DM every member of a large
 * program when Slack caps chat.postMessage, compared with the theoretical lower bound.
 *
 *   npx tsx bench/standup-fanout.ts [--members 2000] [--workstreams 20] [--cap 300] [--window-ms 60000]
 *                                   [--tick-ms 1000] [--dm-concurrency 16]
 *
 * Everything runs in this process: a fresh Postgres database (migrated with the real migrations), a unique
 * BullMQ prefix on the local Redis, the HTTP fake of the Slack Web API (test/support/slack-api-fake.ts) with
 * a fixed-window cap on chat.postMessage, and the production wiring (startWorkers, createQueues,
 * queueWakeups, a WebClient configured as in src/main.ts). Only the clock is synthetic: it starts just after
 * the standup time on a workday and then advances in real time.
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: only host/credentials are
 * used, a fresh database is created next to it), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 * Exit code: 0 when every member got exactly one prompt DM, 1 otherwise (lost, doubled or timed out), 2 on error.
 */
import { randomBytes } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { DateTime } from 'luxon';
import type { Clock } from '../src/clock.js';
import { parseWorkspaceConfig } from '../src/config/load.js';
import { resolveProgram } from '../src/config/resolve.js';
import { createPreflight, type Preflight } from '../src/create-preflight.js';
import type { Database } from '../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import type { Queues } from '../src/jobs/queues.js';
import { standupTick } from '../src/jobs/registry.js';
import type { Workers } from '../src/jobs/workers.js';
import { createLogger } from '../src/logger.js';
import type { TickReport } from '../src/services/checkins/sweep.js';
import { SlackApiFake, type RecordedCall } from '../test/support/slack-api-fake.js';
import { benchEnv, parseArgs } from './lib.js';
import { deleteKeysWithPrefix } from '../test/support/redis.js';
import type { Redis } from 'ioredis';

// ---------------------------------------------------------------------------------------------- options

const KNOWN = ['members', 'workstreams', 'cap', 'window-ms', 'tick-ms', 'dm-concurrency'];
const raw = parseArgs(process.argv.slice(2));
for (const k of Object.keys(raw)) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
const int = (k: string, dflt: number, min = 1) => {
  const v = raw[k] === undefined ? dflt : Number(raw[k]);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${k} must be an integer ≥ ${min} (got ${raw[k]})`);
  return v;
};
const opts = {
  members: int('members', 2000),
  workstreams: int('workstreams', 20),
  cap: int('cap', 300),
  windowMs: int('window-ms', 60_000, 1_000),
  tickMs: int('tick-ms', 1_000, 100),
  dmConcurrency: int('dm-concurrency', 16),
};
if (opts.workstreams > opts.members) throw new Error('--workstreams must not exceed --members');
if (opts.tickMs % 1000 !== 0) throw new Error('--tick-ms must be whole seconds (preflight.yml durations are s/m/h/d)');

/** The spec's lower bound: members / cap windows. */
const boundMs = (opts.members / opts.cap) * opts.windowMs;
/** Abort budget: 3 × bound + 60 s. */
const abortMs = 3 * boundMs + 60_000;

const runTag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbBase = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbUrl = (() => {
  const u = new URL(dbBase);
  u.pathname = `/preflight_bench_${runTag}`;
  return u.toString();
})();
const prefix = `pfb-fanout-${runTag}`;

// ---------------------------------------------------------------------------------------------- config

/** Deterministic ids that satisfy the config's Slack-id patterns. */
const userId = (i: number) => `U${String(i + 1).padStart(7, '0')}`;
const wsId = (w: number) => `ws${String(w + 1).padStart(3, '0')}`;
const wsChannel = (w: number) => `CWS${String(w + 1).padStart(5, '0')}`;

/** A workday (Monday 2026-03-09, UTC: no DST around it); the standup is at 10:00. */
const STANDUP_DATE = '2026-03-09';
const STANDUP_AT = '10:00';

function buildYaml(): string {
  // Reminders must not fire during the bench (they are DMs too): put them far beyond the abort budget.
  const remindMin = Math.ceil(abortMs / 60_000) + 60;
  const closeMin = remindMin + 60;
  const lines = [
    'program:',
    '  name: Fan-out bench',
    '  timezone: UTC',
    '  pm: UPM000001',
    '  channel: CPROGRAM01',
    'calendar:',
    '  workdays: [mon, tue, wed, thu, fri]',
    'standup:',
    `  at: "${STANDUP_AT}"`,
    `  remind_after: ${remindMin}m`,
    `  close_after: ${closeMin}m`,
    'scheduler:',
    `  tick: ${opts.tickMs / 1000}s`,
    'workstreams:',
  ];
  for (let w = 0; w < opts.workstreams; w++) {
    lines.push(`  ${wsId(w)}:`, `    name: Workstream ${w + 1}`, `    channel: ${wsChannel(w)}`, '    members:');
    // members spread round-robin: sizes differ by at most one
    for (let i = w; i < opts.members; i += opts.workstreams) lines.push(`      - ${userId(i)}`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const secs = (ms: number) => Math.round(ms / 100) / 10;
const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** A pino destination that counts lines per message and echoes the first few to stderr. */
function countingDestination() {
  const byMsg = new Map<string, number>();
  let echoed = 0;
  return {
    byMsg,
    write(line: string) {
      let msg = '?';
      try {
        msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? '?');
      } catch {
        /* keep '?' */
      }
      byMsg.set(msg, (byMsg.get(msg) ?? 0) + 1);
      if (echoed++ < 40) process.stderr.write(`[bot log] ${line.endsWith('\n') ? line : line + '\n'}`);
    },
  };
}

/**
 * Replays the fake's fixed-window algorithm over the recorded chat.postMessage calls (same rule: a call at or
 * after windowStart + windowMs starts a new window) to show how each window was used.
 */
function windowsOf(calls: RecordedCall[], windowMs: number, origin: number) {
  const out: { start: number; ok: number; dm: number; channel: number; rateLimited: number; firstOk: number | null; lastOk: number | null }[] = [];
  let cur: (typeof out)[number] | undefined;
  for (const c of calls) {
    if (c.method !== 'chat.postMessage') continue;
    if (!cur || c.at - cur.start >= windowMs) {
      cur = { start: c.at, ok: 0, dm: 0, channel: 0, rateLimited: 0, firstOk: null, lastOk: null };
      out.push(cur);
    }
    if (c.status === 200) {
      cur.ok++;
      if (/^[CG]/.test(String(c.args.channel ?? ''))) cur.channel++;
      else cur.dm++;
      cur.firstOk ??= c.at;
      cur.lastOk = c.at;
    } else if (c.status === 429) cur.rateLimited++;
  }
  return out.map((w, i) => ({
    window: i + 1,
    startS: secs(w.start - origin),
    /** idle time between the end of the previous window and the first call of this one */
    gapBeforeS: i === 0 ? null : secs(w.start - (out[i - 1]!.start + windowMs)),
    ok: w.ok,
    dm: w.dm,
    channel: w.channel,
    rateLimited: w.rateLimited,
    /** how long it took to use this window's successes (first to last 200) */
    burstS: w.firstOk !== null && w.lastOk !== null ? secs(w.lastOk - w.firstOk) : null,
  }));
}

// ---------------------------------------------------------------------------------------------- run

interface TickSample {
  startedAt: number;
  finishedAt: number;
  report: TickReport;
}

async function main(): Promise<number> {
  const started = Date.now();
  progress(
    `members=${opts.members} workstreams=${opts.workstreams} cap=${opts.cap}/${opts.windowMs}ms tick=${opts.tickMs}ms dmConcurrency=${opts.dmConcurrency} ` +
      `bound=${secs(boundMs)}s abort after ${secs(abortMs)}s; db=${new URL(dbUrl).pathname.slice(1)} prefix=${prefix}`,
  );

  // RSS sampling (the bot, the Slack fake and this harness share the process)
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const baselineRss = peakRss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  }, 100);

  const config = resolveProgram(parseWorkspaceConfig(buildYaml(), 'bench.yml'));
  const memberIds = new Set(Array.from({ length: opts.members }, (_, i) => userId(i)));
  const reportChannels = new Set(Array.from({ length: opts.workstreams }, (_, w) => wsChannel(w)));

  const destination = countingDestination();
  const log = createLogger('warn', destination);

  let fake: SlackApiFake | undefined;
  let database: Database | undefined;
  let queues: Queues | undefined;
  let workers: Workers | undefined;
  let preflight: Preflight | undefined;
  let dbCreated = false;
  const cleanupNotes: string[] = [];

  try {
    await ensureDatabase(dbUrl);
    dbCreated = true;
    await runMigrations(dbUrl);
    fake = await new SlackApiFake({ postMessageCap: opts.cap, capWindowMs: opts.windowMs }).start();

    // fixed start just after the standup time, then real time
    const clockStart = DateTime.fromISO(`${STANDUP_DATE}T${STANDUP_AT}:02`, { zone: 'utc' });
    const t0 = Date.now();
    const clock: Clock = { now: () => clockStart.plus({ milliseconds: Date.now() - t0 }) };
    // wired as src/preflight.ts wires the worker side (createPreflight), without metrics
    preflight = createPreflight(benchEnv({ databaseUrl: dbUrl, redisUrl, prefix, slackApiUrl: fake.url }), config, { clock, log, metrics: false });
    database = preflight.database;
    queues = preflight.queues;

    const ticks: TickSample[] = [];
    let tickErrors = 0;
    const workersStartedAt = Date.now();
    workers = await preflight.startWorkers({ dmConcurrency: opts.dmConcurrency });
    const schedulerWorker = workers.workers.find((w) => w.name === 'scheduler')!;
    schedulerWorker.on('completed', (job: Job, result: TickReport) => {
      // the scheduler queue also runs other periodic jobs (e.g. the due-work sweep): keep the standup ticks
      if (job.name !== standupTick.name) return;
      ticks.push({ startedAt: job.processedOn ?? Date.now(), finishedAt: job.finishedOn ?? Date.now(), report: result });
    });
    schedulerWorker.on('failed', (job) => {
      if (job?.name === standupTick.name) tickErrors++;
    });
    // BullMQ-level trouble per queue (stalled jobs, worker errors such as a lost lock)
    const workerEvents: Record<string, { stalled: number; errors: string[] }> = {};
    for (const w of workers.workers) {
      const ev = { stalled: 0, errors: [] as string[] };
      workerEvents[w.name] = ev;
      w.on('stalled', () => ev.stalled++);
      w.on('error', (err: Error) => ev.errors.push(`${secs(Date.now() - workersStartedAt)} s: ${err.message}`));
    }

    // ------------------------------------------------------------------ wait for the fan-out
    const firstOkDm = new Map<string, number>();
    let scanned = 0;
    const scan = () => {
      const calls = fake!.calls;
      for (; scanned < calls.length; scanned++) {
        const c = calls[scanned]!;
        if (c.method !== 'chat.postMessage' || c.status !== 200) continue;
        const member = dmMember(String(c.args.channel ?? ''));
        if (member && !firstOkDm.has(member)) firstOkDm.set(member, c.at);
      }
    };
    const dmMember = (channel: string): string | null => {
      if (memberIds.has(channel)) return channel;
      if (channel.startsWith('D') && memberIds.has(`U${channel.slice(1)}`)) return `U${channel.slice(1)}`;
      return null;
    };

    let timedOut = false;
    let lastProgress = Date.now();
    while (firstOkDm.size < opts.members) {
      await sleep(100);
      scan();
      const opened = ticks.find((t) => t.report.opened > 0);
      const since = opened ? Date.now() - opened.startedAt : 0;
      if (Date.now() - lastProgress >= 15_000) {
        lastProgress = Date.now();
        progress(`${firstOkDm.size}/${opts.members} prompted, ${fake.rateLimited} × 429, ${secs(since)} s since the runs opened, rss ${mb(process.memoryUsage().rss)} MB`);
      }
      if (Date.now() - workersStartedAt > abortMs) {
        timedOut = true;
        progress(`ABORT: ${secs(abortMs)} s budget exhausted with ${firstOkDm.size}/${opts.members} prompted`);
        break;
      }
    }
    const allDeliveredSeenAt = Date.now();

    // Settle: let the queues drain (leftover duplicate wake-ups, reports) so a late double send would show.
    const settleUntil = Date.now() + 45_000;
    while (Date.now() < settleUntil) {
      const [dmCounts, channelCounts] = await Promise.all([
        queues.dm.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        queues.channel.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      ]);
      const pending = Object.values(dmCounts).reduce((a, b) => a + b, 0) + Object.values(channelCounts).reduce((a, b) => a + b, 0);
      const reportsSoFar = fake.ok('chat.postMessage', (a) => reportChannels.has(String(a.channel))).length;
      if (pending === 0 && reportsSoFar >= opts.workstreams) break;
      await sleep(250);
    }
    await sleep(2 * opts.tickMs);
    scan();
    const settledAt = Date.now();

    // ------------------------------------------------------------------ figures
    const calls = fake.calls;
    const opening = ticks.find((t) => t.report.opened > 0);
    const [runTimes] = (await database.pool.query<{ first: Date | null; last: Date | null; n: string }>('SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS n FROM standup_runs'))
      .rows;
    const promptStatus = (
      await database.pool.query<{ status: string; n: string; attempts: string }>(
        "SELECT d.status, count(*) AS n, sum(d.claims) AS attempts FROM standup_prompts p JOIN deliveries d ON d.kind = 'prompt' AND d.owner_key = p.id::text GROUP BY d.status ORDER BY d.status",
      )
    ).rows;
    const openedAt = opening?.startedAt ?? runTimes?.first?.getTime() ?? null;

    const dmsPerMember = new Map<string, number>();
    let otherDms = 0;
    for (const c of calls) {
      if (c.method !== 'chat.postMessage' || c.status !== 200) continue;
      const m = dmMember(String(c.args.channel ?? ''));
      if (m) dmsPerMember.set(m, (dmsPerMember.get(m) ?? 0) + 1);
      else if (!/^[CG]/.test(String(c.args.channel ?? ''))) otherDms++;
    }
    const lost = [...memberIds].filter((u) => !dmsPerMember.has(u));
    const doubled = [...dmsPerMember.entries()].filter(([, n]) => n > 1);
    const lastFirstDm = firstOkDm.size ? Math.max(...firstOkDm.values()) : null;
    const firstDm = firstOkDm.size ? Math.min(...firstOkDm.values()) : null;
    const complete = lost.length === 0 && !timedOut;
    const measuredMs = complete && openedAt !== null && lastFirstDm !== null ? lastFirstDm - openedAt : null;

    const post429 = calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    const reports = fake.ok('chat.postMessage', (a) => reportChannels.has(String(a.channel)));
    const reportsPerChannel = new Map<string, number>();
    for (const r of reports) reportsPerChannel.set(String(r.args.channel), (reportsPerChannel.get(String(r.args.channel)) ?? 0) + 1);
    const methods: Record<string, Record<string, number>> = {};
    for (const c of calls) {
      methods[c.method] ??= {};
      methods[c.method]![String(c.status)] = (methods[c.method]![String(c.status)] ?? 0) + 1;
    }
    const fixedWindowFloorMs = (Math.ceil((opts.members + opts.workstreams) / opts.cap) - 1) * opts.windowMs;
    const origin = openedAt ?? workersStartedAt;
    const windows = windowsOf(calls, opts.windowMs, origin);
    const windowGapS = windows.reduce((a, w) => a + (w.gapBeforeS ?? 0), 0);
    const fanoutTicks = ticks.filter((t) => openedAt !== null && t.startedAt >= openedAt && (lastFirstDm === null || t.startedAt <= lastFirstDm));
    const tickDur = fanoutTicks.map((t) => t.finishedAt - t.startedAt);
    const tickGaps = fanoutTicks.slice(1).map((t, i) => t.startedAt - fanoutTicks[i]!.startedAt);

    const summary = {
      benchmark: 'standup-fanout',
      date: new Date(started).toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
      params: { ...opts, clockStart: clockStart.toISO(), tickFromConfigMs: config.scheduler.tick },
      result: complete ? (doubled.length === 0 ? 'ok' : 'doubled') : timedOut ? 'timed-out' : 'lost',
      timeMs: measuredMs,
      timeS: measuredMs === null ? null : secs(measuredMs),
      boundMs: Math.round(boundMs),
      boundS: secs(boundMs),
      ratio: measuredMs === null ? null : Math.round((measuredMs / boundMs) * 1000) / 1000,
      target: 1.15,
      fixedWindowFloorS: secs(fixedWindowFloorMs),
      ratioToFixedWindowFloor: measuredMs === null || fixedWindowFloorMs === 0 ? null : Math.round((measuredMs / fixedWindowFloorMs) * 1000) / 1000,
      membersPrompted: dmsPerMember.size,
      lost: lost.length,
      lostSample: lost.slice(0, 10),
      doubled: doubled.length,
      doubledSample: doubled.slice(0, 10),
      otherDms,
      rateLimited429: fake.rateLimited,
      rateLimited429OnDms: post429.filter((c) => !/^[CG]/.test(String(c.args.channel ?? ''))).length,
      rateLimited429OnReports: post429.filter((c) => /^[CG]/.test(String(c.args.channel ?? ''))).length,
      reportsPosted: reports.length,
      reportsExpected: opts.workstreams,
      reportChannelsWithMoreThanOnePost: [...reportsPerChannel.values()].filter((n) => n > 1).length,
      /** every chat.postMessage to a report channel: seconds after the opening tick, channel, HTTP status */
      reportCalls: calls
        .filter((c) => c.method === 'chat.postMessage' && reportChannels.has(String(c.args.channel)))
        .map((c) => `${secs(c.at - (openedAt ?? workersStartedAt))} ${String(c.args.channel)} ${c.status}`),
      note: 'report posts are chat.postMessage to the workstream channels and count against the same cap as the DMs',
      timeline: {
        workersStartedToOpenS: openedAt === null ? null : secs(openedAt - workersStartedAt),
        openTickDurationS: opening ? secs(opening.finishedAt - opening.startedAt) : null,
        runsCreatedInDbS: runTimes?.first && runTimes.last ? [secs(runTimes.first.getTime() - origin), secs(runTimes.last.getTime() - origin)] : null,
        runs: Number(runTimes?.n ?? 0),
        firstPromptS: firstDm === null ? null : secs(firstDm - origin),
        lastPromptS: lastFirstDm === null ? null : secs(lastFirstDm - origin),
        settleS: secs(settledAt - allDeliveredSeenAt),
      },
      windows,
      windowGapsTotalS: Math.round(windowGapS * 10) / 10,
      ticksDuringFanout: {
        count: fanoutTicks.length,
        durationMsMedian: median(tickDur),
        durationMsMax: tickDur.length ? Math.max(...tickDur) : null,
        intervalMsMedian: median(tickGaps),
        intervalMsMax: tickGaps.length ? Math.max(...tickGaps) : null,
        tickFailures: tickErrors,
        /** prompt wake-ups the ticks (re-)enqueued: every pending prompt is re-added each tick (no-op when its job exists) */
        promptWakeupsEnqueued: fanoutTicks.reduce((a, t) => a + t.report.prompts, 0),
        promptWakeupsPerTickMax: fanoutTicks.reduce((a, t) => Math.max(a, t.report.prompts), 0),
      },
      workerEvents,
      promptRows: Object.fromEntries(promptStatus.map((r) => [r.status, { rows: Number(r.n), attempts: Number(r.attempts) }])),
      slackCalls: methods,
      botWarnings: Object.fromEntries(destination.byMsg),
      memory: {
        peakRssMB: mb(peakRss),
        baselineRssMB: mb(baselineRss),
        peakHeapUsedMB: mb(peakHeap),
        note: 'one process: the bot (scheduler + workers), the Slack API fake (which keeps every call with its arguments) and this harness',
      },
      exitCode: complete && doubled.length === 0 ? 0 : 1,
    };

    console.log(JSON.stringify(summary, null, 2));
    printTable(summary);
    return summary.exitCode;
  } finally {
    clearInterval(sampler);
    // cleanup: close workers, remove job schedulers, obliterate and close queues, close connections and pool, stop the fake, drop the db
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        cleanupNotes.push(`${what}: ${(err as Error).message}`);
      }
    };
    const allQueues = queues ? Object.values(queues).filter((v): v is Queue => v instanceof Queue) : [];
    // closing the workers first also stops startWorkers' job-scheduler keeper (it re-asserts them periodically)
    if (workers) await step('close workers', () => workers!.close());
    for (const q of allQueues) {
      await step(`remove job schedulers of ${q.name}`, async () => {
        for (const s of await q.getJobSchedulers()) if (s.key) await q.removeJobScheduler(s.key);
      });
    }
    for (const q of allQueues) await step(`obliterate ${q.name}`, () => q.obliterate({ force: true }));
    if (queues) await step('close queues', () => queues!.close());
    if (preflight) {
      const producer = preflight.redis.producer as Redis;
      await step('sweep leftover keys', async () => {
        const left = await deleteKeysWithPrefix(producer, prefix);
        if (left) cleanupNotes.push(`deleted ${left} Redis keys left under ${prefix}: after obliterate`);
      });
    }
    if (preflight) await step('quit redis, close the pools', () => preflight!.close());
    if (fake) await step('stop fake', () => fake!.stop());
    if (dbCreated) await step('drop database', () => dropDatabase(dbUrl));
    progress(`cleanup done${cleanupNotes.length ? `: ${cleanupNotes.join('; ')}` : ''} (total ${secs(Date.now() - started)} s)`);
  }
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function printTable(s: {
  params: typeof opts;
  result: string;
  timeS: number | null;
  boundS: number;
  ratio: number | null;
  target: number;
  fixedWindowFloorS: number;
  lost: number;
  doubled: number;
  rateLimited429: number;
  rateLimited429OnDms: number;
  rateLimited429OnReports: number;
  reportsPosted: number;
  reportsExpected: number;
  windowGapsTotalS: number;
  windows: ReturnType<typeof windowsOf>;
  memory: { peakRssMB: number; baselineRssMB: number };
}) {
  const rows: [string, string][] = [
    [
      'scale',
      `${s.params.members} members, ${s.params.workstreams} workstreams, cap ${s.params.cap} per ${s.params.windowMs / 1000} s, tick ${s.params.tickMs} ms, dm concurrency ${s.params.dmConcurrency}`,
    ],
    ['result', s.result],
    ['run opened → every member DMed', s.timeS === null ? 'n/a' : `${s.timeS} s`],
    ['lower bound (members / cap windows)', `${s.boundS} s`],
    ['ratio (target ≤ 1.15)', s.ratio === null ? 'n/a' : `${s.ratio}${s.ratio <= s.target ? '  ✓' : '  ✗'}`],
    ['fixed-window floor ((⌈(members+reports)/cap⌉−1) windows)', `${s.fixedWindowFloorS} s`],
    ['idle time between windows (sum)', `${s.windowGapsTotalS} s`],
    ['prompts lost', String(s.lost)],
    ['prompts sent twice', String(s.doubled)],
    ['429s answered (DMs / reports)', `${s.rateLimited429} (${s.rateLimited429OnDms} / ${s.rateLimited429OnReports})`],
    ['reports posted (count against the cap)', `${s.reportsPosted} / ${s.reportsExpected}`],
    ['peak RSS (bot + fake + harness, one process)', `${s.memory.peakRssMB} MB (baseline ${s.memory.baselineRssMB} MB)`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const out = ['', ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`), '', 'window  start(s)  gap-before(s)  ok(dm+report)  429s  burst(s)'];
  for (const x of s.windows) {
    out.push(
      `${String(x.window).padStart(6)}  ${String(x.startS).padStart(8)}  ${String(x.gapBeforeS ?? '-').padStart(13)}  ${`${x.ok} (${x.dm}+${x.channel})`.padStart(13)}  ${String(x.rateLimited).padStart(4)}  ${String(x.burstS ?? '-').padStart(8)}`,
    );
  }
  console.log(out.join('\n'));
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
