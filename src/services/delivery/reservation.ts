import { and, eq, getTableColumns, lte, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Deps } from '../deps.js';
import { isPermanent, rateLimitedFor } from '../slack-errors.js';

/**
 * Reservations kept in their owner row's own columns, for the check-in prompt and its reminder only
 * (services/delivery/reservations.ts); every other message is a row of `deliveries`, moved by
 * services/delivery/transitions.ts.
 *
 * Where a row keeps the reservation of one message: its status (pending → sending → sent, or failed), when
 * it was claimed, how many claims it has had without recording a `ts`, the first of those claims, and the
 * `ts` (and conversation) once posted. `kind` names the message in its Slack message metadata
 * (`event_type: preflight_<kind>`, `reservation: <kind>-<row id>`).
 */
export interface StatusReservation<T extends PgTable = PgTable> {
  kind: string;
  table: T;
  id: PgColumn;
  status: PgColumn;
  values: { pending: string; sending: string; sent: string; failed: string };
  claimedAt: PgColumn;
  claims: PgColumn;
  firstClaimedAt: PgColumn;
  ts: PgColumn;
  /** Where the conversation the message landed in is stored (the IM channel id for a DM). */
  channel?: PgColumn;
  sentAt?: PgColumn;
}

/** A claimed reservation: the row as it is now (status sending), and whether an earlier claim may have posted. */
export interface Claimed<Row> {
  row: Row;
  /** Claims without a recorded `ts`, this one included: more than 1 means look in Slack before posting. */
  claims: number;
  /** The first of those claims: the conversation's history is searched from (a little before) here. */
  firstClaimedAt: Date | null;
  /** This claim's `claimed_at`: the claim is still ours while the row is sending with this value (see reconfirmClaim). */
  claimedAt: Date;
}

/** The property name under which `column` appears in its drizzle table (what `.set()` takes). */
function keyOf(table: PgTable, column: PgColumn): string {
  for (const [key, c] of Object.entries(getTableColumns(table))) if (c === column) return key;
  throw new Error(`column ${column.name} is not in this table`);
}

/** Builds a `.set()` object from column → value pairs of one table. */
function setOf(table: PgTable, pairs: [PgColumn | undefined, unknown][]): Record<string, unknown> {
  return Object.fromEntries(pairs.filter((p): p is [PgColumn, unknown] => p[0] !== undefined).map(([c, v]) => [keyOf(table, c), v]));
}

// drizzle's update builder is typed per table; these helpers are generic over the reservation's table
const update = (deps: Pick<Deps, 'db'>, table: PgTable) =>
  deps.db.update(table) as unknown as {
    set(values: Record<string, unknown>): { where(w: SQL | undefined): { returning(): Promise<Record<string, unknown>[]> } & Promise<unknown> };
  };

/**
 * Reserves row `id` (pending → sending) if it is pending and `extra` holds; counts the claim.
 * @returns the claimed row, or null when it is not pending (sent, cancelled, or another worker has it).
 */
export async function claimReservation<T extends PgTable>(deps: Pick<Deps, 'db' | 'clock'>, r: StatusReservation<T>, id: number, extra?: SQL): Promise<Claimed<T['$inferSelect']> | null> {
  const now = deps.clock.now().toJSDate();
  const [row] = await update(deps, r.table)
    .set(
      setOf(r.table, [
        [r.status, r.values.sending],
        [r.claimedAt, now],
        [r.claims, sql`${r.claims} + 1`],
        [r.firstClaimedAt, sql`coalesce(${r.firstClaimedAt}, ${now}::timestamptz)`],
      ]),
    )
    .where(and(eq(r.id, id), eq(r.status, r.values.pending), extra))
    .returning();
  if (!row) return null;
  return { row: row as T['$inferSelect'], claims: row[keyOf(r.table, r.claims)] as number, firstClaimedAt: (row[keyOf(r.table, r.firstClaimedAt)] as Date | null) ?? null, claimedAt: now };
}

/** The claim stamped `claimedAt` is still the one on the row: status sending, claimed_at unchanged (not released as stale and claimed again). */
const stillOurs = (r: StatusReservation, id: number, claimedAt: Date) => and(eq(r.id, id), eq(r.status, r.values.sending), eq(r.claimedAt, claimedAt));

/**
 * Checks that the claim stamped `claimedAt` is still ours and renews it (claimed_at = now), in one conditional
 * UPDATE: called right before chat.postMessage, so the post gets a whole `scheduler.reclaim_after` before the
 * stale-claim release can hand the message to another worker.
 * @returns the renewed `claimed_at`, or null when the claim was released (or taken by another worker): do not post.
 */
