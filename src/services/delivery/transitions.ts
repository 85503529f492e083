import { and, eq, inArray, lte, sql, type SQL, type Subquery } from 'drizzle-orm';
import { deliveries, type DeliveryStatus } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { isPermanent, platformError, rateLimitedFor } from '../slack-errors.js';

/**
 * The only module that changes a row of `deliveries` (src/db/schema/deliveries.ts): every sender moves its
 * message's reservation through these named transitions.
 *
 *   open      (none) → pending
 *   openClaimed  (none) → sending          opened already claimed (its first claim), for a caller that holds a
 *                                          lock serialising every send of the message and saw it never opened
 *   cancel    sending → cancelled          claimed, then found not wanted any more (the blocker was resolved)
 *   claim     pending → sending            counts the claim (claims, attempts; first_claimed_at kept); a
 *                                          `serialised` claim (its caller holds a lock) also takes over a
 *                                          claim left sending by a render that died
 *   reconfirm sending → sending            renews claimed_at, only while the claim is still ours
 *   record    sending → sent               ts, conversation, thread, sent_at; only while the claim is ours
 *   park      sending → failed             a permanent refusal (last_error), or nothing to send
 *   release   sending → pending            a transient failure: the claim stays counted (the next one searches
 *                                          Slack first); `uncount` gives it back (Slack performed nothing)
 *   releaseStale  sending → pending        every claim older than `before` (its process died mid-call)
 *   forget    sent → pending               a message deleted in Slack: the next render posts it anew
 *   recordPermalink  sent → sent           the message's permalink (chat.getPermalink)
 *   giveUp    pending → failed|cancelled   deliveries not claimed that cannot happen (their thread could not
 *                                          be posted) or are not wanted any more (the blocker was acknowledged)
 *
 * "Still ours": the row is sending with the `claimed_at` this claim stamped (released as stale and claimed
 * again by another worker, it is not).
 */

/** A delivery: the message of kind `kind` owned by the row keyed `ownerKey` (its reservation id is `<kind>-<ownerKey>`). */
export interface DeliveryRef {
  kind: string;
  ownerKey: string | number;
}

/** A claim of a delivery (see {@link claim}). */
export interface DeliveryClaim {
  /** Claims without a recorded `ts`, this one included: more than 1 means look in Slack before sending. */
  claims: number;
  /** The first of those claims: the search for an earlier attempt starts (a little before) here. */
  firstClaimedAt: Date | null;
  /** This claim's `claimed_at`: the claim is ours while the row is sending with this value. */
  claimedAt: Date;
  /** The conversation an earlier attempt landed in, when known (a DM's IM channel: spares a conversations.open). */
  conversation: string | null;
}

/** Where a message landed: its `ts` (a file upload: the file id), the conversation (null: not known) and the thread. */
export interface Landed {
  ts: string;
  channel: string | null;
  threadTs?: string | null;
}

/** Postgres, or a transaction on it. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** The reservation id of a delivery, `<kind>-<ownerKey>` (its Slack message metadata and its log lines). */
export const reservationOf = (ref: DeliveryRef) => `${ref.kind}-${ref.ownerKey}`;

const isRef = (ref: DeliveryRef) => and(eq(deliveries.kind, ref.kind), eq(deliveries.ownerKey, String(ref.ownerKey)));
const stillOurs = (ref: DeliveryRef, claimedAt: Date) => and(isRef(ref), eq(deliveries.status, 'sending'), eq(deliveries.claimedAt, claimedAt));

/**
 * Opens deliveries (pending) through `db`: pass the transaction that writes their owners, so both commit or neither.
 * A delivery already open is left as it is.
 */
export async function open(db: DbOrTx, refs: DeliveryRef | DeliveryRef[], createdAt: Date): Promise<void> {
  const list = Array.isArray(refs) ? refs : [refs];
  if (!list.length) return;
  await db
    .insert(deliveries)
    .values(list.map((ref) => ({ kind: ref.kind, ownerKey: String(ref.ownerKey), createdAt })))
    .onConflictDoNothing({ target: [deliveries.kind, deliveries.ownerKey] });
}

/**
 * {@link open} as one statement of a data-modifying CTE, for owners another CTE of the same statement inserts (so
 * they commit together, in one round trip): one delivery of `kind` per row of each source's `from` (a CTE or
 * subquery whose rows have an integer `id`, the owner key). A delivery already open is left as it is.
 * @returns the INSERT, to pass to `db.$with(alias).as(...)`.
 */
export function openFor(sources: ReadonlyArray<{ kind: string; from: Subquery }>, createdAt: Date): SQL {
  const at = createdAt.toISOString();
  const selects = sources.map(({ kind, from }) => sql`SELECT ${kind}, id::text, ${at}::timestamptz FROM ${from}`);
  return sql`INSERT INTO ${deliveries} (kind, owner_key, created_at) ${sql.join(selects, sql` UNION ALL `)} ON CONFLICT (kind, owner_key) DO NOTHING`;
}

