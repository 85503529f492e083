import { and, eq, gt, inArray, isNotNull, like, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { deliveries, outboundMessages, type OutboundAbout, type OutboundKind } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { OutgoingMessage } from './renderer.js';
import type { DbOrTx } from './transitions.js';
import { deliverClaim } from './deliver.js';
import { type DeliveryOutcome, messageTransport, updatePosted } from './send-once.js';
import * as transitions from './transitions.js';

/** Advisory-lock namespace of outbound edits (first key of pg_advisory_xact_lock(int, int); see blockers/delivery.ts for the others). */
const LOCK_OUTBOUND_EDIT = 5;

/**
 * The join condition of an outbound message with its delivery (`deliveries`: kind = the message's kind, owner key =
 * its id), where its status, `ts` and conversation live.
 */
export const outboundDelivery = and(eq(deliveries.kind, outboundMessages.kind), eq(deliveries.ownerKey, sql`${outboundMessages.id}::text`));

/** The delivery of outbound message `id` of kind `kind`. */
const deliveryOf = (m: { kind: string; id: number }): transitions.DeliveryRef => ({ kind: m.kind, ownerKey: m.id });

/** One message to queue: `key` is unique across all outbound messages (queuing the same key again does nothing). */
export interface OutboundItem {
  kind: OutboundKind;
  key: string;
  /** A channel id, or a user id for a DM. */
  channel: string;
  message: OutgoingMessage;
  /** Replies in this message's thread, in order (each keyed `<key>:reply-<n>`). */
  replies?: string[];
  /** What the message is about when its text follows that thing's state: it is then edited when restated ({@link restateOutbound}). */
  about?: OutboundAbout;
}

/** Postgres, or a transaction on it: what {@link insertOutbound} writes through. */
export type { DbOrTx };

/**
 * Inserts outbound messages (each with its thread replies) through `db`: pass the transaction that also writes
 * what the messages announce (an audit row, a gate change), so that a crash leaves both or neither. Does not
 * wake the worker: the caller calls `deps.wakeups.sendOutbound` with the returned ids after its commit.
 * Idempotent per `key`: a key already queued (or sent) is skipped with its replies.
 * @param now the `created_at` of the rows.
 * @returns the ids of the top-level messages newly inserted (their replies are woken by their parent's delivery).
 */
export async function insertOutbound(db: DbOrTx, now: Date, items: OutboundItem[]): Promise<number[]> {
  const queued: number[] = [];
  for (const item of items) {
    const [row] = await db
      .insert(outboundMessages)
      .values({ kind: item.kind, key: item.key, channel: item.channel, text: item.message.text, blocks: item.message.blocks ?? null, about: item.about ?? null, createdAt: now })
      .onConflictDoNothing({ target: outboundMessages.key })
      .returning({ id: outboundMessages.id });
    if (!row) continue;
    queued.push(row.id);
    await transitions.open(db, deliveryOf({ kind: item.kind, id: row.id }), now);
    const replies = item.replies ?? [];
    if (replies.length) {
      const inserted = await db
        .insert(outboundMessages)
        .values(replies.map((text, i) => ({ kind: item.kind, key: `${item.key}:reply-${i + 1}`, channel: item.channel, parentId: row.id, text, createdAt: now })))
        .onConflictDoNothing({ target: outboundMessages.key })
        .returning({ id: outboundMessages.id });
      for (const reply of inserted) await transitions.open(db, deliveryOf({ kind: item.kind, id: reply.id }), now);
    }
  }
  return queued;
}

/**
 * Records messages that belong to no other row (go/no-go posts, reminders) in one transaction, every message
 * with its thread replies (a crash leaves all of them or none), then wakes the worker that delivers them once
 * (services/delivery). Idempotent per `key`: a message already queued, or sent, is not queued again. Replies
 * in a thread are posted after their parent has a `ts`. Use {@link insertOutbound} inside a transaction of
 * your own when the messages announce a write.
 * @returns the ids of the top-level messages newly queued.
 */
export async function queueOutbound(deps: Deps, items: OutboundItem[]): Promise<number[]> {
  const now = deps.clock.now().toJSDate();
  const queued = await deps.db.transaction((tx) => insertOutbound(tx, now, items));
  await deps.wakeups.sendOutbound(queued);
  return queued;
}

/**
 * Where a top-level message Slack refused for good goes instead, or null: a go/no-go summary asked for in
 * another channel (`/gonogo`) goes to the program channel. Delivery only parks a message as failed on a
 * permanent error (services/slack-errors.ts isPermanent): for a channel post, the bot not in the channel,
 * the channel archived or gone, or posting restricted there (also a message Slack takes nowhere, such as
 * `invalid_blocks`: its fallback is refused the same way and parked, nothing is posted twice).
 */
function fallbackChannel(deps: Pick<Deps, 'config'>, m: { kind: OutboundKind; channel: string; key: string }): string | null {
  const program = deps.config.program.channel;
  return m.kind === 'gonogo_summary' && m.channel !== program && !m.key.endsWith(':fallback') ? program : null;
}

/** True when a message with this key (or, with `'prefix'`, a key starting with it) was already queued or sent. */
export async function outboundQueued(deps: Pick<Deps, 'db'>, key: string, match: 'exact' | 'prefix' = 'exact'): Promise<boolean> {
  const where = match === 'exact' ? eq(outboundMessages.key, key) : like(outboundMessages.key, `${key.replace(/[\\%_]/g, '\\$&')}%`);
  const [row] = await deps.db.select({ id: outboundMessages.id }).from(outboundMessages).where(where).limit(1);
  return Boolean(row);
}

/**
 * Delivers one queued outbound message exactly once (claim → look for an earlier attempt → post → record
 * `ts`; see send-once.ts), then wakes the next message of its thread. Thread replies go out in order: a reply
 * waits (is put back, 'not-due') until its parent has a `ts` and the replies before it are done; the one
 * before it wakes it (and the sweeper re-wakes anything left pending). Its metadata is `preflight_<kind>` /
 * `<kind>-<id>`.
 * @returns 'not-due' when it is not pending (sent, failed, another worker has it) or not its turn yet.
 */
export async function sendOutbound(deps: Deps, messageId: number): Promise<DeliveryOutcome | 'not-due'> {
  const [m] = await deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  if (!m) return 'not-due';
  const ref = deliveryOf(m);
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  let threadTs: string | undefined;
  let channel = m.channel;
  if (m.parentId !== null) {
    const [parent] = await deps.db
      .select({ channel: outboundMessages.channel, ts: deliveries.ts, conversation: deliveries.conversation })
      .from(outboundMessages)
      .innerJoin(deliveries, outboundDelivery)
      .where(eq(outboundMessages.id, m.parentId));
    const [earlier] = await deps.db
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .innerJoin(deliveries, outboundDelivery)
      .where(and(eq(outboundMessages.parentId, m.parentId), lt(outboundMessages.id, messageId), inArray(deliveries.status, ['pending', 'sending'])))
      .limit(1);
    if (!parent?.ts || earlier) {
      await transitions.release(deps, ref, claimed.claimedAt, { uncount: true });
      return 'not-due';
    }
    threadTs = parent.ts;
    channel = parent.conversation ?? parent.channel;
  }
  const message = { text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) };
  const outcome = await deliverClaim(deps, ref, claimed, messageTransport(deps, ref, { channel, threadTs, unfurlLinks: false }, message));
  if (m.about && (outcome === 'sent' || outcome === 'found')) {
    // it shows the version it was claimed with (an earlier attempt found in Slack: maybe an older one); restated
    // meanwhile, it is edited to the newer text
    const [row] = await deps.db
      .update(outboundMessages)
      .set({ renderedVersion: outcome === 'found' ? 0 : m.version })
      .where(eq(outboundMessages.id, messageId))
      .returning({ version: outboundMessages.version, renderedVersion: outboundMessages.renderedVersion });
    if (row && row.renderedVersion < row.version) await deps.wakeups.updateOutbound([{ messageId, version: row.version }]);
  }
  if (outcome === 'failed' && m.parentId === null) {
    // a thread that cannot exist: its replies are given up with it (moved to the fallback, when it has one)
    const fallback = fallbackChannel(deps, m);
    const now = deps.clock.now().toJSDate();
    const queued = await deps.db.transaction(async (tx) => {
      const replies = await tx.select({ id: outboundMessages.id, text: outboundMessages.text }).from(outboundMessages).where(eq(outboundMessages.parentId, messageId));
      const givenUp = new Set(
        await transitions.giveUp(
          tx,
          m.kind,
          replies.map((r) => r.id),
          'failed',
          'parent_failed',
        ),
      );
      if (!fallback) return [];
      const texts = replies
        .filter((r) => givenUp.has(String(r.id)))
        .sort((a, b) => a.id - b.id)
        .map((r) => r.text);
      return insertOutbound(tx, now, [{ kind: m.kind, key: `${m.key}:fallback`, channel: fallback, message, replies: texts }]);
    });
    if (queued.length) deps.log.info({ key: m.key, channel: m.channel, fallback }, 'Slack refused this channel; posting in the fallback channel instead');
    await deps.wakeups.sendOutbound(queued);
    return outcome;
  }
  // the next reply of this thread: the first reply after a top-level message, the next sibling after a reply
  const [next] = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .innerJoin(deliveries, outboundDelivery)
    .where(and(eq(outboundMessages.parentId, m.parentId ?? messageId), gt(outboundMessages.id, m.parentId === null ? 0 : messageId), eq(deliveries.status, 'pending')))
    .orderBy(outboundMessages.id)
    .limit(1);
  if (next) await deps.wakeups.sendOutbound([next.id]);
  return outcome;
}

