import { ErrorCode } from '@slack/web-api';
import { inArray, sql } from 'drizzle-orm';
import { ConfigError, type ConfigProblem, locateInFile } from '../../config/load.js';
import { emailKey, emailRefs, withUserIds } from '../../config/user-refs.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { slackUserEmails } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

/**
 * How long an address Slack resolved is trusted without asking again, ms. A start-up within it makes no Slack call
 * for that address (so a restart of a 100-person program does not spend two minutes of users.lookupByEmail's
 * Tier 3 budget, ~50 calls a minute); an older entry is looked up again, and used as it is if Slack cannot be reached.
 */
export const EMAIL_CACHE_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** Slack could not resolve emails for a reason that is not about one address (a missing scope, a rejected token). One line. */
export class EmailLookupError extends Error {
  constructor(
    /** Slack's error code, e.g. `missing_scope`. */
    readonly slackError: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmailLookupError';
  }
}

/**
 * Replaces every person given by email in `config` (wherever the schema takes a user, see config/user-refs.ts)
 * with their Slack user ID. Addresses resolved within {@link EMAIL_CACHE_MAX_AGE_MS} come from Postgres
 * (`slack_user_emails`); the others are asked of Slack with users.lookupByEmail (docs.slack.dev/reference/methods/
 * users.lookupByEmail: scope users:read.email; `users_not_found` when no member has it) and stored.
 * @param file the config file's name, for problems (their line is looked up in it when it can be read).
 * @returns the config with user IDs only (unchanged, and no call made, when it names nobody by email).
 * @throws ConfigError naming the file, line, key path and address of every email no active member has.
 * @throws EmailLookupError when Slack refuses the lookups themselves (`missing_scope`: the app lacks users:read.email).
 * @throws the Web API client's error when Slack cannot be reached and an address has no cached ID at all.
 */
export async function resolveEmails(deps: Pick<Deps, 'db' | 'slack' | 'clock' | 'log'>, config: WorkspaceConfig, file: string): Promise<WorkspaceConfig> {
  const refs = emailRefs(config);
  if (refs.length === 0) return config;
  const keys = [...new Set(refs.map((r) => emailKey(r.email)))];
  const now = deps.clock.now();
  const cached = new Map((await deps.db.select().from(slackUserEmails).where(inArray(slackUserEmails.email, keys))).map((row) => [row.email, row]));
  const userIdOf = new Map<string, string>();
  const toAsk: string[] = [];
  for (const key of keys) {
    const row = cached.get(key);
    if (row && now.toMillis() - row.resolvedAt.getTime() < EMAIL_CACHE_MAX_AGE_MS) userIdOf.set(key, row.userId);
    else toAsk.push(key);
  }
  const unknown = new Map<string, string>(); // email key → why
  if (toAsk.length) deps.log.info({ emails: toAsk.length, cached: keys.length - toAsk.length }, 'resolving people given by email with Slack (users.lookupByEmail)');
  // the Web API client queues the calls and waits out any 429 (Retry-After) by itself
  const answers = await Promise.all(toAsk.map(async (key) => ({ key, answer: await lookup(deps, key) })));
  const fresh: { email: string; userId: string; resolvedAt: Date }[] = [];
  for (const { key, answer } of answers) {
    if (answer.kind === 'found') {
      userIdOf.set(key, answer.userId);
      fresh.push({ email: key, userId: answer.userId, resolvedAt: now.toJSDate() });
    } else if (answer.kind === 'unknown') unknown.set(key, answer.why);
    else {
      const stale = cached.get(key);
      if (!stale) throw answer.error;
      deps.log.warn({ err: (answer.error as Error).message }, 'Slack could not be asked for an email address; using the user ID it gave before');
      userIdOf.set(key, stale.userId);
    }
  }
  if (fresh.length) {
    await deps.db
      .insert(slackUserEmails)
      .values(fresh)
      .onConflictDoUpdate({ target: slackUserEmails.email, set: { userId: sql`excluded.user_id`, resolvedAt: sql`excluded.resolved_at` } });
  }
  if (unknown.size) {
    const problems: ConfigProblem[] = refs
      .filter((r) => unknown.has(emailKey(r.email)))
      .map((r) => ({ file, path: r.path.join('.'), ...locateInFile(file, r.path), message: `${r.email}: ${unknown.get(emailKey(r.email))}` }));
    throw new ConfigError(problems);
  }
  return withUserIds(config, userIdOf);
}

