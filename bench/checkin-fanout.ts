/**
 * Check-in fan-out benchmark (issue 9): several check-ins a day for a large program under Slack's workspace cap
 * on chat.postMessage. Every check-in's prompts must reach every member within 1.10× of its cap bound, none lost,
 * none doubled, and the reminders of one check-in must not push the next check-in's prompts past its bound.
 *
 *   npx tsx bench/checkin-fanout.ts [--members 2000] [--workstreams 20] [--checkins 6] [--cap 300]
 *                                   [--window-ms 4000] [--spacing-min 1] [--dm-concurrency 16]
 *
 * Time is compressed by shrinking Slack's cap window, not the clock: the fake allows `cap` chat.postMessage per
 * `window-ms` (300 per 4 s instead of Slack's ~1 per second per channel / per-minute workspace tiers), so one
 * check-in's bound is (members + report posts) / cap × window = 2,020 / 300 × 4 s ≈ 27 s, and the check-ins are
 * `spacing-min` minutes apart on the real clock (10:00, 10:01, … in UTC on a workday). Nobody answers, so every
 * member is reminded at `at` + 28 s (after that check-in's prompts are out) and each check-in closes at `at` + 59 s,
 * before the next opens. The reminders of check-in k (another 2,000 DMs) are sent while check-in k+1 is about to
 * open: the bench checks that they never push its prompts past its bound.
 *
 * Everything runs in this process with the production wiring (as bench/standup-fanout.ts): a fresh Postgres
 * database migrated with the real migrations, a unique BullMQ prefix on the local Redis, the HTTP fake of the
 * Slack Web API. Env: BENCH_DATABASE_URL, BENCH_REDIS_URL (as the standup bench).
 * Exit code: 0 when every check-in passes, 1 otherwise, 2 on error.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import type { Clock } from '../src/clock.js';
import { parseWorkspaceConfig } from '../src/config/load.js';
import { resolveProgram } from '../src/config/resolve.js';
import { createPreflight, type Preflight } from '../src/create-preflight.js';
import type { Database } from '../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import type { Queues } from '../src/jobs/queues.js';
import type { Workers } from '../src/jobs/workers.js';
import { createLogger } from '../src/logger.js';
import { SlackApiFake } from '../test/support/slack-api-fake.js';
import { deleteKeysWithPrefix } from '../test/support/redis.js';
import { benchEnv, parseArgs } from './lib.js';

const KNOWN = ['members', 'workstreams', 'checkins', 'cap', 'window-ms', 'spacing-min', 'dm-concurrency'];
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
  checkins: int('checkins', 6),
  cap: int('cap', 300),
  windowMs: int('window-ms', 4000, 1000),
  spacingMin: int('spacing-min', 1),
  dmConcurrency: int('dm-concurrency', 16),
};
const TARGET = 1.1;
/** One check-in's lower bound: its prompts plus its report posts (one per workstream), at `cap` per window. */
const boundMs = ((opts.members + opts.workstreams) / opts.cap) * opts.windowMs;
const runTag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/preflight_bench_${runTag}`;
  return u.toString();
})();
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pfb-checkins-${runTag}`;

const userId = (i: number) => `U${String(i + 1).padStart(7, '0')}`;
const wsChannel = (w: number) => `CWS${String(w + 1).padStart(5, '0')}`;
const DATE = '2026-03-09'; // a Monday, UTC
const FIRST = DateTime.fromISO(`${DATE}T10:00:00`, { zone: 'utc' });
const atOf = (k: number) => FIRST.plus({ minutes: k * opts.spacingMin }).toFormat('HH:mm');
const nameOf = (k: number) => `Check-in ${k + 1}`;

