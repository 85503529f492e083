import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniquePrefix } from '../support/db.js';

/*
 * `npm run sandbox` started while another sandbox holds its page port (a second terminal, a forgotten one):
 * it must say so and stop before it empties the sandbox database and queue keys, which the running sandbox
 * is using, and leave no bot process behind.
 * Timing tolerance: the sandbox exits within a few seconds on an idle box; the wait allows 45 s for a loaded one.
 */

describe('a sandbox whose page port is taken', () => {
  let db: { url: string; drop: () => Promise<void> };
  let redis: Redis;
  let taken: Server;
  let port: number;
  const prefix = uniquePrefix('sandbox-port');

  beforeAll(async () => {
    db = await createTestDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query("CREATE TABLE running_sandbox_marker (note text); INSERT INTO running_sandbox_marker VALUES ('still here')");
    await c.end();
    redis = new Redis(inject('redisUrl'));
    await redis.set(`${prefix}:marker`, 'still here');
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    port = (taken.address() as { port: number }).port;
  });

  afterAll(async () => {
    taken?.close();
    await redis?.del(`${prefix}:marker`);
    redis?.disconnect();
    await db?.drop();
  });

  it('says the port is in use and exits 1, before touching the database or the queue keys', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', '--example', 'minimal', '--port', String(port)], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        SANDBOX_DATABASE_URL: db.url,
        REDIS_URL: inject('redisUrl'),
        SANDBOX_QUEUE_PREFIX: prefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the sandbox did not exit within 45 s:\n${output}`));
      }, 45_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });

    expect(code).toBe(1);
    expect(output.trim()).toBe(`Port ${port} is in use: pass another with --port.`);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT note FROM running_sandbox_marker');
    await c.end();
    expect(rows).toEqual([{ note: 'still here' }]);
    expect(await redis.get(`${prefix}:marker`)).toBe('still here');
  }, 60_000);
});