/**
 * Slack user IDs of people a feed names by email (issue 22: on-call rotations), through the same cache as the
 * config's emails ({@link EMAIL_CACHE_MAX_AGE_MS}, `slack_user_emails`) and users.lookupByEmail for the others.
 * @param emails addresses as the feed wrote them (any case).
 * @returns {@link emailKey} → user ID, or null when no active member has it (or Slack cannot be asked and nothing
 *   is cached). Never throws for one address; a refused lookup (missing_scope) throws EmailLookupError.
 */
export async function userIdsByEmail(deps: Pick<Deps, 'db' | 'slack' | 'clock' | 'log'>, emails: readonly string[]): Promise<Map<string, string | null>> {
  const keys = [...new Set(emails.map(emailKey))];
  const out = new Map<string, string | null>();
  if (keys.length === 0) return out;
  const now = deps.clock.now();
  const cached = new Map((await deps.db.select().from(slackUserEmails).where(inArray(slackUserEmails.email, keys))).map((row) => [row.email, row]));
  const fresh: { email: string; userId: string; resolvedAt: Date }[] = [];
  for (const key of keys) {
    const row = cached.get(key);
    if (row && now.toMillis() - row.resolvedAt.getTime() < EMAIL_CACHE_MAX_AGE_MS) {
      out.set(key, row.userId);
      continue;
    }
    const answer = await lookup(deps, key);
    if (answer.kind === 'found') {
      out.set(key, answer.userId);
      fresh.push({ email: key, userId: answer.userId, resolvedAt: now.toJSDate() });
    } else out.set(key, answer.kind === 'unreachable' ? (row?.userId ?? null) : null);
  }
  if (fresh.length) {
    await deps.db
      .insert(slackUserEmails)
      .values(fresh)
      .onConflictDoUpdate({ target: slackUserEmails.email, set: { userId: sql`excluded.user_id`, resolvedAt: sql`excluded.resolved_at` } });
  }
  return out;
}

type Answer = { kind: 'found'; userId: string } | { kind: 'unknown'; why: string } | { kind: 'unreachable'; error: unknown };

async function lookup(deps: Pick<Deps, 'slack'>, email: string): Promise<Answer> {
  try {
    const res = await deps.slack.users.lookupByEmail({ email });
    if (!res.user?.id) return { kind: 'unknown', why: 'Slack answered without a user' };
    if (res.user.deleted) return { kind: 'unknown', why: 'this Slack account is deactivated: use an active member’s email or user ID' };
    return { kind: 'found', userId: res.user.id };
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    if (e.code !== ErrorCode.PlatformError) return { kind: 'unreachable', error: err };
    const code = e.data?.error ?? 'unknown_error';
    if (code === 'users_not_found' || code === 'user_not_found') {
      return { kind: 'unknown', why: 'no member of this Slack workspace has this email address (users.lookupByEmail: users_not_found); check the spelling, or use their user ID' };
    }
    if (code === 'missing_scope') {
      throw new EmailLookupError(
        code,
        'Preflight cannot start: preflight.yml names people by email, but the Slack app lacks the users:read.email scope (missing_scope): add users:read and users:read.email to the app (as in manifest.yml) and reinstall it, or use user IDs.',
      );
    }
    throw new EmailLookupError(code, `Preflight cannot start: Slack refused to look up people by email (users.lookupByEmail: ${code}).`);
  }
}
