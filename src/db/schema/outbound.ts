import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** What an outbound message is (its Slack message metadata `event_type` is `preflight_<kind>`). */
export type OutboundKind = 'gonogo_summary' | 'gonogo_reminder' | 'decision' | 'withdrawal' | 'gate_outcome' | 'task_start' | 'digest' | 'plan_reload_failed' | 'war_room' | 'tracker_token_refused';
/**
 * What an outbound message is about (see `outbound_messages.about`): the go/no-go reminder's gates (config ids) and
 * the go/no-go time it reminds of (`gonogo.at` as configured then).
 */
export interface OutboundAbout {
  gates: string[];
  gonogoAt?: string;
}

/**
 * Messages that belong to no other row (go/no-go summaries and their overflow replies, go/no-go reminders,
 * decision announcements, sign-off withdrawal notices, gate pass/fail notices to waiting and downstream workstreams), rendered when queued and delivered once through
 * services/delivery: each has a delivery (`deliveries`, kind = its kind, owner key = its id) that holds its status,
 * `ts` and conversation. `key` (unique) is what makes queuing the same message twice a no-op.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<OutboundKind>().notNull(),
    key: text('key').notNull().unique(),
    /** A channel id, or a user id for a DM. */
    channel: text('channel').notNull(),
    /** A reply in the thread of this other outbound message (posted once that one has a `ts`). */
    parentId: integer('parent_id'),
    text: text('text').notNull(),
    blocks: jsonb('blocks').$type<unknown[]>(),
    createdAt: ts('created_at').notNull(),
    /**
     * What the message is about, when its text follows that thing's state (the go/no-go reminder: its gates). Such a
     * message is re-rendered when the thing changes (`version` + 1, new `text`) and, once sent, edited in place
     * while `rendered_version` is lower (services/delivery/outbound.ts restateOutbound; services/gonogo/reminders.ts).
     */
    about: jsonb('about').$type<OutboundAbout>(),
    version: integer('version').notNull().default(1),
    /** The `version` Slack shows (set when posted, then by each edit). */
    renderedVersion: integer('rendered_version').notNull().default(0),
  },
  (t) => [index('outbound_messages_parent_idx').on(t.parentId)],
);
