/**
 * `/blocker <text>` acknowledgement latency of the real process, next to a bare Bolt app (the floor).
 *
 *   npx tsx bench/blocker-ack-latency.ts [--rates 50,200] [--duration-s 30] [--mode alternate|both|sequential] [--slice-ms 1000]
 *        [--warmup-s 5] [--warmup-rate 20] [--ramp-s 3] [--pause-ms 5000] [--connections 256] [--timeout-ms 10000]
 *        [--log-level info] [--variants name=/path/to/checkout,...] [--preflight-env 'KEY=VAL;KEY=VAL']
 *        [--run prod|tsx] [--skip-build true] [--ratio-max 50=1.5,200=3] [--rss-peak-mb 150] [--rss-idle-mb 110]
 *        [--idle-s 20] [--drain-s 60] [--heap-snapshot-dir /tmp/heap] [--quiet-busy-pct 25] [--quiet-max-s 120]
 *        [--drain-max-s 5]
 *
 * `--run prod` (default) runs every Preflight as production does: `npm run build` in its directory (skipped with
 * `--skip-build true`), then `npm run start:prod` (node + the V8 flags of that script, `dist/main.js`), and
 * the floor as plain `node bench/bare-bolt-app.mjs`; `--run tsx` runs both through tsx (`npm start`), as
 * before 2026-11-30.
 *
 * Targets, each a separate process on this machine, all pointed at the same HTTP fake of the Slack Web API
 * (test/support/slack-api-fake.ts, run in its own process by bench/slack-fake-server.ts so that it does not
 * share the load generator's event loop):
 *  - preflight: the real bot, `npm start` via startBot (test/support/bot-process.ts), HTTP mode, with a fresh
 *    database created here (ensureDatabase + runMigrations; dropped at the end) and a unique BullMQ prefix
 *    (its keys are deleted at the end). `/blocker <text> P1` raises a blocker (Postgres transaction + two
 *    BullMQ enqueues) and acks with "🚧 Raised *B-n* …"; its in-process workers then render the blocker message
 *    (chat.postMessage + chat.getPermalink).
 *  - floor: bench/bare-bolt-app.mjs (started like Preflight: plain node, or tsx with `--run tsx`): Bolt + HTTPReceiver,
 *    same signing secret, a `/blocker` handler that only calls `ack()`.
 *  - optional variants (`--variants exp=/tmp/checkout`): Preflight started the same way from another checkout
 *    (e.g. a copy with a change to src/ under test), with its own database and prefix, measured in the same run;
 *    `name=/dir|KEY=VAL|+companion` adds env for that process and starts a second, plain process from the same
 *    directory on the same database and prefix that gets no traffic (e.g. the workers of a web-only process);
 *    its CPU is counted with the variant.
 * Load: an open-loop sender (requests leave on a fixed schedule, never waiting for earlier replies) signing
 * each body like Slack (v0 HMAC-SHA256) and POSTing through a keep-alive undici Agent (the one bundled with
 * Node's fetch). For each rate, each target gets `duration-s` seconds of traffic at that rate:
 *  - mode alternate (default): the targets take turns in slices of `slice-ms` (A B A B …), so a noise burst on
 *    the machine hits all of them; (number of targets) × duration wall time per rate.
 *  - mode both: every tick sends one request to each target (order rotating), so all see the same moment.
 *  - mode sequential (issue 25): one target at a time, each starting idle. Before every target's ramp and again before
 *    its measured phase, the bench waits until no Preflight has a job pending and the whole machine was below
 *    `quiet-busy-pct` % busy for a full second (at most `quiet-max-s`; the wait is reported). Pending: waiting,
 *    prioritized or running in any queue, or delayed in the dm and channel queues (coalesced edits and renders due
 *    within seconds); delayed escalation and scheduler jobs are the ladders' 1 h timers and the job schedulers' next
 *    iterations. So work one target defers is never drained during another's phase. After each target's phase the
 *    bench reports its CPU ms per request both for the phase alone and until its queues emptied (the deferred work
 *    counts; no figure if they did not empty within `drain-s`).
 *    Exit code: the queues must empty within `drain-max-s` seconds of the phase's end (issue 25: 5 s).
 * In every mode, after each phase the bench waits (at most `drain-s`) for the render backlog to be 0 and for every
 * Preflight's queues to hold nothing pending, seen twice in a row 100 ms apart; each time is that of the first read.
 * Latency = reply fully read − scheduled send time (client-side lag counts against the target: no coordinated
 * omission); `fromSend` = reply − actual send, and the sender's own lag, are reported separately.
 * Checks: errors (non-200, transport errors, Preflight bodies without "Raised") must be 0, and for each
 * Preflight the number of rows in `blockers` must equal the number of "Raised" replies (warm-up included).
 * Memory: the RSS of each target's node process (/proc/<pid>/status VmRSS, sampled every 250 ms; for
 * Preflight the node under npm) at its peak during each phase, and idle: the median over 5 s after the last
 * phase's work has drained plus `idle-s`. Backlog: the render (channel queue) jobs waiting, delayed or active
 * per second of each phase, and how long they take to drain after it (at most `drain-s`). With
 * `--heap-snapshot-dir`, every target runs with `--heapsnapshot-signal=SIGUSR2` and gets SIGUSR2 once the idle
 * RSS is measured: a heap snapshot of the idle-after-load process lands in that directory
 * (bench/heap-snapshot-summary.ts summarises it).
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379). Run from the repository root (npm start runs there).
 * Exit code: 0 when every check passes, Preflight's p99 ≤ `ratio-max` × the floor's at each rate (default 1.5×
 * at 50/s, 3× at any other rate), its RSS within `rss-peak-mb` / `rss-idle-mb` (the render backlog may
 * wait in Redis: reported, not checked); 1
 * otherwise; 2 on error.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { QUEUE_NAMES } from '../src/jobs/job-definition.js';
import { freePort, slackSignature, startBot, type BotProcess } from '../test/support/bot-process.js';
import { slashCommandBody } from '../test/support/slack-payloads.js';
import { parseArgs, percentile, progress, secs, sleep } from './lib.js';
import { deleteKeysWithPrefix } from '../test/support/redis.js';

// ---------------------------------------------------------------------------------------------- options

const KNOWN = [
  'rates',
  'duration-s',
  'mode',
  'slice-ms',
  'warmup-s',
  'warmup-rate',
  'pause-ms',
  'connections',
  'timeout-ms',
  'log-level',
  'variants',
  'preflight-env',
  'ramp-s',
  'run',
  'skip-build',
  'ratio-max',
  'rss-peak-mb',
  'rss-idle-mb',
  'idle-s',
  'drain-s',
  'heap-snapshot-dir',
  'quiet-busy-pct',
  'quiet-max-s',
  'drain-max-s',
];
const raw = parseArgs(process.argv.slice(2));
for (const k of Object.keys(raw)) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
const num = (k: string, dflt: number, min = 0) => {
  const v = raw[k] === undefined ? dflt : Number(raw[k]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${k} must be a number ≥ ${min} (got ${raw[k]})`);
  return v;
};
const opts = {
  rates: (raw.rates ?? '50,200').split(',').map((s) => {
    const v = Number(s);
    if (!(v > 0)) throw new Error(`--rates: bad rate ${s}`);
    return v;
  }),
  durationS: num('duration-s', 30, 1),
  mode: (raw.mode ?? 'alternate') as 'alternate' | 'both' | 'sequential',
  sliceMs: num('slice-ms', 1_000, 50),
  warmupS: num('warmup-s', 5),
  warmupRate: num('warmup-rate', 20, 1),
  /** unmeasured seconds per target at each rate right before it is measured (steady state, not the step up) */
  rampS: num('ramp-s', 3),
  pauseMs: num('pause-ms', 5_000),
  connections: num('connections', 256, 1),
  timeoutMs: num('timeout-ms', 10_000, 100),
  logLevel: raw['log-level'] ?? 'info',
  run: (raw.run ?? 'prod') as 'prod' | 'tsx',
  skipBuild: raw['skip-build'] === 'true',
  /** p99 ratio to the floor allowed per rate (issue 12: 1.5× at 50/s, 3× at 200/s); 3× for a rate not listed */
  ratioMax: Object.fromEntries(
    (raw['ratio-max'] ?? '50=1.5,200=3').split(',').map((kv) => {
      const [r, x] = kv.split('=').map(Number);
      if (!(r! > 0 && x! > 0)) throw new Error(`--ratio-max: expected rate=ratio,… (got ${kv})`);
      return [r!, x!];
    }),
  ) as Record<number, number>,
  rssPeakMb: num('rss-peak-mb', 150, 1),
  rssIdleMb: num('rss-idle-mb', 110, 1),
  idleS: num('idle-s', 20),
  drainS: num('drain-s', 60),
  heapSnapshotDir: raw['heap-snapshot-dir'],
  /** sequential mode: the machine counts as quiet below this % busy (all cores) over one second */
  quietBusyPct: num('quiet-busy-pct', 25, 1),
  /** sequential mode: the longest wait for an idle bot and a quiet machine before a phase (s) */
  quietMaxS: num('quiet-max-s', 120, 1),
  /** sequential mode: a Preflight's queues must be empty within this many seconds of its phase's end (issue 25: 5) */
  drainMaxS: num('drain-max-s', 5, 0),
  /** extra env for every Preflight process, `KEY=VAL;KEY=VAL` (e.g. NODE_OPTIONS=--require …/bench/cpu-profile-preload.cjs) */
  preflightEnv: Object.fromEntries(
    (raw['preflight-env'] ?? '')
      .split(';')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ) as Record<string, string>,
  /** `name=/dir[|KEY=VAL…][|+companion]`: +companion also starts a plain process from that dir on the same db/prefix (no traffic) */
  variants: (raw.variants ? raw.variants.split(',') : []).map((v) => {
    const [head, ...extras] = v.split('|');
    const name = head!.slice(0, head!.indexOf('='));
    const dir = head!.slice(head!.indexOf('=') + 1);
    if (!name || !dir || !/^[a-z0-9-]+$/.test(name) || ['preflight', 'floor'].includes(name)) throw new Error(`--variants: expected name=/path[|KEY=VAL][|+companion] (got ${v})`);
    const env = Object.fromEntries(extras.filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    return { name, dir, env, companion: extras.includes('+companion') };
  }),
};
if (!['alternate', 'both', 'sequential'].includes(opts.mode)) throw new Error('--mode must be alternate, both or sequential');
if (!['prod', 'tsx'].includes(opts.run)) throw new Error('--run must be prod or tsx');
const ratioMaxFor = (rate: number) => opts.ratioMax[rate] ?? 3;