/**
 * Restates a queued or sent message that follows a thing's state (one with an `about`, e.g. the go/no-go reminder,
 * whose gates were signed meanwhile): stores the new text (`version` + 1) only if it differs, so two processes, or a
 * sweep that re-derives it, restate it once. A message not sent yet is posted with the new text; a sent one is edited
 * in place by the `update-outbound` job (asked for here; the sweep asks again for any edit still due).
 * @returns whether the text changed.
 */
export async function restateOutbound(deps: Deps, messageId: number, message: OutgoingMessage): Promise<boolean> {
  const [row] = await deps.db
    .update(outboundMessages)
    .set({ text: message.text, blocks: message.blocks ?? null, version: sql`${outboundMessages.version} + 1` })
    .where(
      and(
        eq(outboundMessages.id, messageId),
        isNotNull(outboundMessages.about),
        // raw SQL: drizzle writes an UPDATE's columns unqualified, which the subquery would take for its own
        sql`NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = outbound_messages.kind AND d.owner_key = outbound_messages.id::text AND d.status = 'failed')`,
        sql`${outboundMessages.text} IS DISTINCT FROM ${message.text}`,
      ),
    )
    .returning({ kind: outboundMessages.kind, version: outboundMessages.version });
  if (!row) return false;
  // read after the restate committed: a delivery recorded meanwhile is seen as sent (or sees the new version itself)
  const state = await transitions.stateOf(deps, deliveryOf({ kind: row.kind, id: messageId }));
  if (state?.status === 'sent') await deps.wakeups.updateOutbound([{ messageId, version: row.version }]);
  return true;
}

