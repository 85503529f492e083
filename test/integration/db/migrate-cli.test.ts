import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../../src/db/migrate.js';

/** `npm run db:migrate` reads .env from the working directory like `npm start` (variables already set win). */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const admin = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const dbUrl = (name: string) => Object.assign(new URL(admin.toString()), { pathname: `/${name}` }).toString();

function migrateIn(cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/db/migrate-cli.ts')], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('npm run db:migrate', () => {
  const names = [`preflight_dotenv_${randomBytes(4).toString('hex')}`, `preflight_shell_${randomBytes(4).toString('hex')}`];
  afterAll(async () => {
    for (const n of names) await dropDatabase(dbUrl(n)).catch(() => {});
  });

  it('takes DATABASE_URL from .env in the working directory, and a variable set in the shell wins over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-migrate-'));
    writeFileSync(join(dir, '.env'), `# as in .env.example\nDATABASE_URL=${dbUrl(names[0]!)}\n`);
    const fromFile = await migrateIn(dir);
    expect(fromFile.code, fromFile.out).toBe(0);
    expect(fromFile.out).toContain(`db:migrate: created database ${names[0]}`);
    const fromShell = await migrateIn(dir, { DATABASE_URL: dbUrl(names[1]!) });
    expect(fromShell.code, fromShell.out).toBe(0);
    expect(fromShell.out).toContain(`db:migrate: created database ${names[1]}`);
    const c = new pg.Client({ connectionString: dbUrl(names[0]!) });
    await c.connect();
    const { rows } = await c.query("SELECT to_regclass('public.slack_user_emails') AS t");
    await c.end();
    expect(rows[0].t).toBe('slack_user_emails');
  }, 60_000);

  it('without .env or DATABASE_URL, says what to set (exit code 1)', async () => {
    const res = await migrateIn(mkdtempSync(join(tmpdir(), 'preflight-migrate-')));
    expect(res.code).toBe(1);
    expect(res.out.trim()).toBe('db:migrate: DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/preflight)');
  }, 60_000);
});