const runTag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbBase = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbUrlFor = (name: string) => {
  const u = new URL(dbBase);
  u.pathname = `/preflight_bench_ack_${runTag}_${name.replace(/-/g, '_')}`;
  return u.toString();
};
const prefixFor = (name: string) => `pfb-ack-${runTag}-${name}`;
const SECRET = `bench-signing-secret-${runTag}`;
const REPORTERS = Array.from({ length: 50 }, (_, i) => `U0REP${String(i + 1).padStart(3, '0')}`);
const CONFIG = `
program: { name: Ack latency bench, timezone: UTC, pm: U0PM0001, execs: [U0EXEC001], channel: C0LAUNCH }
escalation:
  # nothing escalates while the bench runs: only the ack path and the message render are exercised
  ladders:
    P1: [{ after: 1h, notify: lead }]
workstreams:
  ws1:
    name: Broker Integration
    channel: C0WS1
    blockers_channel: C0BLK
    leads: [U0LEAD001]
    members: [${REPORTERS.join(', ')}]
    standup: { enabled: false }
`;

// ---------------------------------------------------------------------------------------------- helpers

const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const now = () => performance.timeOrigin + performance.now();

function dist(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: r1(percentile(s, 50)), p90: r1(percentile(s, 90)), p99: r1(percentile(s, 99)), max: r1(s.at(-1) ?? null) };
}

