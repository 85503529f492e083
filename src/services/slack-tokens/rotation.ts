import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { slackTokens } from '../../db/schema/index.js';
import { expiryOf, REFRESH_AHEAD_MS, RETRY_REFRESH_AFTER_MS, refreshDue, stillValid } from '../../domain/slack-tokens/refresh.js';
import { platformError } from '../slack-errors.js';
import { rotationError, TokenRotationError } from './errors.js';

/** What Slack answered to a refresh: the new access token, the new (single-use) refresh token, `expires_in` in seconds. */
export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
}

/**
 * Port: exchanges a refresh token with Slack (`oauth.v2.access`, grant_type=refresh_token; src/slack/token-rotation.ts).
 * Throws @slack/web-api's errors as they come (a platform error such as `invalid_refresh_token`, a request error).
 */
export type TokenRefresher = (refreshToken: string) => Promise<RefreshedTokens>;

/** The current bot token of a process with token rotation on (see {@link tokenRotation}). */
export interface TokenRotation {
  /**
   * The bot token to call Slack with now: the one held in memory while more than 30 minutes of it are left (no
   * database read), else the one in Postgres, refreshed first when it is due (by one replica at a time).
   * @throws TokenRotationError naming the variable to fix when Slack refuses the refresh and no valid token is left.
   */
  current(): Promise<string>;
  /**
   * Slack answered `token_expired` to a call made with `token`: the token to retry with (refreshed unless another
   * replica already did).
   * @throws TokenRotationError as {@link TokenRotation.current}.
   */
  expired(token: string): Promise<string>;
}

/** The row of the bot's tokens (`slack_tokens.key`). */
const BOT_KEY = 'bot';
/** Advisory-lock namespace of token refreshes (first key of pg_advisory_xact_lock(int, int); see board.ts for the others). */
const LOCK_SLACK_TOKENS = 241;

type Held = { accessToken: string; expiresAt: Date };
type Row = typeof slackTokens.$inferSelect;

/** SHA-256 (hex) of a refresh token: what `slack_tokens.seed_hash` records of SLACK_REFRESH_TOKEN (never the token). */
export function seedHash(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex');
}

/**
 * Token rotation for one workspace (docs.slack.dev/authentication/using-token-rotation): the bot token expires every
 * 12 hours and is exchanged for a new one with a refresh token, which Slack then revokes, so the chain must be
 * kept in one place and advanced by one replica at a time. Kept in Postgres (`slack_tokens`, migration 0022);
 * refreshed under a transaction-scoped advisory lock, so a replica that waited on it reads the row the other wrote.
 *
 * The chain starts from SLACK_REFRESH_TOKEN: at the first start it is exchanged at once (the expiry of SLACK_BOT_TOKEN
 * is not known), and from then on the row is the truth. A different SLACK_REFRESH_TOKEN in the environment (a
 * reinstall) starts a new chain; one Slack refuses while the row holds a chain (an old replica during a rolling
 * deploy) is logged and the row is used.
 *
 * Refreshes when less than 30 minutes are left ({@link REFRESH_AHEAD_MS}); when Slack refuses while the token still
 * works, that token is used and the refresh is tried again a minute later ({@link RETRY_REFRESH_AFTER_MS}).
 * Logs say when a refresh happened and its expiry, never a token.
 * @param opts.seed SLACK_REFRESH_TOKEN (xoxe-…).
 * @param opts.refresher the Slack call (src/slack/token-rotation.ts `slackTokenRefresher`).
 */