/**
 * The `update-outbound` job: edits a sent message that follows a thing's state to its current `text` (chat.update on
 * its stored `ts` through services/delivery updatePosted: never a new post), once per version (serialised per
 * message; the version it shows is recorded). A message not sent yet, or already current, is left alone; an edit
 * Slack refuses for good (the message was deleted) is logged and not retried.
 * @returns 'updated', 'failed' (given up) or 'current'.
 */
export async function updateOutbound(deps: Deps, messageId: number): Promise<'updated' | 'failed' | 'current'> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_OUTBOUND_EDIT}, ${messageId})`);
    const [row] = await tx.select().from(outboundMessages).innerJoin(deliveries, outboundDelivery).where(eq(outboundMessages.id, messageId));
    if (!row) return 'current';
    const { outbound_messages: m, deliveries: d } = row;
    if (d.status !== 'sent' || !d.ts || m.renderedVersion >= m.version) return 'current';
    const res = await updatePosted(deps, m.kind, messageId, { channel: d.conversation ?? m.channel, ts: d.ts }, { text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) });
    await tx.update(outboundMessages).set({ renderedVersion: m.version }).where(eq(outboundMessages.id, messageId));
    return res;
  });
}

/** Sent messages that follow a thing's state and still show an older version of it: for the sweep. */
export async function outboundEditsDue(deps: Pick<Deps, 'db'>, limit: number): Promise<{ messageId: number; version: number }[]> {
  return deps.db
    .select({ messageId: outboundMessages.id, version: outboundMessages.version })
    .from(outboundMessages)
    .innerJoin(deliveries, outboundDelivery)
    .where(and(isNotNull(outboundMessages.about), eq(deliveries.status, 'sent'), lt(outboundMessages.renderedVersion, outboundMessages.version)))
    .limit(limit);
}

/** Pending outbound messages whose thread parent (if any) is posted: for the sweep. */
export async function outboundDue(deps: Pick<Deps, 'db'>, limit: number): Promise<number[]> {
  const parent = alias(outboundMessages, 'parent');
  const parentDelivery = alias(deliveries, 'parent_delivery');
  const rows = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .innerJoin(deliveries, outboundDelivery)
    .leftJoin(parent, eq(parent.id, outboundMessages.parentId))
    .leftJoin(parentDelivery, and(eq(parentDelivery.kind, parent.kind), eq(parentDelivery.ownerKey, sql`${parent.id}::text`)))
    .where(and(eq(deliveries.status, 'pending'), sql`(${outboundMessages.parentId} IS NULL OR ${parentDelivery.ts} IS NOT NULL)`))
    .limit(limit);
  return rows.map((r) => r.id);
}
