import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { WarRoomTrigger } from '../../domain/warroom/room.js';

/**
 * The war rooms (issue 23; services/warroom): one row per room. The row is inserted (claimed) before
 * `conversations.create`, and the unique partial index allows one open room (`closed_at` null) per program, so two
 * replicas or a retry after a crash never open two; `channel_id` is recorded once the channel exists (null: claimed,
 * not created yet, or its creation is under way). `opened_by` is the trigger that opened it; `closed_at`,
 * `closed_by` and `summary` are set by `/preflight warroom close` (or when Slack refused to create it).
 */
export const warRooms = pgTable(
  'war_rooms',
  {
    id: serial('id').primaryKey(),
    /** The program's name (program.name). */
    program: text('program').notNull(),
    /** The channel name asked of Slack (the template's, or suffixed when it was taken). */
    name: text('name').notNull(),
    channelId: text('channel_id'),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }).notNull(),
    openedBy: jsonb('opened_by').$type<WarRoomTrigger>().notNull(),
    /** How many suffixed names were tried (1: the template's own). */
    nameAttempt: integer('name_attempt').notNull().default(1),
    /** When the board's link was pinned in the room (null: not yet, or no board). */
    pinnedAt: timestamp('pinned_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    closedBy: text('closed_by'),
    summary: text('summary'),
  },
  (t) => [uniqueIndex('war_rooms_one_open_per_program').on(t.program).where(sql`${t.closedAt} is null`)],
);
