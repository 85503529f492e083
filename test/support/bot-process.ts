import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { slackSignature } from '../../sandbox/slack-stand-in/signing.js';
import { fakeClockEnv } from './clock-env.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The real bot process (`npm start`), its captured output and a way to stop it. */
export interface BotProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM (or `signal`) to `npm start`, which forwards it to the bot (`exec` in the script); resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** What to run instead of `npm start --silent` (e.g. `['node', 'dist/main.js']`), and where. */
export interface SpawnOptions {
  command?: [string, ...string[]];
  cwd?: string;
}

/**
 * Starts `npm start` in its own process group with `env` and a preflight.yml written from `configYaml`,
 * then waits until GET /healthz answers 200. The bot shares the test's clock (libfaketime's variables pass through).
 * @param opts.command the command and its arguments instead of `npm start --silent` (e.g. the compiled build:
 *   `['node', 'dist/main.js']`), run in `opts.cwd` (default the working directory).
 */
export async function startBot(env: Record<string, string>, configYaml: string, timeoutMs = 45_000, opts: SpawnOptions = {}): Promise<BotProcess> {
  const bot = await spawnBot(env, configYaml, opts);
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (bot.child.exitCode !== null) throw new Error(`bot exited with ${bot.child.exitCode} before it was healthy:\n${bot.output()}`);
    try {
      const res = await fetch(`${bot.baseUrl}/healthz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) {
      process.kill(-bot.child.pid!, 'SIGKILL');
      throw new Error(`bot not healthy within ${timeoutMs} ms:\n${bot.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return bot;
}

/**
 * Starts `npm start` like {@link startBot} without waiting for anything (for tests of a bot that is not healthy).
 * Stop it with `stop()`.
 */
export async function spawnBot(env: Record<string, string>, configYaml: string, opts: SpawnOptions = {}): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-e2e-'));
  const configPath = join(dir, 'preflight.yml');
  writeFileSync(configPath, configYaml);
  const port = Number(env.PORT ?? (await freePort()));
  const [command, ...commandArgs] = opts.command ?? ['npm', 'start', '--silent'];
  const child = spawn(command, commandArgs, {
    cwd: opts.cwd ?? process.cwd(),
    // set (even empty) so a developer's own .env, which npm start reads for unset variables, cannot leak in
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...fakeClockEnv(),
      PREFLIGHT_CONFIG: configPath,
      PORT: String(port),
      LOG_LEVEL: 'info',
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: '',
      QUEUE_PREFIX: 'preflight-e2e',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      try {
        process.kill(signal === 'SIGKILL' ? -child.pid! : child.pid!, signal);
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export { slackSignature } from '../../sandbox/slack-stand-in/signing.js';

/** POSTs `body` to the bot's /slack/events with Slack's headers, signed with `secret` (or a custom signature); `signal` aborts it. */
export async function postToSlackEndpoint(
  baseUrl: string,
  secret: string,
  body: string,
  contentType: 'application/x-www-form-urlencoded' | 'application/json',
  opts: { timestamp?: number; signature?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? slackSignature(secret, timestamp, body),
      ...opts.headers,
    },
    body,
    signal: opts.signal,
  });
}

/** What a bot process that ended printed, how it ended and how long it ran. */
export interface FinishedBot {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time from spawn to exit, ms (includes tsx start-up). */
  ms: number;
}

/**
 * Runs `npm start` (same environment rules as {@link startBot}) and waits for it to exit by itself, for
 * start-up failures. Asynchronous, so an in-process fake (SlackApiFake) can answer it meanwhile.
 * @throws Error when it is still running after `timeoutMs` (it is then killed), with what it printed.
 */
export async function runBotToExit(env: Record<string, string>, configYaml: string, timeoutMs = 60_000): Promise<FinishedBot> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-exit-'));
  const configPath = join(dir, 'preflight.yml');
  writeFileSync(configPath, configYaml);
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...fakeClockEnv(),
      PREFLIGHT_CONFIG: configPath,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: '',
      QUEUE_PREFIX: 'preflight-e2e',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const ms = Date.now() - started;
  if (ms >= timeoutMs) throw new Error(`bot still running after ${timeoutMs} ms:\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return { code, stdout, stderr, ms };
}
