import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer } from 'node:net';
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

/**
 * A private redis-server (no persistence, like a restarted cache that lost everything). With `ownGroup`, it runs in a
 * process group of its own, so a signal to its owner's group (Ctrl-C, a test stopping a benchmark) leaves it to the
 * owner's cleanup, which may still need it. `stop()` kills it (SIGKILL) and resolves once it has exited, at once if it
 * already had.
 */
export async function privateRedis(opts: { ownGroup?: boolean } = {}) {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
      env: realClockEnv(),
      detached: opts.ownGroup ?? false,
    });
    await waitUntil('private redis', () => pingsRedis(port));
  };
  const stop = async () => {
    if (!child) return;
    const c = child;
    child = null;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    flushAll: () => execFileSync('redis-cli', ['-p', String(port), 'flushall'], { env: realClockEnv() }),
  };
}

/** Runs `redis-server` with `args` on the real clock; resolves once `port` answers PING. */
async function redisServer(port: number, args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore', env: realClockEnv() });
  await waitUntil(`redis-server on ${port}`, () => pingsRedis(port));
  return child;
}

async function killAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null) return;
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }),
  );
}

/**
 * A private Redis Sentinel setup: one master and one Sentinel monitoring it as `mymaster` (quorum 1), from
 * the machine's redis-server (`--sentinel`). `url` is the REDIS_URL Preflight takes for it.
 */
export async function privateSentinel() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sentinel-'));
  const masterPort = await freePort();
  const sentinelPort = await freePort();
  const children = [await redisServer(masterPort, ['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])];
  // Sentinel rewrites its config file, so it gets its own
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 1\n`);
  children.push(await redisServer(sentinelPort, [conf, '--sentinel']));
  await waitUntil('sentinel knows the master', () => {
    try {
      return execFileSync('redis-cli', ['-p', String(sentinelPort), 'sentinel', 'get-master-addr-by-name', 'mymaster'], { env: realClockEnv() })
        .toString()
        .includes(String(masterPort));
    } catch {
      return false;
    }
  });
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/mymaster`,
    masterPort,
    async destroy() {
      await killAll(children);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const srv = createNetServer();
      srv.once('error', () => resolve(false));
      srv.listen(port + 10_000, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (busFree) return port;
  }
}

/**
 * A private Redis Cluster of three masters (no replicas), slots spread by `redis-cli --cluster create`.
 * `url` is the REDIS_URL Preflight takes for it (seed nodes).
 */
export async function privateCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freeClusterPort();
    ports.push(port);
    children.push(
      await redisServer(port, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
      ]),
    );
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore', env: realClockEnv() });
  await waitUntil('cluster state ok', () =>
    ports.every((p) => {
      try {
        return execFileSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { env: realClockEnv() })
          .toString()
          .includes('cluster_state:ok');
      } catch {
        return false;
      }
    }),
  );
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    async destroy() {
      await killAll(children);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  if (!version) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return join(base, version, 'bin');
}

/**
 * A test CA and a server certificate for 127.0.0.1/localhost signed by it, made with the machine's openssl in
 * `dir`, valid from 2000 to 2099 (so a test run shifted by faketime still finds them valid).
 */
function testCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', env: realClockEnv() });
  writeFileSync(f('index.txt'), '');
  writeFileSync(f('serial'), '01\n');
  writeFileSync(
    f('ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${f('index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${f('serial')}`,
      'default_md = sha256',
      'policy = any_name',
      'unique_subject = no',
      '[any_name]',
      'commonName = supplied',
      '[ca_ext]',
      'basicConstraints = critical, CA:true',
      'keyUsage = critical, keyCertSign, cRLSign',
      '[server_ext]',
      'basicConstraints = CA:false',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      '',
    ].join('\n'),
  );
  const dates = ['-startdate', '20000101000000Z', '-enddate', '20991231235959Z'];
  ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.csr'), '-subj', '/CN=Preflight test CA');
  ssl('ca', '-batch', '-config', f('ca.cnf'), '-selfsign', '-keyfile', f('ca.key'), '-in', f('ca.csr'), '-out', f('ca.pem'), '-extensions', 'ca_ext', '-notext', ...dates);
  ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  ssl('ca', '-batch', '-config', f('ca.cnf'), '-cert', f('ca.pem'), '-keyfile', f('ca.key'), '-in', f('server.csr'), '-out', f('server.crt'), '-extensions', 'server_ext', '-notext', ...dates);
  return { caFile: f('ca.pem'), certFile: f('server.crt'), keyFile: f('server.key') };
}

/**
 * A private PostgreSQL cluster (initdb in a temp dir, trust auth); run as the postgres user when we are root.
 * `tls: true` makes it a managed-Postgres look-alike: TLS with a certificate from a test CA (`caFile`), and
 * TCP connections without TLS refused (pg_hba `hostssl` only).
 */
export async function privatePostgres(opts: { tls?: boolean } = {}) {
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
  let serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let caFile: string | undefined;
  if (opts.tls) {
    const tlsDir = join(dir, 'tls');
    mkdirSync(tlsDir);
    const certs = testCertificates(tlsDir);
    caFile = certs.caFile;
    chmodSync(certs.keyFile, 0o600);
    if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', tlsDir]);
    serverOpts += ` -c ssl=on -c ssl_cert_file=${certs.certFile} -c ssl_key_file=${certs.keyFile}`;
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
    if (asRoot) execFileSync('chown', ['postgres:postgres', join(data, 'pg_hba.conf')]);
  }
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', serverOpts, '-l', join(dir, 'log'), '-w', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/preflight`,
    /** With `tls`: the CA that signed the server's certificate (for `sslrootcert`). */
    caFile,
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
