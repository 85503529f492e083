import { eq, sql } from 'drizzle-orm';
import { dmChannels } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

/*
 * The app's DM conversation id per person (issue 25: "conversations.open never on the send path"). Slack answers a
 * chat.postMessage to a user ID with the IM channel it landed in; that id is kept in Postgres (dm_channels) the first
 * time, so a later search for an earlier attempt of a DM (lookup.ts) reads it instead of calling conversations.open
 * (Tier 3, about 50 a minute). A process also remembers the ids it wrote or read (they never change for one app and
 * person), so a DM to someone already known costs no query.
 */

/** Ids a process remembers, at most; past it the memo starts again (a query re-learns each id). */
const MEMO_MAX = 50_000;

/** Per database (one per bot process; a test's processes each have theirs): user id → IM channel id. */
const memos = new WeakMap<object, Map<string, string>>();

function memoOf(db: object): Map<string, string> {
  const memo = memos.get(db) ?? new Map<string, string>();
  memos.set(db, memo);
  return memo;
}

function memorise(db: object, userId: string, channel: string): void {
  const memo = memoOf(db);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(userId, channel);
}

/**
 * Records that the app's DM with `userId` is `channel` (a `D…` id, from chat.postMessage's or conversations.open's
 * answer). One upsert the first time in this process (written again only when it differs), nothing after.
 * @param at when it was learned (UTC; `recorded_at`).
 */
export async function rememberDmChannel(deps: Pick<Deps, 'db'>, userId: string, channel: string, at: Date): Promise<void> {
  if (memoOf(deps.db).get(userId) === channel) return;
  await deps.db
    .insert(dmChannels)
    .values({ userId, channel, recordedAt: at })
    .onConflictDoUpdate({ target: dmChannels.userId, set: { channel, recordedAt: at }, setWhere: sql`${dmChannels.channel} <> excluded.channel` });
  memorise(deps.db, userId, channel);
}

/** The app's DM channel with `userId` as last recorded (this process's memo, else Postgres), or null when never recorded. */
export async function knownDmChannel(deps: Pick<Deps, 'db'>, userId: string): Promise<string | null> {
  const memo = memoOf(deps.db).get(userId);
  if (memo) return memo;
  const [row] = await deps.db.select({ channel: dmChannels.channel }).from(dmChannels).where(eq(dmChannels.userId, userId));
  if (row) memorise(deps.db, userId, row.channel);
  return row?.channel ?? null;
}