/** CPU time (ms) of a process and all its descendants, from /proc (Linux; USER_HZ = 100). */
function treeCpuMs(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) * 10;
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) for (const k of kids.split(/\s+/)) visit(Number(k));
      }
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return total;
}
/** CPU time (ms) of every process whose command name starts with one of `names`. */
function namedCpuMs(names: string[]): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.some((n) => comm.startsWith(n))) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      /* gone */
    }
  }
  return total;
}
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: f.reduce((a, b) => a + b, 0) - idle, total: f.reduce((a, b) => a + b, 0) };
}

/** The node process that serves a target: `pid` itself, or its deepest `node` descendant (npm → sh → node). */
function nodePidUnder(pid: number): number {
  const kidsOf = (p: number) => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) => readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  const comm = (p: number) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  let best = pid;
  const visit = (p: number) => {
    for (const k of kidsOf(p)) {
      if (comm(k) === 'node') best = k;
      visit(k);
    }
  };
  visit(pid);
  return best;
}
/** Resident set size of one process in MB (VmRSS), or null when it is gone. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]! : null);

/** The Slack fake in its own process (bench/slack-fake-server.ts). */
async function startFake(): Promise<{ url: string; child: ChildProcess; stats: () => Promise<Record<string, number>>; stop: () => Promise<void> }> {
  const child = fork('bench/slack-fake-server.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`slack fake exited with ${code}`)));
  });
  return {
    url,
    child,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { stats: Record<string, number> }).stats));
        child.send('stats');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** Starts bench/bare-bolt-app.mjs as its own process group and waits for /healthz. */
