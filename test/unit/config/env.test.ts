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
    expect(bad).toEqual(['SLACK_REFRESH_TOKEN: must be a refresh token starting with xoxe-', 'SLACK_CLIENT_ID: must be the Client ID from Basic Information → App Credentials (digits.digits)']);
    expect(bad.join('\n')).not.toContain('xoxb-not-a-refresh-token');
    expect(problems({ ...base, SLACK_BOT_TOKEN: 'xoxp-user' })).toEqual(['SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (or xoxe.xoxb- with token rotation)']);
  });
});

describe('each problem line names its variable once', () => {
  it('SLACK_ENTERPRISE_ID: the exact line', () => {
    expect(problems({ ...base, SLACK_ENTERPRISE_ID: 'T0ACME' })).toEqual([
      'SLACK_ENTERPRISE_ID: must be an Enterprise Grid org ID such as E012AB3CD (auth.test answers it as enterprise_id), or be left empty for one workspace',
    ]);
  });

  it('every variable with its own message, missing or malformed', () => {
    const bad = {
      SLACK_BOT_TOKEN: 'xoxp-user',
      SLACK_APP_TOKEN: 'xoxb-not-an-app-token',
      SLACK_API_URL: 'not a url',
      SLACK_ENTERPRISE_ID: 'T0ACME',
      DATABASE_URL: 'not a url',
      REDIS_URL: 'redis+sentinel://s1:26379',
      PREFLIGHT_API_TOKEN: 'short',
      LOG_FORMAT: 'text',
      METRICS_TOKEN: 'short',
      QUEUE_PREFIX: 'a b',
    };
    const lines = [...problems(bad), ...problems({ ...base, ...rotation, SLACK_REFRESH_TOKEN: 'xoxb-1', SLACK_CLIENT_ID: 'abc' })];
    expect(lines).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (or xoxe.xoxb- with token rotation)',
        'SLACK_SIGNING_SECRET: is required: the Signing Secret from Basic Information',
        'SLACK_APP_TOKEN: must be an app-level token starting with xapp-',
        'SLACK_API_URL: must be a URL',
        'DATABASE_URL: must be a URL',
        'REDIS_URL: redis+sentinel:// needs the master group name as its path (…:26379/mymaster)',
        'PREFLIGHT_API_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 32)',
        'LOG_FORMAT: must be json or pretty',
        'METRICS_TOKEN: must be at least 16 characters (a random secret)',
        'QUEUE_PREFIX: may hold letters, digits, _ . and - only, and one Redis Cluster hash tag in braces ({preflight})',
        'SLACK_REFRESH_TOKEN: must be a refresh token starting with xoxe-',
      ]),
    );
    expect(problems({ SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_BOT_TOKEN: is required: the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
      'DATABASE_URL: is required',
      'REDIS_URL: is required',
    ]);
    for (const line of lines) {
      const name = line.split(':')[0]!;
      expect(line.split(name).length - 1, line).toBe(1);
    }
  });
});
