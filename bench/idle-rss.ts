/**
 * Idle RSS of the real bot started by each given command (after 12 s, 10 samples over 3 s, min–max), one at a
 * time, against an in-process Slack fake and a scratch database `preflight_perf_idle` (left in place), e.g.
 *   npx tsx bench/idle-rss.ts "node dist/main.js" "node --max-semi-space-size=2 dist/main.js"
 * Env: APP_DIR runs the commands in another checkout (built); HEAP_DIR also writes a heap snapshot of each
 * (SIGUSR2 with --heapsnapshot-signal) for bench/heap-snapshot-summary.ts. Run `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { SlackApiFake } from '../test/support/slack-api-fake.js';
import { startBot } from '../test/support/bot-process.js';
import { ensureDatabase, runMigrations } from '../src/db/migrate.js';
const fake = await new SlackApiFake().start();
const db = 'postgres://postgres@127.0.0.1:5432/preflight_perf_idle';
await ensureDatabase(db);
await runMigrations(db);
const CONFIG = `
program: { name: x, timezone: UTC, pm: U0PM0001, execs: [U0EXEC001], channel: C0LAUNCH }
escalation:
  ladders:
    P1: [{ after: 1h, notify: lead }]
workstreams:
  ws1: { name: W, channel: C0WS1, blockers_channel: C0BLK, leads: [U0LEAD001], members: [U0REP001], standup: { enabled: false } }
`;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const kids = (p: number): number[] => {
  try {
    return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
for (const variant of process.argv.slice(2)) {
  const cmd = variant.split(' ') as [string, ...string[]];
  const bot = await startBot(
    {
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: fake.url,
      DATABASE_URL: db,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'pf-idle-rss',
      ...(process.env.HEAP_DIR ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${process.env.HEAP_DIR}` } : {}),
    },
    CONFIG,
    60_000,
    { command: cmd, cwd: process.env.APP_DIR ?? process.cwd() },
  );
  let pid = bot.child.pid!;
  for (let k = kids(pid); k.length; k = kids(pid)) pid = k[0]!;
  await new Promise((r) => setTimeout(r, 12_000));
  const xs = [] as number[];
  for (let i = 0; i < 10; i++) {
    xs.push(rss(pid));
    await new Promise((r) => setTimeout(r, 300));
  }
  console.log(`${variant}: RSS ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} MB`);
  if (process.env.HEAP_DIR) {
    process.kill(pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 15_000));
  }
  await bot.stop();
}
await fake.stop();
process.exit(0);
