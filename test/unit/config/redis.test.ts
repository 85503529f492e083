import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../../../src/config/env.js';
import { hasHashTag, parseRedisUrl, queuePrefixFor } from '../../../src/config/redis.js';

describe('parseRedisUrl', () => {
  it('one Redis: redis:// and rediss:// go to ioredis as they are', () => {
    expect(parseRedisUrl('redis://localhost:6379')).toEqual({ kind: 'standalone', url: 'redis://localhost:6379' });
    expect(parseRedisUrl('rediss://default:p%40ss@cache.example.com:6380/2')).toEqual({ kind: 'standalone', url: 'rediss://default:p%40ss@cache.example.com:6380/2' });
  });

  it('Sentinel: the Sentinels, the master group name, the database, credentials for Redis and for the Sentinels', () => {
    expect(parseRedisUrl('redis+sentinel://s1:26379,s2,[::1]:26380/mymaster')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 0,
      tls: false,
    });
    expect(parseRedisUrl('rediss+sentinel://app:p%3Ass@s1/mymaster/3?sentinel_password=sp')).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
      db: 3,
      username: 'app',
      password: 'p:ss',
      sentinelPassword: 'sp',
      tls: true,
    });
  });

  it('Cluster: the seed nodes', () => {
    expect(parseRedisUrl('rediss+cluster://:secret@n1:7000,n2:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: 'secret',
      tls: true,
    });
  });

  it('says what is wrong, never echoing the URL (it may hold a password)', () => {
    const error = (url: string) => {
      try {
        parseRedisUrl(url);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(error('http://hunter2@localhost')).toMatch(/^must be one of: redis:\/\//);
    expect(error('redis+sentinel://s1:26379')).toMatch(/master group name/);
    expect(error('redis+sentinel://s1:26379/mymaster/zero')).toMatch(/database after the master name must be a number/);
    expect(error('redis+cluster://n1:7000/1')).toMatch(/only database 0/);
    expect(error('redis+cluster://n1:99999')).toMatch(/port 99999 is out of range/);
    expect(error('redis://a:1,b:2')).toMatch(/use redis\+sentinel:\/\/ or redis\+cluster:\/\//);
    expect(error('redis://:hunter2@')).not.toContain('hunter2');
  });
});

describe('QUEUE_PREFIX and Redis Cluster hash tags', () => {
  it('wraps a prefix in a hash tag on Cluster only, and keeps one that has it', () => {
    const cluster = parseRedisUrl('redis+cluster://n1:7000');
    const single = parseRedisUrl('redis://localhost');
    expect(queuePrefixFor(cluster, 'preflight')).toBe('{preflight}');
    expect(queuePrefixFor(cluster, '{preflight}')).toBe('{preflight}');
    expect(queuePrefixFor(cluster, 'acme-{preflight}')).toBe('acme-{preflight}');
    expect(queuePrefixFor(single, 'preflight')).toBe('preflight');
    expect(queuePrefixFor(single, '{preflight}')).toBe('{preflight}');
    expect(hasHashTag('{}')).toBe(false);
  });

  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DATABASE_URL: 'postgres://localhost/p' };
  it('loadEnv produces {preflight} on Cluster, accepts a hash tag anywhere, and refuses bad prefixes and URLs by name', () => {
    expect(loadEnv({ ...env, REDIS_URL: 'redis+cluster://n1:7000,n2:7000' })).toMatchObject({ QUEUE_PREFIX: '{preflight}', REDIS: { kind: 'cluster' } });
    expect(loadEnv({ ...env, REDIS_URL: 'redis://localhost', QUEUE_PREFIX: '{acme}' }).QUEUE_PREFIX).toBe('{acme}');
    expect(loadEnv({ ...env, REDIS_URL: 'redis+sentinel://s1/mymaster' }).REDIS).toMatchObject({ kind: 'sentinel', name: 'mymaster' });
    for (const [bad, reason] of [
      [{ REDIS_URL: 'redis://localhost', QUEUE_PREFIX: '{a}{b}' }, /QUEUE_PREFIX: may hold .* one Redis Cluster hash tag/],
      [{ REDIS_URL: 'redis://localhost', QUEUE_PREFIX: 'a b' }, /QUEUE_PREFIX/],
      [{ REDIS_URL: 'redis+sentinel://:pw@s1:26379' }, /REDIS_URL: redis\+sentinel:\/\/ needs the master group name/],
    ] as const) {
      try {
        loadEnv({ ...env, ...bad });
        throw new Error(`accepted ${JSON.stringify(bad)}`);
      } catch (err) {
        expect(err).toBeInstanceOf(EnvError);
        expect((err as Error).message).toMatch(reason);
        expect((err as Error).message).not.toContain(':pw@');
      }
    }
  });

  it('LOG_FORMAT and METRICS_TOKEN', () => {
    const base = { ...env, REDIS_URL: 'redis://localhost' };
    expect(loadEnv({ ...base, LOG_FORMAT: 'pretty', METRICS_TOKEN: 'a-long-random-token-123' })).toMatchObject({ LOG_FORMAT: 'pretty', METRICS_TOKEN: 'a-long-random-token-123' });
    expect(() => loadEnv({ ...base, LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT: must be json or pretty/);
    expect(() => loadEnv({ ...base, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});