/**
 * Claims a pending delivery (pending → sending) and counts the claim. With `serialised` (the caller holds a lock
 * that serialises every send of this message, e.g. a versioned message's render), a delivery left sending by a
 * call that died is claimed again at once. With `when`, only while that condition holds too (checked in the same
 * UPDATE: e.g. an escalation DM only once its notice is due).
 * @returns the claim, or null when it is not pending (sent, failed, claimed by another worker), not open, or `when`
 *   does not hold.
 */
export async function claim(deps: Pick<Deps, 'db' | 'clock'>, ref: DeliveryRef, opts: { serialised?: boolean; when?: SQL } = {}): Promise<DeliveryClaim | null> {
  const now = deps.clock.now().toJSDate();
  const [row] = await deps.db
    .update(deliveries)
    .set({
      status: 'sending',
      claimedAt: now,
      claims: sql`${deliveries.claims} + 1`,
      attempts: sql`${deliveries.attempts} + 1`,
      firstClaimedAt: sql`coalesce(${deliveries.firstClaimedAt}, ${now}::timestamptz)`,
    })
    .where(and(isRef(ref), opts.serialised ? inArray(deliveries.status, ['pending', 'sending']) : eq(deliveries.status, 'pending'), opts.when))
    .returning({ claims: deliveries.claims, firstClaimedAt: deliveries.firstClaimedAt, conversation: deliveries.conversation });
  return row ? { claims: row.claims, firstClaimedAt: row.firstClaimedAt, claimedAt: now, conversation: row.conversation } : null;
}

/**
 * Opens a delivery already claimed ((none) → sending, its first claim counted), in one INSERT instead of
 * {@link open} then {@link claim}. For a caller that holds a lock serialising every send of this message and read
 * it as never opened (a versioned message's first render).
 * @returns the claim (`claims` 1: nothing to look for in Slack), or null when the delivery was opened meanwhile by
 *   someone else: {@link claim} it instead.
 */
export async function openClaimed(deps: Pick<Deps, 'db' | 'clock'>, ref: DeliveryRef): Promise<DeliveryClaim | null> {
  const now = deps.clock.now().toJSDate();
  const rows = await deps.db
    .insert(deliveries)
    .values({ kind: ref.kind, ownerKey: String(ref.ownerKey), createdAt: now, status: 'sending', claimedAt: now, claims: 1, attempts: 1, firstClaimedAt: now })
    .onConflictDoNothing({ target: [deliveries.kind, deliveries.ownerKey] })
    .returning({ id: deliveries.id });
  return rows.length ? { claims: 1, firstClaimedAt: now, claimedAt: now, conversation: null } : null;
}

/**
 * Checks that the claim stamped `claimedAt` is still ours and renews it (claimed_at = now) in one conditional
 * UPDATE: called right before the Slack call that sends, so it gets a whole `scheduler.reclaim_after` before the
 * stale-claim release can hand the delivery to another worker.
 * @returns the renewed `claimed_at`, or null when the claim is not ours any more: do not send.
 */
export async function reconfirm(deps: Pick<Deps, 'db' | 'clock'>, ref: DeliveryRef, claimedAt: Date): Promise<Date | null> {
  const now = deps.clock.now().toJSDate();
  const rows = await deps.db.update(deliveries).set({ claimedAt: now }).where(stillOurs(ref, claimedAt)).returning({ id: deliveries.id });
  return rows.length ? now : null;
}

/**
 * Records where the message landed (sending → sent), if the claim stamped `claimedAt` is still ours.
 * @returns false when it is not (another worker owns the delivery now; nothing is written).
 */
