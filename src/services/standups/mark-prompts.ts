import { and, inArray, sql } from 'drizzle-orm';
import { standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

/**
 * Sets a member's prompts not yet answered (`pending`, `sent`) to `skipped` (/standup skip) or `ooo` (/standup ooo)
 * and re-renders their runs' reports (report version + 1, one render-report wake-up per run).
 */
export async function markPrompts(deps: Deps, promptIds: number[], status: 'skipped' | 'ooo'): Promise<void> {
  if (promptIds.length === 0) return;
  const changed = await deps.db
    .update(standupPrompts)
    .set({ status })
    .where(and(inArray(standupPrompts.id, promptIds), inArray(standupPrompts.status, ['pending', 'sent'])))
    .returning({ runId: standupPrompts.runId });
  const runIds = [...new Set(changed.map((c) => c.runId))];
  if (runIds.length === 0) return;
  const bumped = await deps.db
    .update(standupRuns)
    .set({ reportVersion: sql`${standupRuns.reportVersion} + 1` })
    .where(inArray(standupRuns.id, runIds))
    .returning({ id: standupRuns.id, version: standupRuns.reportVersion });
  await deps.wakeups.renderReports(bumped.map((b) => ({ runId: b.id, version: b.version })));
}