async function startBare(env: Record<string, string>, timeoutMs = 30_000): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, opts.run === 'tsx' ? ['--import', 'tsx', 'bench/bare-bolt-app.mjs'] : ['bench/bare-bolt-app.mjs'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bare app exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`bare app not healthy within ${timeoutMs} ms:\n${out}`);
    }
    await sleep(200);
  }
  return {
    baseUrl,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      try {
        process.kill(child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

// ---------------------------------------------------------------------------------------------- load

interface Target {
  name: string;
  kind: 'preflight' | 'floor';
  dir: string;
  env?: Record<string, string>;
  withCompanion?: boolean;
  proc?: BotProcess;
  companion?: BotProcess;
  dbUrl?: string;
  prefix?: string;
  dbCreated?: boolean;
}
interface Sample {
  target: string;
  phase: string;
  offset: number;
  sendLag: number;
  latency: number | null;
  fromSend: number | null;
  status: number | null;
  raised: boolean;
  error: string | null;
}
/** A request: `at` ms after the phase starts. */
interface Planned {
  at: number;
  target: Target;
}

/** Fires `plan` (sorted by `at`) open-loop; resolves when every reply is in (or failed). */
async function fire(plan: Planned[], phase: string, dispatcher: unknown, samples: Sample[]): Promise<void> {
  const inflight: Promise<void>[] = [];
  // bodies are built before the clock starts (slashCommandBody reads its fixture file each time)
  const bodies = plan.map((_, i) =>
    slashCommandBody({ command: '/blocker', text: `Bench ${phase} #${i + 1}: the payments sandbox returns 502 P1`, userId: REPORTERS[i % REPORTERS.length]!, channelId: 'C0WS1' }),
  );
  let seq = 0;
  const base = now() + 100;
  const one = (p: Planned) => {
    const sent = now();
    const at = base + p.at;
    const body = bodies[seq++]!;
    const ts = Math.floor(Date.now() / 1000);
    const s: Sample = { target: p.target.name, phase, offset: p.at, sendLag: sent - at, latency: null, fromSend: null, status: null, raised: false, error: null };
    samples.push(s);
    inflight.push(
      fetch(`${p.target.proc!.baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SECRET, ts, body) },
        body,
        dispatcher,
      } as RequestInit)
        .then(async (res) => {
          const text = await res.text();
          const t = now();
          s.latency = t - at;
          s.fromSend = t - sent;
          s.status = res.status;
          s.raised = text.includes('Raised');
          if (res.status !== 200) s.error = `HTTP ${res.status}: ${text.slice(0, 120)}`;
          else if (p.target.kind === 'preflight' && !s.raised) s.error = `no "Raised" in ${text.slice(0, 160)}`;
        })
        .catch((err: Error) => {
          s.error = `${err.name}: ${err.message}`;
        }),
    );
  };
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const t = now();
      while (i < plan.length && base + plan[i]!.at <= t) one(plan[i++]!);
      if (i >= plan.length) return resolve();
      setTimeout(tick, Math.max(0, base + plan[i]!.at - now() - 0.5));
    };
    tick();
  });
  await Promise.all(inflight);
}

/** The schedule for one rate (ms from its start): each target gets `durationS` seconds of `rate` requests/s. */
function planFor(rate: number, targets: Target[], durationS = opts.durationS): Planned[] {
  const gap = 1000 / rate;
  const plan: Planned[] = [];
  if (opts.mode === 'both') {
    const n = Math.round(rate * durationS);
    for (let k = 0; k < n; k++) for (let j = 0; j < targets.length; j++) plan.push({ at: k * gap, target: targets[(k + j) % targets.length]! });
  } else {
    const slices = Math.max(1, Math.round((durationS * 1000) / opts.sliceMs));
    const perSlice = Math.max(1, Math.round((rate * opts.sliceMs) / 1000));
    for (let sIdx = 0; sIdx < targets.length * slices; sIdx++) {
      const target = targets[sIdx % targets.length]!;
      for (let k = 0; k < perSlice; k++) plan.push({ at: sIdx * opts.sliceMs + k * gap, target });
    }
  }
  return plan.sort((a, b) => a.at - b.at);
}

// ---------------------------------------------------------------------------------------------- run

async function main(): Promise<number> {
  const started = Date.now();
  const home = process.cwd();
  const targets: Target[] = [
    { name: 'preflight', kind: 'preflight', dir: home },
    ...opts.variants.map((v) => ({ name: v.name, kind: 'preflight' as const, dir: v.dir, env: v.env, withCompanion: v.companion })),
    { name: 'floor', kind: 'floor', dir: home },
  ];
  progress(
    `rates=${opts.rates.join(',')}/s × ${opts.durationS} s per target, mode=${opts.mode}${opts.mode === 'alternate' ? ` (slices of ${opts.sliceMs} ms)` : ''}; ` +
      `targets ${targets.map((t) => `${t.name}${t.dir !== home ? ` (${t.dir})` : ''}`).join(', ')}; run ${runTag}`,
  );
  let fake: Awaited<ReturnType<typeof startFake>> | undefined;
  let redis: Redis | undefined;
  const notes: string[] = [];
  try {
    fake = await startFake();
    const heapEnv: Record<string, string> = opts.heapSnapshotDir ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${opts.heapSnapshotDir}` } : {};
    if (opts.heapSnapshotDir) mkdirSync(opts.heapSnapshotDir, { recursive: true });
    const env = { SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, ...heapEnv };
    if (opts.run === 'prod' && !opts.skipBuild) {
      for (const dir of new Set(targets.filter((x) => x.kind === 'preflight').map((x) => x.dir))) {
        progress(`npm run build in ${dir}`);
        await new Promise<void>((resolve, reject) => {
          const b = spawn('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
          b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build in ${dir} exited with ${code}`))));
        });
      }
    }
    for (const t of targets.filter((x) => x.kind === 'preflight')) {
      t.dbUrl = dbUrlFor(t.name);
      t.prefix = prefixFor(t.name);
      await ensureDatabase(t.dbUrl);
      t.dbCreated = true;
      await runMigrations(t.dbUrl);
    }
    await Promise.all(
      targets.map(async (t) => {
        if (t.kind === 'floor') {
          t.proc = await startBare(env);
          return;
        }
        const launch = async (extra: Record<string, string>) => {
          const port = await freePort();
          // startBot runs `npm start` in process.cwd(), read synchronously when it spawns (PORT given: no await before)
          process.chdir(t.dir);
          try {
            return startBot(
              { ...env, PORT: String(port), DATABASE_URL: t.dbUrl!, REDIS_URL: redisUrl, QUEUE_PREFIX: t.prefix!, LOG_LEVEL: opts.logLevel, ...opts.preflightEnv, ...extra },
              CONFIG,
              60_000,
              opts.run === 'prod' ? { command: ['npm', 'run', 'start:prod', '--silent'] } : {},
            );
          } finally {
            process.chdir(home);
          }
        };
        const [main, companion] = await Promise.all([launch(t.env ?? {}), t.withCompanion ? launch({}) : Promise.resolve(undefined)]);
        t.proc = main;
        t.companion = companion;
      }),
    );
    progress(
      `up: ${targets.map((t) => `${t.name} ${t.proc!.baseUrl} pid ${t.proc!.child.pid}${t.companion ? ` (+ companion pid ${t.companion.child.pid})` : ''}`).join('; ')}; slack fake pid ${fake.child.pid}`,
    );
    // RSS of each target's node process, sampled every 250 ms into the current bucket (a phase, or idle)
    const nodePids = Object.fromEntries(targets.map((t) => [t.name, nodePidUnder(t.proc!.child.pid!)]));
    const rss: Record<string, Record<string, number[]>> = {};
    let rssBucket = 'boot';
    const rssTimer = setInterval(() => {
      for (const t of targets) {
        const mb = rssMb(nodePids[t.name]!);
        if (mb === null) continue;
        const bucket = rss[rssBucket] ?? {};
        rss[rssBucket] = bucket;
        bucket[t.name] = [...(bucket[t.name] ?? []), mb];
      }
    }, 250);
    rssTimer.unref();
    await sleep(2_000);
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const channelQueues = new Map(targets.filter((t) => t.kind === 'preflight').map((t) => [t.name, new Queue('channel', { connection: redis!, prefix: t.prefix! })]));

    // the undici Agent bundled with Node's fetch, with keep-alive and an explicit connection cap per origin
    await fetch(`${targets.at(-1)!.proc!.baseUrl}/healthz`);
    const Agent = (globalThis as unknown as Record<symbol, { constructor: new (o: object) => unknown }>)[Symbol.for('undici.globalDispatcher.1')]!.constructor;
    // (timeouts on the Agent rather than an AbortSignal per request: cheaper for the sender)
    const dispatcher = new Agent({ connections: opts.connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
    const samples: Sample[] = [];

    if (opts.warmupS > 0) {
      progress(`warm-up: ${opts.warmupS} s at ${opts.warmupRate}/s to each target (not measured)`);
      const plan: Planned[] = [];
      for (let k = 0; k < opts.warmupRate * opts.warmupS; k++) for (const target of targets) plan.push({ at: (k * 1000) / opts.warmupRate, target });
      await fire(plan, 'warmup', dispatcher, samples);
      await sleep(opts.pauseMs);
    }

    // Postgres backends per target database (the pool grows with concurrency: new backends on a step up in rate)
    const adminPool = new pg.Pool({ connectionString: dbBase, max: 1 });
    const pgConnections = async () => {
      const r = await adminPool.query<{ datname: string; n: string }>(`SELECT datname, count(*) AS n FROM pg_stat_activity WHERE datname LIKE $1 GROUP BY datname`, [
        `preflight_bench_ack_${runTag}_%`,
      ]);
      return Object.fromEntries(targets.filter((t) => t.dbUrl).map((t) => [t.name, Number(r.rows.find((x) => t.dbUrl!.endsWith(`/${x.datname}`))?.n ?? 0)]));
    };
    type PhaseRecord = {
      rate: number;
      wallS: number;
      /** CPU ms per process during the phase (sequential: each target's own phase) */
      cpuMs: Record<string, number>;
      /** sequential: each target's CPU ms from its phase's start until its queues were empty (the deferred work counted) */
      cpuMsWithDrain: Record<string, number | null>;
      machineBusyPct: number;
      renderBacklogAtEnd: Record<string, number>;
      /** render jobs waiting + delayed + active, sampled each second of the phase */
      renderBacklogPerS: Record<string, number[]>;
      /** ms from the end of the phase until that backlog was 0 (null: not within drain-s) */
      drainMs: Record<string, number | null>;
      /** jobs waiting, prioritized or running in every queue of each Preflight at the phase's end */
      pendingAtEnd: Record<string, number>;
      /** ms from the phase's end until no queue of that Preflight had a job waiting or running (null: not within drain-s) */
      pendingDrainMs: Record<string, number | null>;
      /** sequential: ms waited for an idle bot and a quiet machine before the ramp and before the phase */
      quietWaitMs: Record<string, number[]>;
      pgBackends: { beforeRamp: Record<string, number>; afterRamp: Record<string, number>; afterPhase: Record<string, number> };
    };
    const phases: PhaseRecord[] = [];
    // every queue of each Preflight: what it defers (renders, DMs, receipts) and has not done yet
    const SHORT_DELAYS = ['dm', 'channel'];
    const allQueues = new Map(targets.filter((t) => t.kind === 'preflight').map((t) => [t.name, QUEUE_NAMES.map((q) => new Queue(q, { connection: redis!, prefix: t.prefix! }))]));
    const pendingNow = async () => {
      const out: Record<string, number> = {};
      for (const [name, qs] of allQueues) {
        let n = 0;
        for (const q of qs) {
          const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
          // delayed dm and channel jobs are coalesced edits and renders due within seconds; delayed escalation and
          // scheduler jobs are the ladders' 1 h timers and the job schedulers' next iterations
          n += (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.active ?? 0) + (SHORT_DELAYS.includes(q.name) ? (c.delayed ?? 0) : 0);
        }
        out[name] = n;
      }
      return out;
    };
    /** Waits for no job waiting or running in any Preflight and a whole second below quiet-busy-pct; returns ms waited. */
    const waitQuiet = async (): Promise<number> => {
      const t0 = Date.now();
      for (;;) {
        const m0 = machineCpu();
        await sleep(1_000);
        const m1 = machineCpu();
        const busyPct = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100;
        const pending = Object.values(await pendingNow()).reduce((a, b) => a + b, 0);
        if (pending === 0 && busyPct < opts.quietBusyPct) return Date.now() - t0;
        if (Date.now() - t0 > opts.quietMaxS * 1_000) {
          progress(`not quiet after ${opts.quietMaxS} s (${pending} jobs pending, machine ${busyPct.toFixed(0)} % busy): measuring anyway`);
          return Date.now() - t0;
        }
      }
    };
    const backlogNow = async () => {
      const out: Record<string, number> = {};
      for (const [name, q] of channelQueues) {
        const c = await q.getJobCounts('waiting', 'delayed', 'active');
        out[name] = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0);
      }
      return out;
    };
    const cpuNow = (): Record<string, number> => ({
      ...Object.fromEntries(targets.map((t) => [t.name, treeCpuMs(t.proc!.child.pid!) + (t.companion ? treeCpuMs(t.companion.child.pid!) : 0)])),
      slackFake: treeCpuMs(fake!.child.pid!),
      postgres: namedCpuMs(['postgres']),
      redis: namedCpuMs(['redis-server']),
    });
    /** One measured phase at `rate` for `phaseTargets` (all of them, or one in sequential mode): ramp, phase, drain. */
    const measure = async (rate: number, phaseTargets: Target[]): Promise<PhaseRecord> => {
      const phase = `r${rate}`;
      const label = opts.mode === 'sequential' ? `${rate}/s, ${phaseTargets[0]!.name}` : `${rate}/s`;
      const quietWaitMs: number[] = [];
      if (opts.mode === 'sequential') quietWaitMs.push(await waitQuiet());
      const beforeRamp = await pgConnections();
      if (opts.rampS > 0) {
        const ramp = planFor(rate, phaseTargets, opts.rampS);
        progress(`ramp ${label}: ${ramp.length} requests (not measured)`);
        await fire(ramp, `ramp-${rate}`, dispatcher, samples);
      }
      if (opts.mode === 'sequential') quietWaitMs.push(await waitQuiet());
      const afterRamp = await pgConnections();
      const plan = planFor(rate, phaseTargets);
      progress(`phase ${label}: ${plan.length} requests over ${secs(plan.at(-1)!.at - plan[0]!.at)} s (${opts.mode})`);
      const c0 = cpuNow();
      const me0 = process.cpuUsage();
      const m0 = machineCpu();
      const t0 = Date.now();
      const perS: Record<string, number[]> = Object.fromEntries([...channelQueues.keys()].map((k) => [k, []]));
      const backlogTimer = setInterval(() => {
        void backlogNow().then((b) => {
          for (const [k, v] of Object.entries(b)) perS[k]!.push(v);
        });
      }, 1_000);
      rssBucket = phase;
      await fire(plan, phase, dispatcher, samples);
      clearInterval(backlogTimer);
      rssBucket = `after-${phase}`;
      const c1 = cpuNow();
      const me = process.cpuUsage(me0);
      const m1 = machineCpu();
      const backlog = await backlogNow();
      const pendingAtEnd = await pendingNow();
      const drainMs: Record<string, number | null> = Object.fromEntries(Object.keys(backlog).map((k) => [k, null]));
      const pendingDrainMs: Record<string, number | null> = Object.fromEntries(Object.keys(pendingAtEnd).map((k) => [k, null]));
      const cpuAtDrain: Record<string, number> = {};
      const tEnd = Date.now();
      // empty twice in a row (100 ms apart): a job running at one read may queue another before the next; the time
      // and CPU are those of the first of the two reads
      const firstEmpty: Record<string, { ms: number; cpu: number } | null> = Object.fromEntries(Object.keys(pendingAtEnd).map((k) => [k, null]));
      for (;;) {
        const p = await pendingNow();
        const b = await backlogNow();
        const at = { ms: Date.now() - tEnd, cpu: cpuNow() };
        for (const [k, v] of Object.entries(b)) if (v === 0 && drainMs[k] === null) drainMs[k] = at.ms;
        for (const [k, v] of Object.entries(p)) {
          if (pendingDrainMs[k] !== null) continue;
          const empty = v === 0 && b[k] === 0;
          if (!empty) firstEmpty[k] = null;
          else if (firstEmpty[k] === null) firstEmpty[k] = { ms: at.ms, cpu: at.cpu[k]! };
          else {
            pendingDrainMs[k] = firstEmpty[k]!.ms;
            cpuAtDrain[k] = firstEmpty[k]!.cpu;
          }
        }
        if ([...Object.values(drainMs), ...Object.values(pendingDrainMs)].every((v) => v !== null) || Date.now() - tEnd > opts.drainS * 1_000) break;
        await sleep(100);
      }
      const record: PhaseRecord = {
        rate,
        wallS: secs(Date.now() - t0),
        cpuMs: { ...Object.fromEntries(Object.entries(c1).map(([k, v]) => [k, v - c0[k]!])), sender: Math.round((me.user + me.system) / 1000) },
        // a target with no queues (the floor) defers nothing; a Preflight whose queues did not empty has no figure
        cpuMsWithDrain: Object.fromEntries(
          targets.map((t) => [t.name, !allQueues.has(t.name) ? c1[t.name]! - c0[t.name]! : cpuAtDrain[t.name] === undefined ? null : cpuAtDrain[t.name]! - c0[t.name]!]),
        ),
        machineBusyPct: Math.round(((m1.busy - m0.busy) / (m1.total - m0.total)) * 1000) / 10,
        renderBacklogAtEnd: backlog,
        renderBacklogPerS: perS,
        drainMs,
        pendingAtEnd,
        pendingDrainMs,
        quietWaitMs: Object.fromEntries(phaseTargets.map((t) => [t.name, quietWaitMs])),
        pgBackends: { beforeRamp, afterRamp, afterPhase: await pgConnections() },
      };
      progress(
        `phase ${label} done: ${samples.filter((s) => s.phase === phase && phaseTargets.some((t) => t.name === s.target) && s.error).length} errors; ` +
          `render backlog at end ${JSON.stringify(backlog)}, drained in ${JSON.stringify(drainMs)} ms; all queues ${JSON.stringify(pendingAtEnd)} jobs pending, empty in ${JSON.stringify(pendingDrainMs)} ms`,
      );
      return record;
    };
    for (const rate of opts.rates) {
      if (opts.mode !== 'sequential') {
        phases.push(await measure(rate, targets));
        await sleep(opts.pauseMs);
        continue;
      }
      // one target at a time, each from idle; each target's figures come from its own phase
      const parts: PhaseRecord[] = [];
      for (const t of targets) parts.push(await measure(rate, [t]));
      const pick = <V>(from: (t: Target, r: PhaseRecord) => V): Record<string, V> => Object.fromEntries(targets.map((t, i) => [t.name, from(t, parts[i]!)]));
      // a Preflight's figure from its own phase (the other phases hold that Preflight idle)
      const own = <V>(keys: Iterable<string>, get: (r: PhaseRecord, k: string) => V): Record<string, V> =>
        Object.fromEntries([...keys].map((k) => [k, get(parts[targets.findIndex((t) => t.name === k)]!, k)]));
      phases.push({
        rate,
        wallS: parts.reduce((a, r) => a + r.wallS, 0),
        // each target's own phase; the fake, Postgres, Redis and the sender summed over every target's phase
        cpuMs: {
          ...Object.fromEntries(['slackFake', 'postgres', 'redis', 'sender'].map((k) => [k, parts.reduce((a, r) => a + (r.cpuMs[k] ?? 0), 0)])),
          ...pick((t, r) => r.cpuMs[t.name]!),
        },
        cpuMsWithDrain: pick((t, r) => r.cpuMsWithDrain[t.name] ?? null),
        machineBusyPct: Math.round((parts.reduce((a, r) => a + r.machineBusyPct, 0) / parts.length) * 10) / 10,
        renderBacklogAtEnd: own(channelQueues.keys(), (r, k) => r.renderBacklogAtEnd[k]!),
        renderBacklogPerS: own(channelQueues.keys(), (r, k) => r.renderBacklogPerS[k]!),
        drainMs: own(channelQueues.keys(), (r, k) => r.drainMs[k]!),
        pendingAtEnd: own(allQueues.keys(), (r, k) => r.pendingAtEnd[k]!),
        pendingDrainMs: own(allQueues.keys(), (r, k) => r.pendingDrainMs[k]!),
        quietWaitMs: pick((t, r) => r.quietWaitMs[t.name]!),
        pgBackends: {
          beforeRamp: own(allQueues.keys(), (r, k) => r.pgBackends.beforeRamp[k]!),
          afterRamp: own(allQueues.keys(), (r, k) => r.pgBackends.afterRamp[k]!),
          afterPhase: own(allQueues.keys(), (r, k) => r.pgBackends.afterPhase[k]!),
        },
      });
    }
    // idle memory: once the work is done and the process has been quiet for idle-s
    rssBucket = 'settle';
    await sleep(opts.idleS * 1_000);
    rssBucket = 'idle';
    await sleep(5_000);
    rssBucket = 'end';
    clearInterval(rssTimer);
    if (opts.heapSnapshotDir) {
      for (const t of targets) process.kill(nodePids[t.name]!, 'SIGUSR2');
      progress(`heap snapshots asked for (SIGUSR2) into ${opts.heapSnapshotDir}; waiting 20 s`);
      await sleep(20_000);
    }
    const rssPeak = (bucket: string, name: string) => Math.max(...(rss[bucket]?.[name] ?? [Number.NaN]));
    const memory = Object.fromEntries(
      targets.map((t) => [
        t.name,
        {
          pid: nodePids[t.name],
          bootIdleMb: median(rss.boot?.[t.name] ?? []),
          ...Object.fromEntries(opts.rates.map((r) => [`peakMb_r${r}`, rssPeak(`r${r}`, t.name)])),
          peakMb: Math.max(
            ...Object.keys(rss)
              .map((b) => rssPeak(b, t.name))
              .filter(Number.isFinite),
          ),
          idleAfterLoadMb: median(rss.idle?.[t.name] ?? []),
        },
      ]),
    );
    for (const q of [...channelQueues.values(), ...[...allQueues.values()].flat()]) await q.close();
    await adminPool.end();
    // the unmeasured ramps: their worst replies show the cost of a step up in rate
    const rampStats = Object.fromEntries(
      opts.rates.map((rate) => [
        rate,
        Object.fromEntries(targets.map((t) => [t.name, dist(samples.filter((s) => s.phase === `ramp-${rate}` && s.target === t.name && s.latency !== null).map((s) => s.latency!))])),
      ]),
    );

    // ------------------------------------------------------------------ figures
    const stored: Record<string, { rows: number; raisedReplies: number; ok: boolean }> = {};
    for (const t of targets.filter((x) => x.kind === 'preflight')) {
      const c = new pg.Client({ connectionString: t.dbUrl! });
      await c.connect();
      const rows = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM blockers')).rows[0]!.n);
      await c.end();
      const raisedReplies = samples.filter((s) => s.target === t.name && s.raised && s.status === 200).length;
      stored[t.name] = { rows, raisedReplies, ok: rows === raisedReplies };
    }
    const floor = targets.find((t) => t.kind === 'floor')!;
    const byRate = opts.rates.map((rate) => {
      const phase = `r${rate}`;
      const ph = phases.find((x) => x.rate === rate)!;
      const stat = (t: Target) => {
        const xs = samples.filter((s) => s.phase === phase && s.target === t.name);
        const ok = xs.filter((s) => !s.error && s.latency !== null);
        const slowest = [...ok].sort((a, b) => b.latency! - a.latency!).slice(0, 12);
        return {
          requests: xs.length,
          errors: xs.filter((s) => s.error).length,
          errorSample: [...new Set(xs.filter((s) => s.error).map((s) => s.error!))].slice(0, 3),
          over3s: xs.filter((s) => s.latency !== null && s.latency > 3_000).length,
          latencyMs: dist(ok.map((s) => s.latency!)),
          fromSendMs: dist(ok.map((s) => s.fromSend!)),
          clientSendLagMs: dist(xs.map((s) => s.sendLag)),
          /** the slowest replies: seconds into the phase → ms */
          slowest: slowest.map((s) => `${secs(s.offset)}s:${Math.round(s.latency!)}`),
          cpuMsPerRequest: Math.round((ph.cpuMs[t.name]! / Math.max(1, xs.length)) * 100) / 100,
          /** the phase's CPU plus the drain of what it deferred, per request (sequential mode; otherwise other targets' phases overlap it) */
          cpuMsPerRequestWithDrain: opts.mode !== 'sequential' || ph.cpuMsWithDrain[t.name] == null ? null : Math.round((ph.cpuMsWithDrain[t.name]! / Math.max(1, xs.length)) * 100) / 100,
          /** p50 / p99 per third of the phase: rising thirds mean the acks fall behind (a backlog in the process) */
          p50p99ByThird: [0, 1, 2].map((k) => {
            const end = Math.max(...xs.map((x) => x.offset), 1);
            const part = dist(ok.filter((x) => x.offset >= (k * end) / 3 && (k === 2 ? x.offset <= end : x.offset < ((k + 1) * end) / 3)).map((x) => x.latency!));
            return `${part.p50}/${part.p99}`;
          }),
        };
      };
      const per = Object.fromEntries(targets.map((t) => [t.name, stat(t)]));
      const f = per[floor.name]!;
      const ratios = Object.fromEntries(
        targets
          .filter((t) => t.kind === 'preflight')
          .map((t) => {
            const p = per[t.name]!;
            return [
              t.name,
              {
                p50: p.latencyMs.p50 && f.latencyMs.p50 ? Math.round((p.latencyMs.p50 / f.latencyMs.p50) * 100) / 100 : null,
                p99: p.latencyMs.p99 && f.latencyMs.p99 ? Math.round((p.latencyMs.p99 / f.latencyMs.p99) * 100) / 100 : null,
              },
            ];
          }),
      );
      return { rate, targets: per, ratioToFloor: ratios, phase: ph };
    });
    const errors = samples.filter((s) => s.error).length;
    const within = byRate.every((r) => r.ratioToFloor.preflight!.p99 !== null && r.ratioToFloor.preflight!.p99 <= ratioMaxFor(r.rate));
    const memoryOk = memory.preflight!.peakMb <= opts.rssPeakMb && (memory.preflight!.idleAfterLoadMb ?? Infinity) <= opts.rssIdleMb;
    const drained = phases.every((ph) => ph.drainMs.preflight !== null);
    // issue 25: with the bot idle before each phase, what it deferred is done within drain-max-s of the phase's end
    const drainedInTime = opts.mode !== 'sequential' || phases.every((ph) => ph.pendingDrainMs.preflight !== null && ph.pendingDrainMs.preflight! <= opts.drainMaxS * 1_000);
    const allStored = Object.values(stored).every((s) => s.ok);
    // the render backlog may wait in Redis (issue 12: "or waits in queues without slowing acks"): reported, not a check
    const ok = errors === 0 && allStored && within && memoryOk && drainedInTime;
    const summary = {
      benchmark: 'blocker-ack-latency',
      date: new Date(started).toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      params: opts,
      client: {
        sender: 'open loop in this process (setTimeout schedule with sub-ms catch-up), fetch through the undici Agent bundled with Node (keep-alive, pipelining 1)',
        connectionsPerOrigin: opts.connections,
        timeoutMs: opts.timeoutMs,
        note: 'the sender (and its HMAC signing) shares the 2 cores with every target, the Slack fake, Postgres and Redis; send lag is the sender being late on its own schedule',
      },
      byRate,
      errors,
      errorsInWarmup: samples.filter((s) => s.phase === 'warmup' && s.error).length,
      rampLatencyMs: rampStats,
      stored,
      slackFakeCalls: await fake.stats(),
      memoryMb: memory,
      rssSamplesPerBucket: Object.fromEntries(Object.entries(rss).map(([b, per]) => [b, Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v.length]))])),
      renderBacklogDrained: drained,
      drainedWithinMaxS: drainedInTime,
      result: ok ? 'ok' : errors ? 'errors' : !allStored ? 'rows-mismatch' : !within ? 'ratio-over-target' : !memoryOk ? 'memory-over-target' : 'drain-over-target',
      totalRunS: secs(Date.now() - started),
      exitCode: ok ? 0 : 1,
    };
    console.log(JSON.stringify(summary, null, 2));
    const w = Math.max(...targets.map((t) => t.name.length), 6);
    const lines = [
      '',
      `mode ${opts.mode}${opts.mode === 'alternate' ? ` (${opts.sliceMs} ms slices)` : ''}, ${opts.durationS} s per target per rate; latency = reply − scheduled send (ms)`,
      `rate  ${'target'.padEnd(w)}     n     p50     p90     p99     max  errors  >3s  from-send p99  send-lag p99  cpu ms/req${opts.mode === 'sequential' ? '  +drain' : ''}`,
    ];
    for (const r of byRate) {
      for (const t of targets) {
        const s = r.targets[t.name]!;
        lines.push(
          `${String(r.rate).padStart(4)}  ${t.name.padEnd(w)} ${String(s.requests).padStart(5)} ${String(s.latencyMs.p50).padStart(7)} ${String(s.latencyMs.p90).padStart(7)} ${String(s.latencyMs.p99).padStart(7)} ${String(s.latencyMs.max).padStart(7)} ${String(s.errors).padStart(7)} ${String(s.over3s).padStart(4)} ${String(s.fromSendMs.p99).padStart(14)} ${String(s.clientSendLagMs.p99).padStart(13)} ${String(s.cpuMsPerRequest).padStart(11)}${opts.mode === 'sequential' ? String(s.cpuMsPerRequestWithDrain).padStart(9) : ''}`,
        );
      }
      if (opts.rampS > 0)
        lines.push(
          `      unmeasured ${opts.rampS} s step-up ramp at this rate, p99/max: ${targets.map((t) => `${t.name} ${rampStats[r.rate]![t.name]!.p99}/${rampStats[r.rate]![t.name]!.max}`).join(', ')}`,
        );
      lines.push(
        `      Postgres backends per target (before ramp → after ramp → after phase): ${Object.keys(r.phase.pgBackends.afterPhase)
          .map((k) => `${k} ${r.phase.pgBackends.beforeRamp[k]}→${r.phase.pgBackends.afterRamp[k]}→${r.phase.pgBackends.afterPhase[k]}`)
          .join(', ')}`,
      );
      for (const [name, ratio] of Object.entries(r.ratioToFloor))
        lines.push(`      ${name}/floor: p50 ${ratio.p50}×, p99 ${ratio.p99}× (target ≤ ${ratioMaxFor(r.rate)}×) ${ratio.p99 !== null && ratio.p99 <= ratioMaxFor(r.rate) ? '✓' : '✗'}`);
      lines.push(`      ack p50/p99 by third of the phase: ${targets.map((t) => `${t.name} ${r.targets[t.name]!.p50p99ByThird.join(' → ')}`).join('; ')}`);
      lines.push(
        `      render backlog per s (max / at end): ${Object.entries(r.phase.renderBacklogPerS)
          .map(([k, v]) => `${k} ${Math.max(0, ...v)} / ${r.phase.renderBacklogAtEnd[k]}, drained ${r.phase.drainMs[k] === null ? `not within ${opts.drainS} s` : `in ${secs(r.phase.drainMs[k]!)} s`}`)
          .join('; ')}; machine busy ${r.phase.machineBusyPct} %`,
      );
      lines.push(
        `      every queue (jobs waiting or running at the phase's end, emptied): ${Object.entries(r.phase.pendingAtEnd)
          .map(([k, v]) => `${k} ${v}, ${r.phase.pendingDrainMs[k] === null ? `not within ${opts.drainS} s` : `in ${secs(r.phase.pendingDrainMs[k]!)} s`}`)
          .join('; ')}${opts.mode === 'sequential' ? ` (target ≤ ${opts.drainMaxS} s)` : ''}`,
      );
      if (opts.mode === 'sequential')
        lines.push(
          `      waited for an idle bot and a quiet machine (before ramp, before phase): ${Object.entries(r.phase.quietWaitMs)
            .map(([k, v]) => `${k} ${v.map((ms) => secs(ms)).join(' s, ')} s`)
            .join('; ')}`,
        );
    }
    lines.push(
      `RSS MB (boot idle / peak per rate / idle after load): ${targets
        .map((t) => {
          const m = memory[t.name]!;
          return `${t.name} ${m.bootIdleMb} / ${opts.rates.map((r) => (m as Record<string, unknown>)[`peakMb_r${r}`]).join(', ')} / ${m.idleAfterLoadMb}`;
        })
        .join('; ')} (targets for preflight: peak ≤ ${opts.rssPeakMb}, idle ≤ ${opts.rssIdleMb}) ${memoryOk ? '✓' : '✗'}`,
      `load average at end ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    lines.push(
      `errors ${errors}; stored ${Object.entries(stored)
        .map(([k, v]) => `${k}: ${v.rows} rows / ${v.raisedReplies} "Raised" ${v.ok ? '✓' : '✗'}`)
        .join(', ')}; total ${summary.totalRunS} s`,
    );
    console.log(lines.join('\n'));
    return summary.exitCode;
  } finally {
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        notes.push(`${what}: ${(err as Error).message}`);
      }
    };
    for (const t of targets) {
      for (const [label, p] of [
        [t.name, t.proc],
        [`${t.name} companion`, t.companion],
      ] as const) {
        if (!p) continue;
        await step(`stop ${label}`, async () => {
          const code = await p.stop();
          if (code !== 0) notes.push(`${label} exited with ${code}; last output:\n${p.output().slice(-2000)}`);
        });
      }
    }
    if (redis) {
      for (const t of targets.filter((x) => x.prefix)) {
        await step(`delete BullMQ keys of ${t.name}`, () => deleteKeysWithPrefix(redis!, t.prefix!));
      }
      await step('quit redis', () => redis!.quit());
    }
    if (fake) await step('stop fake', () => fake!.stop());
    for (const t of targets) if (t.dbCreated) await step(`drop database of ${t.name}`, () => dropDatabase(t.dbUrl!));
    progress(`cleanup done${notes.length ? `: ${notes.join('; ')}` : ''} (total ${secs(Date.now() - started)} s)`);
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
