import { boolean, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Where the live status board lives: a channel canvas, or (canvases not available) a pinned message. */
export type BoardKind = 'canvas' | 'message';

/**
 * The live status board of the program channel (issue 23; services/board): one row per channel, claimed before
 * anything is created in Slack. The canvas or the message itself is a delivery (`deliveries`, kind `board_canvas` or
 * `board_message`, owner key = this row's id) moved through services/delivery/transitions.ts, so it is created once:
 * its `ts` holds the canvas id (`F…`) or the message's `ts`. This row holds what the delivery does not: which of the
 * two it is, why the canvas was not used, whether the message is pinned, and the last content shown (its hash, so an
 * unchanged board is never edited) with when it was last edited.
 */
export const statusBoards = pgTable('status_boards', {
  id: serial('id').primaryKey(),
  /** The program channel (`program.channel`) the board is in. */
  channel: text('channel').notNull().unique(),
  /** null until the first refresh decided; `message` once Slack refused the canvas. */
  kind: text('kind').$type<BoardKind>(),
  /** The Slack error that made it a pinned message (e.g. `team_tier_cannot_create_channel_canvases`). */
  fallbackReason: text('fallback_reason'),
  /** The pinned-message fallback: pins.add succeeded (or said `already_pinned`). */
  pinned: boolean('pinned').notNull().default(false),
  /** sha256 (hex) of the content last shown in Slack, without its "updated" time; null before the first. */
  contentHash: text('content_hash'),
  /** When Slack last got new content (created or edited). */
  editedAt: ts('edited_at'),
  /** How many times the content was written to Slack (the create included). */
  edits: integer('edits').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});
