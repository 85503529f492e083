import { and, eq, gte, lte } from 'drizzle-orm';
import { memberOutOfOffice, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { markPrompts } from './mark-prompts.js';

/**
 * `/standup ooo`: the member is out of office from `from` to `until` (inclusive, local dates). Replaces any
 * earlier span. Open runs on a date inside the span mark the member out of office. Every ladder skips them
 * meanwhile (issue 22, services/people/away.ts): `delegate` (a user ID, `/standup ooo … delegate:@ben`) covers
 * them; without one, `program.delegates` does.
 */
export async function setOutOfOffice(deps: Deps, userId: string, from: string, until: string, delegate: string | null = null): Promise<void> {
  const now = deps.clock.now().toJSDate();
  await deps.db
    .insert(memberOutOfOffice)
    .values({ userId, fromDate: from, untilDate: until, setAt: now, delegate })
    .onConflictDoUpdate({ target: memberOutOfOffice.userId, set: { fromDate: from, untilDate: until, setAt: now, delegate } });
  const open = await deps.db
    .select({ id: standupPrompts.id })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .where(and(eq(standupPrompts.userId, userId), eq(standupRuns.status, 'open'), gte(standupRuns.localDate, from), lte(standupRuns.localDate, until)));
  await markPrompts(
    deps,
    open.map((o) => o.id),
    'ooo',
  );
}

/** `/standup back`: ends the member's out-of-office. @returns false when none was set. */
export async function endOutOfOffice(deps: Deps, userId: string): Promise<boolean> {
  const removed = await deps.db.delete(memberOutOfOffice).where(eq(memberOutOfOffice.userId, userId)).returning();
  return removed.length > 0;
}