export function tokenRotation(opts: { db: Db; clock: Clock; log: Logger; seed: string; refresher: TokenRefresher; aheadMs?: number }): TokenRotation {
  const { db, clock, log, refresher } = opts;
  const aheadMs = opts.aheadMs ?? REFRESH_AHEAD_MS;
  const seed = seedHash(opts.seed);
  const now = () => clock.now().toJSDate();
  let held: Held | undefined;
  let retryAt: Date | undefined;
  let inFlight: Promise<string> | undefined;
  /** SLACK_REFRESH_TOKEN was refused while the row held another chain: this process follows the row from now on. */
  let seedSpent = false;

  const keep = (row: Held): string => {
    held = { accessToken: row.accessToken, expiresAt: row.expiresAt };
    return row.accessToken;
  };
  /** The row serves this process without a refresh: its chain is ours, it is not due, and it is not the token Slack just called expired. */
  const serves = (row: Row | undefined, expiredToken?: string): boolean =>
    row !== undefined && (row.seedHash === seed || seedSpent) && !refreshDue(row.expiresAt, now(), aheadMs) && row.accessToken !== expiredToken;

  const readRow = async (tx: Pick<Db, 'select'>): Promise<Row | undefined> => (await tx.select().from(slackTokens).where(eq(slackTokens.key, BOT_KEY)))[0];

  async function exchange(refreshToken: string, stored: boolean): Promise<RefreshedTokens> {
    try {
      return await refresher(refreshToken);
    } catch (err) {
      throw rotationError(err, stored);
    }
  }

  async function refresh(expiredToken?: string): Promise<string> {
    const outside = await readRow(db);
    if (outside && serves(outside, expiredToken)) return keep(outside);
    return db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_SLACK_TOKENS}, 1)`);
      const row = await readRow(tx);
      if (row && serves(row, expiredToken)) return keep(row);
      let fromSeed = row === undefined || (row.seedHash !== seed && !seedSpent);
      let answer: RefreshedTokens;
      try {
        answer = await exchange(fromSeed ? opts.seed : row!.refreshToken, !fromSeed);
      } catch (err) {
        if (!(fromSeed && row && err instanceof TokenRotationError && err.variable === 'SLACK_REFRESH_TOKEN' && err.slackError === 'invalid_refresh_token')) throw err;
        // an older SLACK_REFRESH_TOKEN (already exchanged) while the row holds a newer chain: follow the row
        seedSpent = true;
        fromSeed = false;
        log.warn('Slack token rotation: SLACK_REFRESH_TOKEN was already exchanged; using the tokens kept in Postgres');
        if (serves(row, expiredToken)) return keep(row);
        answer = await exchange(row.refreshToken, true);
      }
      const at = now();
      const next = {
        key: BOT_KEY,
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken,
        expiresAt: expiryOf(at, answer.expiresInS),
        seedHash: fromSeed ? seed : row!.seedHash,
        refreshedAt: at,
      };
      const { key: _key, ...update } = next;
      await tx.insert(slackTokens).values(next).onConflictDoUpdate({ target: slackTokens.key, set: update });
      log.info({ expiresAt: next.expiresAt.toISOString(), from: fromSeed ? 'SLACK_REFRESH_TOKEN' : 'postgres' }, 'Slack token rotation: refreshed the bot token');
      return keep(next);
    });
  }

  /** One refresh at a time in this process; a refused refresh keeps a still-valid token and waits a minute. */
  function refreshOnce(expiredToken?: string): Promise<string> {
    inFlight ??= refresh(expiredToken)
      .then(
        (token) => {
          retryAt = undefined;
          return token;
        },
        (err: unknown) => {
          const at = now();
          if (held && held.accessToken !== expiredToken && stillValid(held.expiresAt, at)) {
            retryAt = new Date(at.getTime() + RETRY_REFRESH_AFTER_MS);
            log.error({ err: (err as Error).message, expiresAt: held.expiresAt.toISOString() }, 'Slack token rotation: the refresh failed; using the current token until it expires');
            return held.accessToken;
          }
          throw err;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    async current() {
      const at = now();
      if (held && !refreshDue(held.expiresAt, at, aheadMs)) return held.accessToken;
      if (held && retryAt && at < retryAt && stillValid(held.expiresAt, at)) return held.accessToken;
      return refreshOnce();
    },
    async expired(token) {
      if (held?.accessToken === token) held = undefined;
      return refreshOnce(token);
    },
  };
}

/** Whether `err` is Slack's answer to a call made with an expired token (docs.slack.dev: `token_expired`). */
export function isTokenExpired(err: unknown): boolean {
  return platformError(err) === 'token_expired';
}
