import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeClockEnv } from '../support/clock-env.js';

const run = (env: Record<string, string>) =>
  spawnSync('npm', ['start', '--silent'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...fakeClockEnv(), ...env }, encoding: 'utf8', timeout: 60_000 });

const baseEnv = {
  SLACK_BOT_TOKEN: 'xoxb-startup',
  SLACK_SIGNING_SECRET: 's',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_created',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SLACK_APP_TOKEN: '',
};

describe('npm start refuses bad input before touching anything', () => {
  it('a malformed preflight.yml stops start-up with the file, line, key path and reason, exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-bad-'));
    const file = join(dir, 'preflight.yml');
    writeFileSync(file, 'program: { name: X, timezone: America/New_York, pm: U0PM, channel: C0X }\nworkstreams:\n  ws1:\n    name: A\n    channel: C0A\n    standup: { at: "25:00" }\n');
    const res = run({ ...baseEnv, PREFLIGHT_CONFIG: file });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`Preflight cannot start: ${file} has 1 problem:`);
    expect(res.stderr).toContain(`${file}:6:20 workstreams.ws1.standup.at: expected a 24-hour local time such as "10:00" (got "25:00")`);
  }, 60_000);

  it('a missing variable is named (and a secret never echoed), exit code 1', () => {
    const res = run({ SLACK_BOT_TOKEN: 'xoxp-a-user-token-not-a-bot-token', REDIS_URL: 'redis://127.0.0.1:6379', SLACK_SIGNING_SECRET: '', DATABASE_URL: '' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(res.stderr).toContain('SLACK_SIGNING_SECRET: is required');
    expect(res.stderr).toContain('DATABASE_URL');
    expect(res.stderr).not.toContain('xoxp-a-user-token');
  }, 60_000);
});
