import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { blockerNotices, blockers } from '../../db/schema/index.js';
import type { EscalationPolicy, Severity } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import type { BlockerRow } from './rows.js';

/** What a new episode of a gate's escalation says and whom it pings. */
export interface Episode {
  text: string;
  severity: Severity;
  owner: string | undefined;
  policy: EscalationPolicy;
}

/**
 * Starts a gate's escalation blocker over as a new episode (a gate failed again, or overdue again after a
 * withdrawn sign-off): open, from the ladder's first level, due now, with a new version and message version. The
 * notices of the earlier episode are deleted in the same transaction, or their unique key (blocker, level,
 * attempt, recipient) would swallow this episode's DMs to people that episode already pinged at the same level.
 * Then wakes the escalation processor and the message renderer.
 * @param onlyIf the condition the row must still meet (checked in the UPDATE, so two processes reopen it once).
 * @returns the reopened row, or null when `onlyIf` no longer held (another process reopened it first).
 */
export async function reopenEscalation(deps: Deps, blockerId: number, episode: Episode, onlyIf: SQL): Promise<BlockerRow | null> {
  const now = deps.clock.now().toJSDate();
  const reopened = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(blockers)
      .set({
        status: 'open',
        text: episode.text,
        severity: episode.severity,
        owner: episode.owner,
        policy: episode.policy,
        levelsDone: 0,
        repeatsDone: 0,
        lastLevel: null,
        lastNotifiedAt: null,
        acknowledgedBy: [],
        resolvedAt: null,
        resolvedBy: null,
        raisedAt: now,
        nextDueAt: now,
        version: sql`${blockers.version} + 1`,
        messageVersion: sql`${blockers.messageVersion} + 1`,
      })
      .where(and(eq(blockers.id, blockerId), onlyIf))
      .returning();
    if (row) await tx.delete(blockerNotices).where(and(eq(blockerNotices.blockerId, row.id), inArray(blockerNotices.status, ['sent', 'cancelled', 'failed'])));
    return row ?? null;
  });
  if (!reopened) return null;
  await deps.wakeups.escalate([{ blockerId: reopened.id, version: reopened.version, dueAt: now, now }]);
  await deps.wakeups.renderBlockers([{ blockerId: reopened.id, version: reopened.messageVersion }]);
  return reopened;
}
