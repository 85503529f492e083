/**
 * Plan reload of the seed-000 example in a running process, under a steady `/blocker` load (issue 20, "Done when":
 * "reload of the seed-000 example under 200 ms p95 on this machine, with no ack slower than 3 s during it").
 *
 *   npm run bench:reload -- [--n 200] [--modes file,sighup] [--rate 50] [--baseline-s 30] [--warmup-s 5]
 *        [--gap-ms 150] [--reload-timeout-ms 10000] [--drain-s 120] [--run prod|tsx] [--skip-build true]
 *        [--preflight-env 'KEY=VAL;KEY=VAL'] [--target-p95-ms 200]
 *
 * The process: the real bot (test/support/bot-process.ts startBot; `--run prod`, the default, builds and runs
 * `npm run start:prod` as production does, `--run tsx` runs `npm start`), HTTP mode, on a fresh database (created,
 * migrated, dropped at the end) and a unique BullMQ prefix (deleted at the end), against the HTTP fake of the Slack
 * Web API in its own process (bench/slack-fake-server.ts), with examples/final-deployment-five-teams.preflight.yml
 * (seed 000) as its PREFLIGHT_CONFIG.
 *
 * Phases, one run, one process:
 *  1. warm-up: `warmup-s` of the load (reported apart), then a drain;
 *  2. baseline: `baseline-s` of the load, no reload; then the load stops and the render backlog drains (jobs
 *     waiting, delayed, prioritized or active on the `channel` queue reach 0; the time is reported);
 *  3. reloads, for each mode of `--modes`, the load still running: `n` changes of the file, alternating between the
 *     example (A) and the example with P0's first rung at 6m instead of 5m (B), so each change is a new version.
 *     `file`: the file is rewritten and the watcher (chokidar, 200 ms debounce, src/plan-reload.ts) reloads it;
 *     `sighup`: the file is rewritten and the node process gets SIGHUP at once. The next change is made once the
 *     previous version is applied and `gap-ms` has passed (plus, for sighup, the watcher's own no-op reload of the
 *     same write: ≥ 250 ms). Then the load stops and the backlog drains again (reported).
 * Reload time, per change: `inProcessMs`, the `ms` of the process's `config reloaded` log line (the reloader's call,
 * i.e. the debounce timer firing or the SIGHUP handler → the new plan applied: read, validated, resolved, hashed,
 * recorded in plan_versions, swapped); `fromOutsideMs`, the write (file) or the kill() (sighup) in this process → the
 * log line's `time` (same machine clock; includes the 200 ms debounce in `file` mode, and the pipe).
 * Ack latency: an open-loop sender (requests leave on a fixed schedule at `rate`/s, never waiting for replies)
 * signing each body like Slack; latency = reply fully read − scheduled send (no coordinated omission), for the
 * baseline and for each reload mode side by side.
 * Checks: 0 errors (non-200, transport errors, bodies without "Raised"), the bench's rows in `blockers` = "Raised" replies,
 * every version applied (no timeout), reload inProcessMs p95 < `target-p95-ms` in every mode, no ack > 3 s.
 * Prints a JSON summary and a table. Exit code 0 when every check passes, 1 otherwise, 2 on error.
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379). Run from the repository root.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseWorkspaceConfig } from '../src/config/load.js';
import { resolveProgram } from '../src/config/resolve.js';
import { planVersion } from '../src/services/plan/version.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { type BotProcess, freePort, slackSignature, startBot } from '../test/support/bot-process.js';
import { deleteKeysWithPrefix } from '../test/support/redis.js';
import { slashCommandBody } from '../test/support/slack-payloads.js';
import { nodePidUnder, parseArgs, percentile, progress, secs, sleep } from './lib.js';

// ---------------------------------------------------------------------------------------------- options

const KNOWN = ['n', 'modes', 'rate', 'baseline-s', 'warmup-s', 'gap-ms', 'reload-timeout-ms', 'drain-s', 'run', 'skip-build', 'preflight-env', 'target-p95-ms'];
const raw = parseArgs(process.argv.slice(2));
for (const k of Object.keys(raw)) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
const num = (k: string, dflt: number, min = 0) => {
  const v = raw[k] === undefined ? dflt : Number(raw[k]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${k} must be a number ≥ ${min} (got ${raw[k]})`);
  return v;
};
const opts = {
  n: num('n', 200, 2),
  modes: (raw.modes ?? 'file,sighup').split(',').map((m) => {
    if (m !== 'file' && m !== 'sighup') throw new Error(`--modes: file or sighup (got ${m})`);
    return m as 'file' | 'sighup';
  }),
  rate: num('rate', 50, 1),
  baselineS: num('baseline-s', 30, 1),
  warmupS: num('warmup-s', 5),
  gapMs: num('gap-ms', 150),
  reloadTimeoutMs: num('reload-timeout-ms', 10_000, 100),
  drainS: num('drain-s', 120, 1),
  run: (raw.run ?? 'prod') as 'prod' | 'tsx',
  skipBuild: raw['skip-build'] === 'true',
  targetP95Ms: num('target-p95-ms', 200, 1),
  preflightEnv: Object.fromEntries(
    (raw['preflight-env'] ?? '')
      .split(';')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ) as Record<string, string>,
};
if (!['prod', 'tsx'].includes(opts.run)) throw new Error('--run must be prod or tsx');

const EXAMPLE = 'examples/final-deployment-five-teams.preflight.yml';
const A = readFileSync(EXAMPLE, 'utf8');
const B = A.replace('    P0:\n      - { after: 5m, notify: lead }', '    P0:\n      - { after: 6m, notify: lead }');
if (A === B) throw new Error(`${EXAMPLE}: P0's first rung (after: 5m) not found; update the bench's variant B`);
const REPORTERS = ['UOMEGA0A', 'UOMEGA0B', 'UOMEGA0C', 'UOMEGA0D'];
const CHANNEL = 'C1OMEGA';
const ACK_DEADLINE_MS = 3_000; // Slack's: a slash command not acknowledged within 3 s fails for the user

const runTag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbBase = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbUrl = (() => {
  const u = new URL(dbBase);
  u.pathname = `/preflight_bench_reload_${runTag}`;
  return u.toString();
})();
const prefix = `pfb-reload-${runTag}`;
const SECRET = `bench-signing-secret-${runTag}`;

// ---------------------------------------------------------------------------------------------- helpers

const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const now = () => performance.timeOrigin + performance.now();
function dist(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: r1(percentile(s, 50)), p95: r1(percentile(s, 95)), p99: r1(percentile(s, 99)), max: r1(s.at(-1) ?? null) };
}

/** The Slack fake in its own process (bench/slack-fake-server.ts). */
async function startFake(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = fork('bench/slack-fake-server.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`slack fake exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

interface Sample {
  seq: number;
  phase: string;
  latency: number | null;
  sendLag: number;
  error: string | null;
  raised: boolean;
}

/** An open-loop `/blocker` sender at `rate`/s, its samples tagged `phase`; `stop()` resolves when every reply is in. */
function startLoad(bot: BotProcess, rate: number, phase: string, samples: Sample[], dispatcher: unknown, nextSeq: () => number): { stop: () => Promise<void> } {
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  const base = now() + 20;
  const gap = 1_000 / rate;
  const one = (at: number) => {
    const i = nextSeq();
    const body = slashCommandBody({ command: '/blocker', text: `Bench reload #${i}: the payments sandbox returns 502 P2`, userId: REPORTERS[i % REPORTERS.length]!, channelId: CHANNEL });
    const ts = Math.floor(Date.now() / 1000);
    const s: Sample = { seq: i, phase, latency: null, sendLag: now() - at, error: null, raised: false };
    samples.push(s);
    const p = fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SECRET, ts, body) },
      body,
      dispatcher,
    } as RequestInit)
      .then(async (res) => {
        const text = await res.text();
        s.latency = now() - at;
        s.raised = text.includes('Raised');
        if (res.status !== 200) s.error = `HTTP ${res.status}: ${text.slice(0, 120)}`;
        else if (!s.raised) s.error = `no "Raised" in ${text.slice(0, 160)}`;
      })
      .catch((err: Error) => {
        s.error = `${err.name}: ${err.message}`;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
  let k = 0;
  const tick = () => {
    if (stopped) return;
    const t = now();
    while (base + k * gap <= t) one(base + k++ * gap);
    setTimeout(tick, Math.max(0, base + k * gap - now() - 0.5));
  };
  setTimeout(tick, 20);
  return {
    async stop() {
      stopped = true;
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
}

/** The bot's `config reloaded` log lines, read as they arrive on its output. */
interface ReloadLine {
  version: string;
  ms: number;
  wait_ms?: number;
  read_ms?: number;
  record_ms?: number;
  time: number;
}
function reloadLines(bot: BotProcess): { next: (version: string, timeoutMs: number) => Promise<ReloadLine> } {
  let offset = 0;
  const seen: ReloadLine[] = [];
  const scan = () => {
    const out = bot.output();
    const end = out.lastIndexOf('\n') + 1;
    for (const line of out.slice(offset, end).split('\n')) {
      if (!line.includes('"config reloaded"')) continue;
      try {
        seen.push(JSON.parse(line) as ReloadLine);
      } catch {
        /* not JSON */
      }
    }
    offset = end;
  };
  return {
    async next(version, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        scan();
        const i = seen.findIndex((s) => s.version === version);
        if (i >= 0) return seen.splice(0, i + 1).at(-1)!;
        if (Date.now() > until) throw new Error(`version ${version} not applied within ${timeoutMs} ms`);
        await sleep(2);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------- run

async function main(): Promise<number> {
  const started = Date.now();
  const uptimeAtStart = execFileSync('uptime').toString().trim();
  progress(`n=${opts.n} per mode (${opts.modes.join(', ')}), load ${opts.rate}/s, baseline ${opts.baselineS} s, run ${opts.run}; ${uptimeAtStart}`);
  let fake: Awaited<ReturnType<typeof startFake>> | undefined;
  let bot: BotProcess | undefined;
  let redis: Redis | undefined;
  let dbCreated = false;
  const notes: string[] = [];
  try {
    fake = await startFake();
    if (opts.run === 'prod' && !opts.skipBuild) {
      progress('npm run build');
      await new Promise<void>((resolve, reject) => {
        const b = spawn('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'inherit', 'inherit'] });
        b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
      });
    }
    await ensureDatabase(dbUrl);
    dbCreated = true;
    await runMigrations(dbUrl);
    bot = await startBot(
      {
        SLACK_BOT_TOKEN: 'xoxb-bench-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.url,
        PORT: String(await freePort()),
        DATABASE_URL: dbUrl,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'info',
        ...opts.preflightEnv,
      },
      A,
      60_000,
      opts.run === 'prod' ? { command: ['npm', 'run', 'start:prod', '--silent'] } : {},
    );
    const running = bot
      .output()
      .split('\n')
      .find((l) => l.includes('Preflight is running'));
    const { config: path, version: versionA } = JSON.parse(running!) as { config: string; version: string };
    const nodePid = nodePidUnder(bot.child.pid!);
    progress(`up: ${bot.baseUrl}, node pid ${nodePid}, config ${path}, version A ${versionA}`);
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const channelQueue = new Queue('channel', { connection: redis, prefix });
    const backlog = async () => {
      const c = await channelQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    };
    /** ms until the channel queue is empty (null: not within drain-s). */
    const drain = async () => {
      const t0 = Date.now();
      while (Date.now() - t0 < opts.drainS * 1_000) {
        if ((await backlog()) === 0) return Date.now() - t0;
        await sleep(100);
      }
      return null;
    };

    await fetch(`${bot.baseUrl}/healthz`);
    const Agent = (globalThis as unknown as Record<symbol, { constructor: new (o: object) => unknown }>)[Symbol.for('undici.globalDispatcher.1')]!.constructor;
    const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
    const samples: Sample[] = [];
    let seq = 0;
    const loadFor = (phase: string) => startLoad(bot!, opts.rate, phase, samples, dispatcher, () => ++seq);

    if (opts.warmupS > 0) {
      progress(`warm-up ${opts.warmupS} s`);
      const warm = loadFor('warmup');
      await sleep(opts.warmupS * 1_000);
      await warm.stop();
      await drain();
    }
    progress(`baseline ${opts.baselineS} s at ${opts.rate}/s, no reload`);
    const baseline = loadFor('baseline');
    await sleep(opts.baselineS * 1_000);
    await baseline.stop();
    const drains: Record<string, number | null> = {};
    // the load stops while the render backlog drains: each phase starts from empty queues
    drains.baseline = await drain();
    progress(`baseline's render backlog drained in ${drains.baseline === null ? `> ${opts.drainS} s` : `${secs(drains.baseline)} s`}`);

    const lines = reloadLines(bot);
    const reloads: Record<string, { inProcessMs: number[]; fromOutsideMs: number[]; readMs: number[]; recordMs: number[]; waitMs: number[]; wallS: number; failures: string[] }> = {};
    // the versions as the process computes them (the example names people by ID: nothing to look up by e-mail)
    const versionOf = (yaml: string) => planVersion(resolveProgram(parseWorkspaceConfig(yaml, path)));
    if (versionOf(A) !== versionA) throw new Error(`the process runs ${versionA}, the example resolves to ${versionOf(A)}`);
    const versionB = versionOf(B);
    let current = 'A';
    for (const mode of opts.modes) {
      const load = loadFor(`reload-${mode}`);
      const r = { inProcessMs: [] as number[], fromOutsideMs: [] as number[], readMs: [] as number[], recordMs: [] as number[], waitMs: [] as number[], wallS: 0, failures: [] as string[] };
      reloads[mode] = r;
      progress(`${opts.n} reloads by ${mode}`);
      const t0 = Date.now();
      for (let i = 0; i < opts.n; i++) {
        const nextName = current === 'A' ? 'B' : 'A';
        const t = Date.now();
        writeFileSync(path, nextName === 'A' ? A : B);
        if (mode === 'sighup') process.kill(nodePid, 'SIGHUP');
        try {
          const applied = await lines.next(nextName === 'A' ? versionA : versionB, opts.reloadTimeoutMs);
          r.inProcessMs.push(applied.ms);
          r.fromOutsideMs.push(applied.time - t);
          if (applied.read_ms !== undefined) r.readMs.push(applied.read_ms);
          if (applied.record_ms !== undefined) r.recordMs.push(applied.record_ms);
          if (applied.wait_ms !== undefined) r.waitMs.push(applied.wait_ms);
          current = nextName;
        } catch (err) {
          r.failures.push(`#${i + 1}: ${(err as Error).message}`);
          writeFileSync(path, current === 'A' ? A : B);
          await sleep(1_000);
        }
        // sighup: the watcher reloads the same write 200 ms later (a no-op, same version): let it pass first
        await sleep(mode === 'sighup' ? Math.max(250, opts.gapMs) : opts.gapMs);
      }
      r.wallS = secs(Date.now() - t0);
      progress(`${mode}: ${r.inProcessMs.length} applied, ${r.failures.length} failures, in-process p95 ${dist(r.inProcessMs).p95} ms`);
      await load.stop();
      drains[mode] = await drain();
      progress(`render backlog after the ${mode} reloads drained in ${drains[mode] === null ? `> ${opts.drainS} s` : `${secs(drains[mode]!)} s`}`);
    }
    const uptimeAtEnd = execFileSync('uptime').toString().trim();

    // ------------------------------------------------------------------ figures
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    // the example's plan (its dates are in 2025) raises a few blockers of its own: count the bench's only
    const ours = "FROM blockers WHERE text LIKE 'Bench reload #%'";
    const rows = Number((await c.query<{ n: string }>(`SELECT count(*) AS n ${ours}`)).rows[0]!.n);
    const stored = new Set((await c.query<{ text: string }>(`SELECT text ${ours}`)).rows.map((r) => Number(/reload #(\d+)/.exec(r.text)?.[1])));
    const bySeq = new Map(samples.map((x) => [x.seq, x]));
    const rowsWithoutRaised = [...stored]
      .filter((n) => !bySeq.get(n)?.raised)
      .slice(0, 5)
      .map((n) => ({ seq: n, sample: bySeq.get(n) ?? null }));
    const raisedWithoutRow = samples.filter((x) => x.raised && !x.error && !stored.has(x.seq)).slice(0, 5);
    const versionsRecorded = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM plan_versions')).rows[0]!.n);
    await c.end();
    const raisedReplies = samples.filter((s) => s.raised && !s.error).length;
    const phases = [...new Set(samples.map((s) => s.phase))];
    const ack = Object.fromEntries(
      phases.map((p) => {
        const xs = samples.filter((s) => s.phase === p);
        return [
          p,
          {
            requests: xs.length,
            errors: xs.filter((s) => s.error).length,
            errorSample: [...new Set(xs.filter((s) => s.error).map((s) => s.error!))].slice(0, 3),
            over3s: xs.filter((s) => s.latency !== null && s.latency > ACK_DEADLINE_MS).length,
            latencyMs: dist(xs.filter((s) => s.latency !== null).map((s) => s.latency!)),
            sendLagMs: dist(xs.map((s) => s.sendLag)),
          },
        ];
      }),
    );
    const reloadStats = Object.fromEntries(
      Object.entries(reloads).map(([mode, r]) => [
        mode,
        {
          applied: r.inProcessMs.length,
          failures: r.failures,
          wallS: r.wallS,
          inProcessMs: dist(r.inProcessMs),
          fromOutsideMs: dist(r.fromOutsideMs),
          waitMs: dist(r.waitMs),
          readMs: dist(r.readMs),
          recordMs: dist(r.recordMs),
        },
      ]),
    );
    const errors = samples.filter((s) => s.error).length;
    const over3s = samples.filter((s) => s.latency !== null && s.latency > ACK_DEADLINE_MS).length;
    const reloadOk = Object.values(reloadStats).every((r) => r.failures.length === 0 && (r.inProcessMs.p95 ?? Infinity) < opts.targetP95Ms);
    const ok = errors === 0 && over3s === 0 && rows === raisedReplies && reloadOk;
    const summary = {
      benchmark: 'plan-reload',
      date: new Date(started).toISOString(),
      machine: { cpus: cpus().length, node: process.version, uptimeAtStart, uptimeAtEnd, loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      params: opts,
      example: EXAMPLE,
      versions: { A: versionA, B: versionB },
      reloads: reloadStats,
      ack,
      drainMs: drains,
      stored: { rows, raisedReplies, ok: rows === raisedReplies, rowsWithoutRaised, raisedWithoutRow },
      planVersionsRecorded: versionsRecorded,
      errors,
      over3s,
      result: ok ? 'ok' : errors ? 'errors' : over3s ? 'acks-over-3s' : rows !== raisedReplies ? 'rows-mismatch' : 'reload-over-target',
      totalRunS: secs(Date.now() - started),
      exitCode: ok ? 0 : 1,
    };
    console.log(JSON.stringify(summary, null, 2));
    const out = ['', `reload of ${EXAMPLE} (ms): n, p50, p95, max; in-process = trigger → applied; from outside = write or kill() → log line`];
    for (const [mode, r] of Object.entries(reloadStats)) {
      out.push(
        `  ${mode.padEnd(7)} in-process ${r.inProcessMs.n} / ${r.inProcessMs.p50} / ${r.inProcessMs.p95} / ${r.inProcessMs.max}   from outside ${r.fromOutsideMs.p50} / ${r.fromOutsideMs.p95} / ${r.fromOutsideMs.max}   failures ${r.failures.length}   wall ${r.wallS} s ${(r.inProcessMs.p95 ?? Infinity) < opts.targetP95Ms ? '✓' : '✗'}`,
        `          of which p50 / p95: read+validate+resolve+hash ${r.readMs.p50} / ${r.readMs.p95}, plan_versions ${r.recordMs.p50} / ${r.recordMs.p95}, waiting ${r.waitMs.p50} / ${r.waitMs.p95}`,
      );
    }
    out.push(`/blocker ack latency at ${opts.rate}/s (ms from the scheduled send): n, p50, p99, max, errors, > 3 s`);
    for (const [p, a] of Object.entries(ack)) out.push(`  ${p.padEnd(22)} ${a.requests} / ${a.latencyMs.p50} / ${a.latencyMs.p99} / ${a.latencyMs.max}   errors ${a.errors}   >3s ${a.over3s}`);
    out.push(
      `render backlog drained (s): ${Object.entries(drains)
        .map(([k, v]) => `after ${k} ${v === null ? `> ${opts.drainS}` : secs(v)}`)
        .join(', ')}`,
    );
    out.push(`stored: ${rows} rows / ${raisedReplies} "Raised" ${rows === raisedReplies ? '✓' : '✗'}; plan_versions rows ${versionsRecorded}; ${uptimeAtEnd}; total ${summary.totalRunS} s`);
    console.log(out.join('\n'));
    return summary.exitCode;
  } finally {
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        notes.push(`${what}: ${(err as Error).message}`);
      }
    };
    if (bot) {
      const b = bot;
      await step('stop bot', async () => {
        const code = await b.stop();
        if (code !== 0) notes.push(`bot exited with ${code}; last output:\n${b.output().slice(-2000)}`);
      });
    }
    if (redis) {
      const r = redis;
      await step('delete BullMQ keys', () => deleteKeysWithPrefix(r, prefix));
      await step('quit redis', () => r.quit());
    }
    if (fake) await step('stop fake', () => fake!.stop());
    if (dbCreated) await step('drop database', () => dropDatabase(dbUrl));
    progress(`cleanup done${notes.length ? `: ${notes.join('; ')}` : ''} (total ${secs(Date.now() - started)} s)`);
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
