/**
 * `npm run sandbox [-- --example <name> | --config <file>] [--speed N] [--port 3100] [--host 127.0.0.1] [--no-trackers]`:
 * the real bot (src/main.ts, unchanged) against a local stand-in for Slack (slack-stand-in/), and a web page
 * to use it as a team would. Beside it a stand-in for Jira, Linear and GitHub (tracker-stand-in/): the config gets
 * a `tasks_from` source per tracker and the page a Tracker view (tracker-page.ts); `--no-trackers` leaves both out. The config's dates move onto today, and `--speed N` compresses its durations and
 * times of day (workspace/onto-today.ts, workspace/speed.ts). Postgres and Redis as for `npm start`
 * (DATABASE_URL, REDIS_URL, from the shell or .env); the sandbox uses its own database `preflight_sandbox` on that server and the Redis key prefix
 * `preflight-sandbox`, both emptied at every start, so it never touches a real install's data
 * (`SANDBOX_DATABASE_URL` and `SANDBOX_QUEUE_PREFIX` name others: the browser test runs its own;
 * `SANDBOX_ACK_TIMEOUT_MS` lengthens Slack's 3-second limit on Preflight's answers, for tests on a loaded box).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { ConfigError } from '../src/config/load.js';
import { dropDatabase } from '../src/db/migrate.js';
import { SandboxBridge } from './bridge.js';
import { startPageServer } from './page-server.js';
import type { FunctionParameter } from './slack-stand-in/functions.js';
import { SlackApiFake } from './slack-stand-in/web-api.js';
import { TrackerStandIn } from './tracker-stand-in/server.js';
import { directoryFor } from './workspace/people.js';
import { sandboxConfig } from './workspace/sandbox-config.js';
import { SANDBOX_TRACKER_SOURCES, trackerEnv, trackerPeople, trackerWorkstreams } from './workspace/trackers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'Usage: npm run sandbox -- [--example <name> | --config <file>] [--speed N] [--port 3100] [--host 127.0.0.1] [--no-trackers]';
const QUEUE_PREFIX = process.env.SANDBOX_QUEUE_PREFIX || 'preflight-sandbox';
const TEAM = { teamId: 'T0SANDBOX', appId: 'A0SANDBOX', botUserId: 'U0PREFLIGHT' };

/** The bot process, once spawned: `fail` stops it, so a sandbox that cannot start leaves no bot behind. */
let spawnedBot: ChildProcess | undefined;

function fail(message: string): never {
  console.error(message);
  if (spawnedBot?.exitCode === null) spawnedBot.kill('SIGTERM');
  process.exit(1);
}

