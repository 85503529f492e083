import { date, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One daily digest per program-local date (unique: the exactly-once guard for two processes or a re-run after a
 * crash). Its message is an outbound message (`outbound_messages`, kind `digest`, key `digest:<date>`); its
 * chart is uploaded once into that message's thread with files.uploadV2: the delivery `digest_chart` owned by the
 * digest's id (`deliveries`, services/digest/chart-upload.ts), whose `ts` is the uploaded file's id.
 */
export const digests = pgTable('digests', {
  id: serial('id').primaryKey(),
  localDate: date('local_date', { mode: 'string' }).notNull().unique(),
  windowFrom: ts('window_from').notNull(),
  windowTo: ts('window_to').notNull(),
  /** The digest message (outbound_messages.id); its `ts` is the thread the chart goes in. */
  messageId: integer('message_id').notNull(),
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
