import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './bot-process.js';
import { realClockEnv } from './clock-env.js';

/**
 * Private Redis and PostgreSQL servers for the fault suite: it stops, restarts and flushes them, which it
 * must never do to the shared services other test files use at the same time. Each runs on a free port
 * from the machine's own binaries (Debian: redis-server, /usr/lib/postgresql/<v>/bin), on the real clock like the
 * shared ones, also when the suite runs under faketime (test/support/run-at.sh).
 */

async function waitUntil(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pingsRedis(port: number): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'], env: realClockEnv() })
        .toString()
        .trim() === 'PONG'
    );
  } catch {
    return false;
  }
}

/** A private redis-server (no persistence, like a restarted cache that lost everything). */
export async function privateRedis() {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', env: realClockEnv() });
    await waitUntil('private redis', () => pingsRedis(port));
  };
  const stop = async () => {
    if (!child) return;
    const c = child;
    child = null;
    c.kill('SIGKILL');
    await new Promise((r) => c.once('exit', r));
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    flushAll: () => execFileSync('redis-cli', ['-p', String(port), 'flushall'], { env: realClockEnv() }),
  };
}

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  if (!version) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return join(base, version, 'bin');
}

/** A private PostgreSQL cluster (initdb in a temp dir, trust auth); run as the postgres user when we are root. */
export async function privatePostgres() {
  const bin = pgBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'preflight-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe', env: realClockEnv() })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe', env: realClockEnv() });
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  else chownSync(dir, process.getuid!(), process.getgid!());
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/preflight`,
    start,
    stop,
    async destroy() {
      try {
        await stop('immediate');
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
