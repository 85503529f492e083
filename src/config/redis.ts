/** A Redis host and port. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS shared by every kind of Redis deployment. */
interface RedisAuth {
  username?: string;
  password?: string;
  /** `rediss…` schemes: TLS to Redis (and to the Sentinels). */
  tls: boolean;
}

/** Where Redis is, parsed from REDIS_URL by {@link parseRedisUrl}. */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | (RedisAuth & { kind: 'sentinel'; sentinels: RedisNode[]; name: string; db: number; sentinelPassword?: string })
  | (RedisAuth & { kind: 'cluster'; nodes: RedisNode[] });

/** The forms REDIS_URL accepts, for error messages and docs. */
export const REDIS_URL_FORMS = [
  'redis://[user:password@]host:6379[/db] (rediss:// for TLS)',
  'redis+sentinel://[user:password@]sentinel1:26379,sentinel2:26379/<master name>[/db][?sentinel_password=…] (rediss+sentinel:// for TLS)',
  'redis+cluster://[user:password@]node1:6379,node2:6379 (rediss+cluster:// for TLS)',
];

/** Thrown by {@link parseRedisUrl}; the message says what is wrong without echoing the URL (it may hold a password). */
export class RedisUrlError extends Error {}

function nodes(list: string, defaultPort: number): RedisNode[] {
  return list.split(',').map((hostPort) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(hostPort);
    if (!m) throw new RedisUrlError(`"${hostPort}" is not host:port`);
    const port = m[2] ? Number(m[2]) : defaultPort;
    if (port < 1 || port > 65535) throw new RedisUrlError(`port ${port} is out of range`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/**
 * Parses REDIS_URL: a single Redis (`redis://`, `rediss://`, passed to ioredis as is), Redis Sentinel
 * (`redis+sentinel://s1:26379,s2:26379/mymaster/0`: the Sentinels, the master group name, the database) or
 * Redis Cluster (`redis+cluster://n1:6379,n2:6379`: seed nodes). Credentials in the URL are Redis's
 * (ACL user and password, URL-encoded); `?sentinel_password=` is the Sentinels' own when they require one.
 * Default ports: 6379, Sentinels 26379.
 * @throws RedisUrlError naming what is wrong (never the URL itself).
 */
export function parseRedisUrl(url: string): RedisTarget {
  const m = /^(rediss?)(?:\+(sentinel|cluster))?:\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(url);
  if (!m) throw new RedisUrlError(`must be one of: ${REDIS_URL_FORMS.join('; ')}`);
  const [, scheme, mode, userinfo, hosts, path = '', query = ''] = m;
  const tls = scheme === 'rediss';
  if (!mode) {
    if (!URL.canParse(url) || hosts!.includes(',')) throw new RedisUrlError('a redis:// URL names one host; use redis+sentinel:// or redis+cluster:// for several');
    return { kind: 'standalone', url };
  }
  const [user, pass] = (userinfo ?? '').split(':', 2).map((s) => (s ? decodeURIComponent(s) : undefined));
  const auth = { ...(user ? { username: user } : {}), ...(pass ? { password: pass } : {}), tls };
  const segments = path.split('/').filter(Boolean);
  if (mode === 'cluster') {
    if (segments.length > 0) throw new RedisUrlError('Redis Cluster has only database 0: remove the path');
    return { kind: 'cluster', nodes: nodes(hosts!, 6379), ...auth };
  }
  const [name, db = '0'] = segments;
  if (!name) throw new RedisUrlError('redis+sentinel:// needs the master group name as its path (…:26379/mymaster)');
  if (!/^\d+$/.test(db) || segments.length > 2) throw new RedisUrlError(`the database after the master name must be a number, not "${segments.slice(1).join('/')}"`);
  const sentinelPassword = new URLSearchParams(query).get('sentinel_password') ?? undefined;
  return { kind: 'sentinel', sentinels: nodes(hosts!, 26379), name: decodeURIComponent(name), db: Number(db), ...auth, ...(sentinelPassword ? { sentinelPassword } : {}) };
}

/** True when `prefix` holds a Redis Cluster hash tag (`{…}`, non-empty): all its keys then map to one slot. */
export const hasHashTag = (prefix: string) => /\{[^{}]+\}/.test(prefix);

/**
 * The BullMQ prefix to use. On Redis Cluster every key of a queue must live in one hash slot (BullMQ's
 * scripts touch several keys at once), so a prefix without a hash tag is wrapped in one: `preflight` →
 * `{preflight}`. Elsewhere the prefix is used as given (`{preflight}` works there too).
 */
export function queuePrefixFor(target: RedisTarget, prefix: string): string {
  return target.kind === 'cluster' && !hasHashTag(prefix) ? `{${prefix}}` : prefix;
}
