import { pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** drafting (claimed, before Slack answered) → published (canvas or file recorded); failed: Slack refused both, retried by the next request or sweep. */
export type RetroStatus = 'drafting' | 'published' | 'failed';

/**
 * The launch's retrospective as published in Slack (issue 23, services/retro/publish.ts): one row per program (`key`
 * `launch`), so drafting it is exactly once across replicas; `canvas_id` when it is a canvas, `file_id` when canvases
 * were refused and it went out as a Markdown file. `requested_by`: who typed `/preflight retro`; null when Preflight
 * drafted it itself after `program.end`.
 */
export const retrospectives = pgTable('retrospectives', {
  id: serial('id').primaryKey(),
  key: text('key').notNull().unique(),
  status: text('status').$type<RetroStatus>().notNull(),
  channel: text('channel').notNull(),
  canvasId: text('canvas_id'),
  fileId: text('file_id'),
  requestedBy: text('requested_by'),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  publishedAt: ts('published_at'),
});