export async function reconfirmClaim(deps: Pick<Deps, 'db' | 'clock'>, r: StatusReservation, id: number, claimedAt: Date): Promise<Date | null> {
  const now = deps.clock.now().toJSDate();
  const rows = await update(deps, r.table)
    .set(setOf(r.table, [[r.claimedAt, now]]))
    .where(stillOurs(r, id, claimedAt))
    .returning();
  return rows.length ? now : null;
}

/**
 * Records where the message landed: sent, with its `ts` (and conversation), if the claim stamped `claimedAt`
 * is still ours.
 * @returns false when it is not (another worker owns the reservation now; nothing is written).
 */
export async function recordPosted(deps: Pick<Deps, 'db' | 'clock'>, r: StatusReservation, id: number, claimedAt: Date, posted: { ts: string; channel: string | null }): Promise<boolean> {
  const rows = await update(deps, r.table)
    .set(
      setOf(r.table, [
        [r.status, r.values.sent],
        [r.ts, posted.ts],
        [posted.channel ? r.channel : undefined, posted.channel],
        [r.sentAt, deps.clock.now().toJSDate()],
      ]),
    )
    .where(stillOurs(r, id, claimedAt))
    .returning();
  return rows.length > 0;
}

/**
 * Gives a reservation back after a transient failure (sending → pending); its claims stay counted, so the next
 * claim looks in Slack first. Only the claim stamped `claimedAt`, when given.
 */
export async function releaseReservation(deps: Pick<Deps, 'db'>, r: StatusReservation, id: number, claimedAt?: Date): Promise<void> {
  await update(deps, r.table)
    .set(
      setOf(r.table, [
        [r.status, r.values.pending],
        [r.claimedAt, null],
      ]),
    )
    .where(claimedAt ? stillOurs(r, id, claimedAt) : and(eq(r.id, id), eq(r.status, r.values.sending)));
}

/**
 * Gives back a claim that never called Slack (the message was not ready: a snooze began, its parent has no
 * `ts` yet), un-counting it so the next claim does not search for a message that cannot exist.
 */
export async function unclaimReservation(deps: Pick<Deps, 'db'>, r: StatusReservation, id: number, also: [PgColumn, unknown][] = [], claimedAt?: Date): Promise<void> {
  await update(deps, r.table)
    .set(
      setOf(r.table, [
        [r.status, r.values.pending],
        [r.claimedAt, null],
        [r.claims, sql`greatest(${r.claims} - 1, 0)`],
        [r.firstClaimedAt, sql`CASE WHEN ${r.claims} <= 1 THEN NULL ELSE ${r.firstClaimedAt} END`],
        ...also,
      ]),
    )
    .where(claimedAt ? stillOurs(r, id, claimedAt) : and(eq(r.id, id), eq(r.status, r.values.sending)));
}

/**
 * Ends a reservation without a message: `status` is one of the row's final values (failed, cancelled, expired…).
 * Only the claim stamped `claimedAt`, when given.
 */
export async function settleReservation(deps: Pick<Deps, 'db'>, r: StatusReservation, id: number, status: string, claimedAt?: Date): Promise<void> {
  await update(deps, r.table)
    .set(setOf(r.table, [[r.status, status]]))
    .where(claimedAt ? stillOurs(r, id, claimedAt) : eq(r.id, id));
}

/**
 * Releases reservations claimed before `before` and never finished: the process that claimed them died mid-call.
 * @returns how many were released.
 */
export async function releaseStale(deps: Pick<Deps, 'db'>, r: StatusReservation, before: Date): Promise<number> {
  const rows = await update(deps, r.table)
    .set(
      setOf(r.table, [
        [r.status, r.values.pending],
        [r.claimedAt, null],
      ]),
    )
    .where(and(eq(r.status, r.values.sending), lte(r.claimedAt, before)))
    .returning();
  return rows.length;
}

/**
 * After a failed Slack call: a permanent error for this conversation (slack-errors.ts isPermanent) parks the
 * reservation as failed; a 429 gives the claim back uncounted (Slack performed nothing, so the retry need not
 * search for an earlier post); anything else (5xx, a timeout: it may have been posted) releases it for a retry
 * that searches first. Only while the claim stamped `claimedAt` is ours.
 * @returns true when parked.
 */
export async function parkOrRelease(deps: Pick<Deps, 'db'>, r: StatusReservation, id: number, claimedAt: Date, err: unknown): Promise<boolean> {
  if (isPermanent(err)) {
    await settleReservation(deps, r, id, r.values.failed, claimedAt);
    return true;
  }
  if (rateLimitedFor(err) !== null) {
    await unclaimReservation(deps, r, id, [], claimedAt);
    return false;
  }
  await releaseReservation(deps, r, id, claimedAt);
  return false;
}
