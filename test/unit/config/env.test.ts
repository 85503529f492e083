import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, rotationOn } from '../../../src/config/env.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DATABASE_URL: 'postgres://localhost/p', REDIS_URL: 'redis://localhost:6379' };
const rotation = { SLACK_REFRESH_TOKEN: 'xoxe-1-refresh', SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'secret' };
const problems = (env: Record<string, string>) => {
  try {
    loadEnv(env);
    return [];
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
};

describe('token rotation variables (issue 24)', () => {
  it('off without them: an xoxb- token as before', () => {
    const env = loadEnv(base);
    expect(rotationOn(env)).toBe(false);
  });

  it('on with all three; SLACK_BOT_TOKEN may then be the first expiring token (xoxe.xoxb-)', () => {
    const env = loadEnv({ ...base, ...rotation, SLACK_BOT_TOKEN: 'xoxe.xoxb-1-first' });
    expect(rotationOn(env)).toBe(true);
    expect(env.SLACK_BOT_TOKEN).toBe('xoxe.xoxb-1-first');
    expect(rotationOn(loadEnv({ ...base, ...rotation }))).toBe(true);
  });

  it('some but not all: each missing variable is named, with the ones that are set', () => {
    expect(problems({ ...base, SLACK_REFRESH_TOKEN: rotation.SLACK_REFRESH_TOKEN })).toEqual([
      'SLACK_CLIENT_ID: is required with SLACK_REFRESH_TOKEN (token rotation needs SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)',
      'SLACK_CLIENT_SECRET: is required with SLACK_REFRESH_TOKEN (token rotation needs SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)',
    ]);
    expect(problems({ ...base, SLACK_CLIENT_ID: rotation.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: 'x' })).toEqual([
      'SLACK_REFRESH_TOKEN: is required with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (token rotation needs SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)',
    ]);
  });

  it('an expiring bot token without them says what to set; malformed values name their variable, never the value', () => {
    expect(problems({ ...base, SLACK_BOT_TOKEN: 'xoxe.xoxb-1-first' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: is an expiring token \(xoxe\.xoxb-, token rotation is on\): also set SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET/),
    ]);
    const bad = problems({ ...base, ...rotation, SLACK_REFRESH_TOKEN: 'xoxb-not-a-refresh-token', SLACK_CLIENT_ID: 'abc' });
    expect(bad).toEqual([
      'SLACK_REFRESH_TOKEN: SLACK_REFRESH_TOKEN must be a refresh token starting with xoxe-',
      'SLACK_CLIENT_ID: SLACK_CLIENT_ID must be the Client ID from Basic Information → App Credentials (digits.digits)',
    ]);
    expect(bad.join('\n')).not.toContain('xoxb-not-a-refresh-token');
    expect(problems({ ...base, SLACK_BOT_TOKEN: 'xoxp-user' })).toEqual(['SLACK_BOT_TOKEN: SLACK_BOT_TOKEN must be a bot token starting with xoxb- (or xoxe.xoxb- with token rotation)']);
  });
});