export async function record(deps: Pick<Deps, 'db' | 'clock'>, ref: DeliveryRef, claimedAt: Date, landed: Landed): Promise<boolean> {
  const rows = await deps.db
    .update(deliveries)
    .set({
      status: 'sent',
      ts: landed.ts,
      ...(landed.channel ? { conversation: landed.channel } : {}),
      ...(landed.threadTs ? { threadTs: landed.threadTs } : {}),
      sentAt: deps.clock.now().toJSDate(),
    })
    .where(stillOurs(ref, claimedAt))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/**
 * Parks a delivery as failed (sending → failed): Slack refused it for good, or there is nothing to send.
 * Only the claim stamped `claimedAt`. `error` is kept as `last_error`.
 */
export async function park(deps: Pick<Deps, 'db'>, ref: DeliveryRef, claimedAt: Date, error: string | null): Promise<void> {
  await deps.db.update(deliveries).set({ status: 'failed', lastError: error }).where(stillOurs(ref, claimedAt));
}

/**
 * Cancels a claimed delivery that is not wanted any more (sending → cancelled), before anything was sent, with
 * `reason` as `last_error` (e.g. `expired`: its check-in closed). Only the claim stamped `claimedAt`.
 */
export async function cancel(deps: Pick<Deps, 'db'>, ref: DeliveryRef, claimedAt: Date, reason: string | null = null): Promise<void> {
  await deps.db.update(deliveries).set({ status: 'cancelled', lastError: reason }).where(stillOurs(ref, claimedAt));
}

/**
 * Gives a claim back (sending → pending) after a transient failure: the claim stays counted, so the next claim
 * looks in Slack first. With `uncount` (Slack performed nothing: a 429, or the message was not ready), the claim
 * is un-counted too, so the next one does not search for a message that cannot exist. Only the claim stamped
 * `claimedAt`. `error` is kept as `last_error`.
 */
export async function release(deps: Pick<Deps, 'db'>, ref: DeliveryRef, claimedAt: Date, opts: { uncount?: boolean; error?: string | null } = {}): Promise<void> {
  const uncount: Record<string, SQL> = opts.uncount
    ? {
        claims: sql`greatest(${deliveries.claims} - 1, 0)`,
        firstClaimedAt: sql`CASE WHEN ${deliveries.claims} <= 1 THEN NULL ELSE ${deliveries.firstClaimedAt} END`,
      }
    : {};
  await deps.db
    .update(deliveries)
    .set({ status: 'pending', claimedAt: null, ...uncount, ...(opts.error === undefined ? {} : { lastError: opts.error }) })
    .where(stillOurs(ref, claimedAt));
}

/**
 * After a failed Slack call: a permanent error for this conversation (slack-errors.ts isPermanent) parks the
 * delivery; a 429 releases it uncounted (Slack performed nothing, the retry need not search); anything else (5xx,
 * a timeout: it may have landed) releases it for a retry that searches first. Only while the claim is ours.
 * @returns true when parked.
 */
export async function parkOrRelease(deps: Pick<Deps, 'db'>, ref: DeliveryRef, claimedAt: Date, err: unknown): Promise<boolean> {
  const error = platformError(err) ?? (err instanceof Error ? err.message : String(err));
  if (isPermanent(err)) {
    await park(deps, ref, claimedAt, error);
    return true;
  }
  await release(deps, ref, claimedAt, { uncount: rateLimitedFor(err) !== null, error });
  return false;
}

/**
 * Releases every delivery claimed at or before `before` and never finished (its process died mid-call); they keep
 * their claim count, so their next claim first looks in Slack for what the dead process may have sent.
 * @returns how many were released, per kind (kinds with none are left out).
 */
export async function releaseStale(deps: Pick<Deps, 'db'>, before: Date): Promise<Record<string, number>> {
  const rows = await deps.db
    .update(deliveries)
    .set({ status: 'pending', claimedAt: null })
    .where(and(eq(deliveries.status, 'sending'), lte(deliveries.claimedAt, before)))
    .returning({ kind: deliveries.kind });
  const released: Record<string, number> = {};
  for (const { kind } of rows) released[kind] = (released[kind] ?? 0) + 1;
  return released;
}

/**
 * Gives up deliveries that are still pending (never claimed, or released): failed when they can no longer happen
 * (the replies of a thread whose parent Slack refused), cancelled when they are not wanted any more (the escalation
 * DMs of a blocker acknowledged or resolved), with `error` as `last_error`, through `db`.
 * @returns the owner keys of those given up.
 */
export async function giveUp(db: DbOrTx, kind: string, ownerKeys: (string | number)[], status: 'failed' | 'cancelled', error: string | null = null): Promise<string[]> {
  if (!ownerKeys.length) return [];
  const rows = await db
    .update(deliveries)
    .set({ status, lastError: error })
    .where(and(eq(deliveries.kind, kind), inArray(deliveries.ownerKey, ownerKeys.map(String)), eq(deliveries.status, 'pending')))
    .returning({ ownerKey: deliveries.ownerKey });
  return rows.map((r) => r.ownerKey);
}

/**
 * Forgets a message that was deleted in Slack (`message_not_found` on an edit): sent → pending, without its `ts`,
 * conversation, permalink or claims, so that the next render posts it anew (and searches for nothing).
 */
export async function forget(deps: Pick<Deps, 'db'>, ref: DeliveryRef): Promise<void> {
  await deps.db.update(deliveries).set({ status: 'pending', ts: null, conversation: null, permalink: null, claims: 0, firstClaimedAt: null, claimedAt: null, sentAt: null }).where(isRef(ref));
}

/** Records the permalink (chat.getPermalink; null when Slack gave none) of a sent message. */
export async function recordPermalink(deps: Pick<Deps, 'db'>, ref: DeliveryRef, permalink: string | null): Promise<void> {
  await deps.db
    .update(deliveries)
    .set({ permalink })
    .where(and(isRef(ref), eq(deliveries.status, 'sent')));
}

/** What a delivery stands at: its status, and where it landed. */
export interface DeliveryState {
  status: DeliveryStatus;
  ts: string | null;
  conversation: string | null;
  permalink: string | null;
}

/**
 * The state of a delivery (null when it was never opened). Pass the open transaction (`{ db: tx }`) when called
 * inside one: a job that holds a transaction and asks the pool for a second connection can starve the pool (all its
 * connections idle in transaction, each job waiting for one more), as the escalation benchmark showed at pool 10.
 */
export async function stateOf(deps: { db: DbOrTx }, ref: DeliveryRef): Promise<DeliveryState | null> {
  const [row] = await deps.db.select({ status: deliveries.status, ts: deliveries.ts, conversation: deliveries.conversation, permalink: deliveries.permalink }).from(deliveries).where(isRef(ref));
  return row ?? null;
}
