import { z } from 'zod';
import { parseRedisUrl, queuePrefixFor, RedisUrlError, type RedisTarget } from './redis.js';

/*
 * Messages say what is wrong without the variable's name: loadEnv (and the CLIs) print each as
 * `NAME: message`, so a message starting with the name would read it twice.
 */
const url = () =>
  z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .refine((v) => URL.canParse(v), { message: 'must be a URL' });

/**
 * Process environment, validated once at boot (the only place that reads `process.env`).
 * Every variable is documented in `.env.example`.
 */
export const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the Bot User OAuth Token (xoxb-…) from OAuth & Permissions' })
    .regex(/^(xoxe\.)?xoxb-/, 'must be a bot token starting with xoxb- (or xoxe.xoxb- with token rotation)'),
  /**
   * Token rotation (docs.slack.dev/authentication/using-token-rotation): the refresh token (xoxe-…) Slack gave with
   * the first expiring bot token, and the app's Client ID and Client Secret (Basic Information → App Credentials)
   * that `oauth.v2.access` needs to exchange it. All three or none (checked in {@link loadEnv}).
   */
  SLACK_REFRESH_TOKEN: z
    .string()
    .regex(/^xoxe-/, 'must be a refresh token starting with xoxe-')
    .optional(),
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information → App Credentials (digits.digits)')
    .optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string({ error: 'is required: the Signing Secret from Basic Information' }).min(1, 'is required'),
  /** When set, Preflight connects with Socket Mode instead of serving HTTP. */
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
    .optional(),
  /** Web API base URL (GovSlack, proxies, tests). Must end with `/api/`; a missing slash is added. */
  SLACK_API_URL: url()
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .optional(),
  /**
   * Enterprise Grid (issue 24): the org's ID (`E…`, auth.test's `enterprise_id`). Set, Preflight serves every
   * workspace of that org where the app is installed (an org-wide install) and checks at start-up that
   * SLACK_BOT_TOKEN belongs to that org. Unset: the one workspace the token is installed in.
   */
  SLACK_ENTERPRISE_ID: z
    .string()
    .regex(/^E[A-Z0-9]{2,}$/, 'must be an Enterprise Grid org ID such as E012AB3CD (auth.test answers it as enterprise_id), or be left empty for one workspace')
    .optional(),
  DATABASE_URL: url(),
  /** One Redis, Redis Sentinel or Redis Cluster: see {@link parseRedisUrl} and .env.example. */
  REDIS_URL: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .superRefine((v, ctx) => {
      try {
        parseRedisUrl(v);
      } catch (err) {
        if (!(err instanceof RedisUrlError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
      }
    }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PREFLIGHT_CONFIG: z.string().min(1).default('./preflight.yml'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token of the read-only API under /api/v1 (src/api); unset: the API is off (404). */
  PREFLIGHT_API_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  /** `json` (one JSON object per line, the default when stdout is not a terminal) or `pretty` (pino-pretty). */
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
  /** When set, `GET /metrics` requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (a random secret)').optional(),
  /** Prefix of every BullMQ key in Redis, so several deployments (or test runs) can share one Redis. */
  /**
   * Prefix of every BullMQ key in Redis, so several deployments (or test runs) can share one Redis. May carry a
   * Redis Cluster hash tag (`{preflight}`); on Cluster one is added when missing (see queuePrefixFor).
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*(\{[A-Za-z0-9_.-]+\})?[A-Za-z0-9_.-]*$/, 'may hold letters, digits, _ . and - only, and one Redis Cluster hash tag in braces ({preflight})')
    .min(1)
    .default('preflight'),
});

/** The environment after validation: `REDIS` is REDIS_URL parsed; `QUEUE_PREFIX` carries a hash tag on Redis Cluster. */
export type Env = z.infer<typeof envSchema> & { REDIS: RedisTarget };

/** Thrown by {@link loadEnv}; `problems` lists one line per bad variable. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/**
 * Validates the environment. Empty strings count as unset (as docker compose passes them).
 * @throws EnvError naming each variable and what is wrong with it (values are never echoed).
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const rotation = rotationProblems(parsed.data);
  if (rotation.length) throw new EnvError(rotation);
  const REDIS = parseRedisUrl(parsed.data.REDIS_URL);
  return { ...parsed.data, REDIS, QUEUE_PREFIX: queuePrefixFor(REDIS, parsed.data.QUEUE_PREFIX) };
}

/** The variables token rotation needs together. */
export const ROTATION_VARIABLES = ['SLACK_REFRESH_TOKEN', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'] as const;

/**
 * Token rotation's variables are all set or none; an expiring bot token (`xoxe.xoxb-`) needs them.
 * @returns one line per problem, naming the missing variables (empty when fine).
 */
function rotationProblems(env: Pick<z.infer<typeof envSchema>, 'SLACK_BOT_TOKEN' | (typeof ROTATION_VARIABLES)[number]>): string[] {
  const missing = ROTATION_VARIABLES.filter((v) => !env[v]);
  if (missing.length === ROTATION_VARIABLES.length) {
    return env.SLACK_BOT_TOKEN.startsWith('xoxe.')
      ? [
          `SLACK_BOT_TOKEN: is an expiring token (xoxe.xoxb-, token rotation is on): also set ${ROTATION_VARIABLES.join(', ')} so Preflight can refresh it before it expires (12 hours), or turn token rotation off and use the xoxb- token`,
        ]
      : [];
  }
  if (missing.length === 0) return [];
  const set = ROTATION_VARIABLES.filter((v) => env[v]);
  return missing.map((v) => `${v}: is required with ${set.join(' and ')} (token rotation needs ${ROTATION_VARIABLES.join(', ')})`);
}

/** Whether token rotation is on: SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set. */
export function rotationOn(env: Env): env is Env & Required<Pick<Env, (typeof ROTATION_VARIABLES)[number]>> {
  return ROTATION_VARIABLES.every((v) => env[v]);
}

/**
 * A secret the config names by its variable (issue 22: `PAGERDUTY_TOKEN`, `OPSGENIE_API_KEY`, a rotation's
 * `token_env`), read when a feed is fetched so a rotated secret is picked up without a restart.
 * @returns the value, or undefined when unset or empty.
 */
export function secretFromEnv(name: string, source: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = source[name];
  return v ? v : undefined;
}
