import type { blockerEvents, blockerNotices, blockers } from '../../db/schema/index.js';

/**
 * Row types of the blocker tables, shared by the blocker and go/no-go services. Kept apart from the use
 * cases so that importing a row type never pulls in (or cycles through) raise, act or the gates.
 */
export type BlockerRow = typeof blockers.$inferSelect;
export type BlockerEventRow = typeof blockerEvents.$inferSelect;
export type BlockerNoticeRow = typeof blockerNotices.$inferSelect;
