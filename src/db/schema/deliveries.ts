import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * pending → sending (claimed, before the Slack call) → sent (`ts` recorded); or failed (parked: Slack refused it for
 * good, or there was nothing to send); or cancelled (not wanted any more before it went out).
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

/**
 * One row per message Preflight posts or edits, whatever owns it: its reservation, moved through the named
 * transitions of services/delivery/transitions.ts (claim, reconfirm, record, park, release) and nowhere else.
 * `(kind, owner_key)` is unique: the message's reservation id is `<kind>-<owner_key>` (its Slack message
 * metadata, services/delivery/send-once.ts deliveryMetadata), e.g. `digest_chart-12` for the chart of digest 12.
 * `claims` counts the claims since the `ts` was last recorded (more than 1: look in Slack before posting);
 * `attempts` counts every claim.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    /** The owning row's key (its id, as text). */
    ownerKey: text('owner_key').notNull(),
    /** The version of the owner the message shows (1 for a message posted once and never edited). */
    version: integer('version').notNull().default(1),
    /** The conversation the message landed in (the IM channel id for a DM); null until it landed. */
    conversation: text('conversation'),
    /** The thread it is a reply in, if any. */
    threadTs: text('thread_ts'),
    /** The message's `ts` (for a file upload, the file id) once delivered. */
    ts: text('ts'),
    permalink: text('permalink'),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    claimedAt: ts('claimed_at'),
    claims: integer('claims').notNull().default(0),
    firstClaimedAt: ts('first_claimed_at'),
    attempts: integer('attempts').notNull().default(0),
    /** The Slack error code (or message) of the last failed attempt. */
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('deliveries_kind_owner_key').on(t.kind, t.ownerKey), index('deliveries_status_idx').on(t.status, t.claimedAt), index('deliveries_kind_status_idx').on(t.kind, t.status)],
);
