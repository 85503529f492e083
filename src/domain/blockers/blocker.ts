export type BlockerStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * How a blocker was raised: `command` (`/blocker …`, and `/task block`), `modal` (the `/blocker` form), `standup`
 * (a check-in answer's blockers field), `gate` (a gate not signed off by its due time, or failed) or `task` (a task
 * not done by its due time). Stored in `blockers.source`; exported and served as the record's `source`.
 */
export const BLOCKER_SOURCES = ['command', 'modal', 'standup', 'gate', 'task'] as const;
export type BlockerSource = (typeof BLOCKER_SOURCES)[number];

/** The short id users see: B-42. */
export const shortId = (id: number) => `B-${id}`;

/** Parses "B-42", "b42", "42" into 42, else null. */
export function parseShortId(text: string): number | null {
  const m = /^(?:b-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}
