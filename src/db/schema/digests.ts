import { date, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type DigestChartStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One daily digest per program-local date (unique: the exactly-once guard for two processes or a re-run after a
 * crash). Its message is an outbound message (`outbound_messages`, kind `digest`, key `digest:<date>`); its
 * chart is uploaded once into that message's thread with files.uploadV2, reserved like any delivery
 * (services/delivery): pending → sending (claimed) → sent (`chart_file_id` recorded), or failed.
 */
export const digests = pgTable('digests', {
  id: serial('id').primaryKey(),
  localDate: date('local_date', { mode: 'string' }).notNull().unique(),
  windowFrom: ts('window_from').notNull(),
  windowTo: ts('window_to').notNull(),
  /** The digest message (outbound_messages.id); its `ts` is the thread the chart goes in. */
  messageId: integer('message_id').notNull(),
  chartStatus: text('chart_status').$type<DigestChartStatus>().notNull().default('pending'),
  chartClaimedAt: ts('chart_claimed_at'),
  chartClaims: integer('chart_claims').notNull().default(0),
  chartFirstClaimedAt: ts('chart_first_claimed_at'),
  chartFileId: text('chart_file_id'),
  chartSentAt: ts('chart_sent_at'),
  createdAt: ts('created_at').notNull(),
});

/**
 * Each workstream's % complete at each digest (domain/tasks/progress.ts): the digest's "change since the last
 * digest" and its chart read these.
 */
export const digestSnapshots = pgTable(
  'digest_snapshots',
  {
    localDate: date('local_date', { mode: 'string' }).notNull(),
    workstreamId: text('workstream_id').notNull(),
    /** Null when the workstream had nothing to measure (no tasks, no checklist). */
    percent: integer('percent'),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.localDate, t.workstreamId] }), index('digest_snapshots_workstream_idx').on(t.workstreamId, t.localDate)],
);
