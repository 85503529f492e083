import { and, eq, inArray, sql } from 'drizzle-orm';
import { standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import * as transitions from '../delivery/transitions.js';
import { PROMPT } from './delivery-kinds.js';

/**
 * Sets a member's prompts not yet answered (their DM pending or sent; a DM not sent yet is cancelled) to `skipped` (/standup skip) or `ooo` (/standup ooo)
 * and re-renders their runs' reports (report version + 1, one render-report wake-up per run).
 */
export async function markPrompts(deps: Deps, promptIds: number[], status: 'skipped' | 'ooo'): Promise<void> {
  if (promptIds.length === 0) return;
  // prompts whose DM is not being sent right now (raw SQL: drizzle writes an UPDATE's columns unqualified)
  const changed = await deps.db
    .update(standupPrompts)
    .set({ status })
    .where(
      and(
        inArray(standupPrompts.id, promptIds),
        eq(standupPrompts.status, 'expected'),
        sql`EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = ${PROMPT} AND d.owner_key = standup_prompts.id::text AND d.status IN ('pending', 'sent'))`,
      ),
    )
    .returning({ id: standupPrompts.id, runId: standupPrompts.runId });
  // a DM not sent yet never will be
  await transitions.giveUp(
    deps.db,
    PROMPT,
    changed.map((c) => c.id),
    'cancelled',
    status,
  );
  const runIds = [...new Set(changed.map((c) => c.runId))];
  if (runIds.length === 0) return;
  const bumped = await deps.db
    .update(standupRuns)
    .set({ reportVersion: sql`${standupRuns.reportVersion} + 1` })
    .where(inArray(standupRuns.id, runIds))
    .returning({ id: standupRuns.id, version: standupRuns.reportVersion });
  await deps.wakeups.renderReports(bumped.map((b) => ({ runId: b.id, version: b.version })));
}