const { values: opts } = (() => {
  try {
    return parseArgs({
      options: {
        example: { type: 'string' },
        config: { type: 'string' },
        speed: { type: 'string', default: '1' },
        port: { type: 'string', default: '3100' },
        host: { type: 'string', default: process.env.SANDBOX_HOST ?? '127.0.0.1' },
        verbose: { type: 'boolean', default: false },
        trackers: { type: 'boolean', default: true },
      },
      allowNegative: true,
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
const speed = Number(opts.speed);
if (!(speed >= 1)) fail(`--speed must be a number ≥ 1, e.g. --speed 60 (got "${opts.speed}")\n${USAGE}`);
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a TCP port (got "${opts.port}")\n${USAGE}`);
const configPath = opts.config ?? join(root, 'examples', `${opts.example ?? 'final-deployment-five-teams'}.preflight.yml`);
if (opts.example && !existsSync(configPath)) fail(`No example "${opts.example}": examples/ has ${listExamples().join(', ')}.\n${USAGE}`);

function listExamples(): string[] {
  return readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.preflight.yml'))
    .map((f) => f.slice(0, -'.preflight.yml'.length))
    .sort();
}

if (existsSync('.env')) process.loadEnvFile('.env');
const baseDb = process.env.SANDBOX_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/preflight';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const databaseUrl = (() => {
  if (process.env.SANDBOX_DATABASE_URL) return process.env.SANDBOX_DATABASE_URL;
  const u = new URL(baseDb);
  u.pathname = '/preflight_sandbox';
  return u.toString();
})();

const { yaml, config, moved } = (() => {
  try {
    return sandboxConfig(configPath, speed, Date.now(), { trackers: opts.trackers });
  } catch (err) {
    if (err instanceof ConfigError) fail(`Sandbox cannot start: ${err.message}`);
    throw err;
  }
})();
const dir = directoryFor(config);

// the page's port first: a second sandbox started by mistake must not empty the running one's database and keys
await portIsFree(port, opts.host).catch((err: NodeJS.ErrnoException) =>
  fail(err.code === 'EADDRINUSE' ? `Port ${port} is in use: pass another with --port.` : `Sandbox cannot serve the page: ${err.message}`),
);

// a fresh workspace every start: the sandbox's own database and queue keys, nothing else
try {
  await dropDatabase(databaseUrl);
} catch (err) {
  fail(`Sandbox cannot start: Postgres at ${new URL(baseDb).host} did not answer (${(err as Error).message}). Start it, or set DATABASE_URL.`);
}
try {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 500);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
} catch (err) {
  fail(`Sandbox cannot start: Redis at ${redisUrl} did not answer (${(err as Error).message}). Start it, or set REDIS_URL.`);
}

// the tracker stand-in (Jira, Linear, GitHub), its issues assigned to the sandbox's people (who get emails Slack's
// users.lookupByEmail finds); its webhooks go to Preflight once its port is known
const trackers = opts.trackers ? await new TrackerStandIn({ sources: SANDBOX_TRACKER_SOURCES, people: trackerPeople(dir) }).start(0, '127.0.0.1') : undefined;
const trackerSecrets = { jira: randomBytes(16).toString('hex'), linear: randomBytes(16).toString('hex'), github: randomBytes(16).toString('hex') };
const channels = Object.fromEntries(dir.channels.map((c) => [c.id, { name: c.name }]));
const standIn = await new SlackApiFake({ channels, teamId: TEAM.teamId, botUserId: TEAM.botUserId }).start(0, '127.0.0.1');
for (const [email, id] of Object.entries(dir.usersByEmail)) standIn.usersByEmail.set(email, id);
const signingSecret = randomBytes(16).toString('hex');
const configFile = join(mkdtempSync(join(tmpdir(), 'preflight-sandbox-')), 'preflight.yml');
writeFileSync(configFile, yaml);

/** Starts Preflight on `p` (the sandbox's own Slack stand-in, database and Redis prefix). */
function spawnBot(p: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      SLACK_BOT_TOKEN: 'xoxb-sandbox',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: standIn.url,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX,
      PORT: String(p),
      PREFLIGHT_CONFIG: configFile,
      ...(trackers ? trackerEnv(trackers.url, trackerSecrets) : {}),
      LOG_LEVEL: opts.verbose ? 'info' : 'warn',
      // libfaketime's variables (test/support/run-at.sh): the bot keeps the sandbox's clock
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'LD_PRELOAD' || k === 'DONT_FAKE_MONOTONIC' || k.startsWith('FAKETIME'))),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

let botOutput = '';
let stopping = false;
let bot!: ChildProcess;
let botPort = 0;
// The port is picked free and released before Preflight binds it: on a busy machine another socket can take it in
// between (EADDRINUSE). Then Preflight is started again on another port, up to three times.
for (let attempt = 1; ; attempt++) {
  botPort = await freePort();
  botOutput = '';
  bot = spawnBot(botPort);
  spawnedBot = bot;
  const keep = (d: Buffer) => {
    botOutput = (botOutput + d.toString()).slice(-20_000);
    if (opts.verbose) process.stderr.write(d);
  };
  bot.stdout!.on('data', keep);
  bot.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => bot.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const botUrl = `http://127.0.0.1:${botPort}`;
  let healthy = false;
  for (let i = 0; i <= 600 && exitCode === undefined; i++) {
    healthy = await fetch(`${botUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (healthy) break;
  if (exitCode !== undefined && botOutput.includes('EADDRINUSE') && attempt < 3) continue;
  if (exitCode !== undefined) {
    console.error(`Preflight stopped (exit code ${exitCode}). Its last output:\n${botOutput}`);
    process.exit(1);
  }
  fail(`Preflight did not become healthy within 60 s. Its output:\n${botOutput}`);
}
bot.on('exit', (code) => {
  if (stopping) return;
  console.error(`Preflight stopped (exit code ${code}). Its last output:\n${botOutput}`);
  process.exit(1);
});
const botUrl = `http://127.0.0.1:${botPort}`;
if (trackers) {
  trackers.webhooks = {
    jira: { url: `${botUrl}/webhooks/jira`, secret: trackerSecrets.jira },
    linear: { url: `${botUrl}/webhooks/linear`, secret: trackerSecrets.linear },
    github: { url: `${botUrl}/webhooks/github`, secret: trackerSecrets.github },
  };
}

type ManifestParams = Record<string, Omit<FunctionParameter, 'name'>>;
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
  features?: { slash_commands?: { command: string }[] };
  functions?: Record<string, { title: string; input_parameters?: ManifestParams; output_parameters?: ManifestParams }>;
};
const commands = (manifest.features?.slash_commands ?? []).map((c) => c.command);
const params = (ps: ManifestParams = {}): FunctionParameter[] => Object.entries(ps).map(([name, p]) => ({ name, ...p }));
// the Workflow Builder steps the app declares (issue 24), for the page's "Run a workflow step"
const steps = Object.entries(manifest.functions ?? {}).map(([callbackId, f]) => ({ callbackId, title: f.title, inputs: params(f.input_parameters), outputs: params(f.output_parameters) }));
const bridge = new SandboxBridge(standIn, dir, { url: botUrl, signingSecret }, TEAM, commands, Number(process.env.SANDBOX_ACK_TIMEOUT_MS) || 3_000, steps);
const tracker = trackers ? { standIn: trackers, workstreams: trackerWorkstreams(parse(yaml) as Record<string, any>) } : undefined;
const page = await startPageServer({ standIn, bridge, dir, port, host: opts.host, tracker }).catch((err: NodeJS.ErrnoException) =>
  fail(err.code === 'EADDRINUSE' ? `Port ${port} is in use: pass another with --port.` : `Sandbox cannot serve the page: ${err.message}`),
);
console.log(`Sandbox: ${page.url}`);
console.log(`  ${config.program.name}: ${dir.people.length} people, ${dir.channels.length} channels${speed === 1 ? '' : `, time × ${speed}`}. Ctrl-C stops it.`);
if (tracker) {
  console.log(`  Trackers: ${SANDBOX_TRACKER_SOURCES.map((s) => `${s.kind} ${s.key} → ${tracker.workstreams[s.kind]}`).join(', ')} (the page's Tracker view; stand-in at ${tracker.standIn.url}).`);
}
for (const line of scheduleLines()) console.log(`  ${line}`);

/** What the sandbox did to the config's dates and times (onto-today.ts), in the program's zone. */
function scheduleLines(): string[] {
  const day = (iso: string) => DateTime.fromISO(iso).toFormat('ccc d LLL yyyy');
  const lines: string[] = [];
  if (moved.dates && moved.dates.firstDay !== moved.dates.today) {
    lines.push(`Dates moved: the plan's first day, ${day(moved.dates.firstDay)}, is ${day(moved.dates.today)}; the others keep their distance from it.`);
  }
  if (moved.start) {
    const when = moved.start.repeatedHour ? 'when the hour that happens twice today ends (a time in it names its first pass, an hour ago)' : 'within a minute of start';
    lines.push(
      `Times of day: the plan's ${moved.start.standsFor} (its earliest check-in) is ${moved.start.at} (${config.program.timezone}), ${when}; the others keep their distance from it ÷ ${speed}.`,
    );
  }
  return lines;
}

async function shutdown() {
  if (stopping) return;
  stopping = true;
  page.server.closeAllConnections();
  page.server.close();
  bot.kill('SIGTERM');
  await new Promise((r) => bot.once('exit', r));
  await standIn.stop();
  await trackers?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

/** Resolves when `host:port` can be listened on now (and releases it at once); rejects with the listen error (`EADDRINUSE`…). */
async function portIsFree(p: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(p, host, () => srv.close(() => resolve()));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as { port: number };
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
}