function buildYaml(): string {
  const spacingS = opts.spacingMin * 60;
  const lines = [
    'program: { name: Check-in bench, timezone: UTC, pm: UPM000001, channel: CPROGRAM01 }',
    'calendar: { workdays: [mon, tue, wed, thu, fri] }',
    // reminders after a check-in's prompts are out; every check-in closed before the next opens
    `checkins: { remind_after: ${Math.round(spacingS * 0.47)}s, close_after: ${spacingS - 1}s, questions: [{ id: status, prompt: "Status?" }] }`,
    'scheduler: { tick: 1s, reclaim_after: 2m }',
    'workstreams:',
  ];
  for (let w = 0; w < opts.workstreams; w++) {
    lines.push(`  ws${String(w + 1).padStart(3, '0')}:`, `    name: Workstream ${w + 1}`, `    channel: ${wsChannel(w)}`, '    members:');
    for (let i = w; i < opts.members; i += opts.workstreams) lines.push(`      - ${userId(i)}`);
    lines.push('    checkins:');
    for (let k = 0; k < opts.checkins; k++) lines.push(`      - { id: c${k + 1}, name: ${nameOf(k)}, at: "${atOf(k)}" }`);
  }
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => Math.round(ms / 100) / 10;
const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<number> {
  const started = Date.now();
  const load0 = loadavg();
  progress(`members=${opts.members} workstreams=${opts.workstreams} checkins=${opts.checkins} cap=${opts.cap}/${opts.windowMs}ms bound=${secs(boundMs)}s per check-in`);
  const config = resolveProgram(parseWorkspaceConfig(buildYaml(), 'bench.yml'));
  const memberIds = new Set(Array.from({ length: opts.members }, (_, i) => userId(i)));
  const log = createLogger('warn');
  let fake: SlackApiFake | undefined;
  let database: Database | undefined;
  let queues: Queues | undefined;
  let workers: Workers | undefined;
  let preflight: Preflight | undefined;
  let dbCreated = false;
  try {
    await ensureDatabase(dbUrl);
    dbCreated = true;
    await runMigrations(dbUrl);
    fake = await new SlackApiFake({ postMessageCap: opts.cap, capWindowMs: opts.windowMs }).start();
    // the clock starts 3 s before the first check-in, then runs in real time
    const clockStart = FIRST.minus({ seconds: 3 });
    const t0 = Date.now();
    const clock: Clock = { now: () => clockStart.plus({ milliseconds: Date.now() - t0 }) };
    const realAt = (dt: DateTime) => t0 + dt.diff(clockStart).toMillis();
    // wired as src/preflight.ts wires the worker side (createPreflight), without metrics
    preflight = createPreflight(benchEnv({ databaseUrl: dbUrl, redisUrl, prefix, slackApiUrl: fake.url }), config, { clock, log, metrics: false });
    database = preflight.database;
    queues = preflight.queues;
    workers = await preflight.startWorkers({ dmConcurrency: opts.dmConcurrency });

    // until the last check-in has closed, plus its report settling
    const endReal = realAt(FIRST.plus({ minutes: (opts.checkins - 1) * opts.spacingMin, seconds: opts.spacingMin * 60 + 5 }));
    while (Date.now() < endReal) {
      await sleep(5_000);
      const prompts = fake.ok('chat.postMessage', (a) => String(a.channel).startsWith('U')).length;
      progress(`${prompts} prompt DMs, ${fake.rateLimited} × 429, load ${loadavg()[0]!.toFixed(2)}`);
    }

    // figures per check-in: a prompt DM goes to the user ID ("Check-in k for …"), a reminder to the DM channel
    const calls = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
    const runsOpened = (
      await database.pool.query<{ checkin_id: string; first: Date; n: string }>('SELECT checkin_id, min(created_at) AS first, count(*) AS n FROM standup_runs GROUP BY checkin_id ORDER BY checkin_id')
    ).rows;
    const perCheckin = Array.from({ length: opts.checkins }, (_, k) => {
      const name = nameOf(k);
      const prompts = calls.filter((c) => memberIds.has(String(c.args.channel)) && String(c.args.text).startsWith(`${name} for `));
      const perMember = new Map<string, number>();
      for (const p of prompts) perMember.set(String(p.args.channel), (perMember.get(String(p.args.channel)) ?? 0) + 1);
      const reminders = calls.filter((c) => String(c.args.channel).startsWith('D') && String(c.args.text).startsWith('Reminder:') && String(c.args.text).toLowerCase().includes(name.toLowerCase()));
      const opensAt = realAt(FIRST.plus({ minutes: k * opts.spacingMin }));
      const lastPrompt = prompts.length ? Math.max(...prompts.map((p) => p.at)) : null;
      const timeMs = lastPrompt === null ? null : lastPrompt - opensAt;
      const prevReminders =
        k === 0
          ? []
          : calls.filter(
              (c) =>
                String(c.args.channel).startsWith('D') &&
                String(c.args.text)
                  .toLowerCase()
                  .includes(nameOf(k - 1).toLowerCase()),
            );
      return {
        checkin: name,
        at: atOf(k),
        runs: Number(runsOpened.find((r) => r.checkin_id === `c${k + 1}`)?.n ?? 0),
        prompted: perMember.size,
        /** members never prompted: their prompt was still queued when the check-in closed (a closed check-in sends none) */
        lost: opts.members - perMember.size,
        doubled: [...perMember.values()].filter((n) => n > 1).length,
        timeS: timeMs === null ? null : secs(timeMs),
        ratio: timeMs === null ? null : Math.round((timeMs / boundMs) * 1000) / 1000,
        reminders: reminders.length,
        /** the previous check-in's reminders sent after this check-in opened (they share the cap with its prompts) */
        previousRemindersDuringPromptsS: prevReminders.filter((c) => c.at >= opensAt).length,
        lastPreviousReminderS: prevReminders.length ? secs(Math.max(...prevReminders.map((c) => c.at)) - opensAt) : null,
      };
    });
    const pass = perCheckin.every((c) => c.lost === 0 && c.doubled === 0 && c.runs === opts.workstreams && c.ratio !== null && c.ratio <= TARGET);
    const summary = {
      benchmark: 'checkin-fanout',
      date: new Date(started).toISOString(),
      params: { ...opts, boundS: secs(boundMs), target: TARGET },
      loadavgBefore: load0.map((x) => Math.round(x * 100) / 100),
      loadavgAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      rateLimited429: fake.rateLimited,
      reportPosts: calls.filter((c) => String(c.args.channel).startsWith('CWS')).length,
      perCheckin,
      result: pass ? 'ok' : 'fail',
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return pass ? 0 : 1;
  } finally {
    // as bench/standup-fanout.ts: workers first (they re-assert the job schedulers), then the queues' schedulers and jobs
    const step = async (fn: () => Promise<unknown>) => fn().catch((err: Error) => progress(`cleanup: ${err.message}`));
    if (workers) await step(() => workers!.close());
    const allQueues = queues ? Object.values(queues).filter((v): v is Queue => v instanceof Queue) : [];
    for (const q of allQueues) {
      await step(async () => {
        for (const sch of await q.getJobSchedulers()) if (sch.key) await q.removeJobScheduler(sch.key);
      });
      await step(() => q.obliterate({ force: true }));
    }
    if (queues) await step(() => queues!.close());
    if (preflight) await step(() => deleteKeysWithPrefix(preflight!.redis.producer as Redis, prefix));
    if (preflight) await step(() => preflight!.close());
    if (fake) await step(() => fake!.stop());
    if (dbCreated) await step(() => dropDatabase(dbUrl));
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
