import { and, eq, type SQL, sql } from 'drizzle-orm';
import { blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { EscalationPolicy, Severity } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import type { BlockerRow } from './rows.js';
import { blockerView } from './view.js';
import * as transitions from '../delivery/transitions.js';
import { blockerMessageDelivery, NOTICE, noticeJoin } from './delivery-kinds.js';
import { retryingTransaction } from '../../db/retry-transaction.js';
import { lockNoticeEdits } from './delivery.js';

/** What a new episode of a gate's escalation says and whom it pings. */
export interface Episode {
  text: string;
  severity: Severity;
  owner: string | undefined;
  policy: EscalationPolicy;
  /** Who the episode is raised by (shown as "Raised by"): who failed the gate, or the PM for an overdue gate. */
  reporter: string;
  /** When the gate was due, for an overdue-gate episode; null for a failure. */
  dueAt: Date | null;
}

/**
 * Starts a gate's escalation blocker over as a new episode (a gate failed again, or overdue again after a
 * withdrawn sign-off): open, from the ladder's first level, due now, with a new version, message version and
 * episode number. The notices of the earlier episode stay, under their own episode (the unique key (blocker,
 * episode, level, attempt, recipient) lets this episode DM the same people again): the ones not sent yet are
 * cancelled, and the DMs already sent get the blocker as the earlier episode ended (`closed_view`: resolved, by
 * whom and when; "resolved" at the reopening when it had not been), which their last edit shows
 * (delivery.ts updateNotices), never the new episode's text. All in one transaction, taken after the DM edits' lock
 * (delivery.ts lockNoticeEdits) and run again when Postgres aborts it
 * for a deadlock (db/retry-transaction.ts). Then wakes the escalation
 * processor, the message renderer and the DM edits.
 * @param onlyIf the condition the row must still meet (checked under the row lock, so two processes reopen it once).
 * @returns the reopened row, or null when `onlyIf` no longer held (another process reopened it first).
 */
export async function reopenEscalation(deps: Deps, blockerId: number, episode: Episode, onlyIf: SQL): Promise<BlockerRow | null> {
  const now = deps.clock.now().toJSDate();
  // the DM edits' lock first (lockNoticeEdits), so this and updateNotices never hold each other's rows; should another
  // writer still deadlock with it, Postgres aborts one and this one runs again (the whole transaction, nothing outside it)
  const reopened = await retryingTransaction(() =>
    deps.db.transaction(async (tx) => {
      await lockNoticeEdits(tx, blockerId);
      const [old] = await tx
        .select()
        .from(blockers)
        .where(and(eq(blockers.id, blockerId), onlyIf))
        .for('update');
      if (!old) return null;
      const ended: BlockerRow = old.status === 'resolved' ? old : { ...old, status: 'resolved', resolvedAt: now, resolvedBy: null };
      await tx
        .update(blockerNotices)
        .set({ closedView: blockerView(deps.config, ended, now, undefined, (await transitions.stateOf({ db: tx }, blockerMessageDelivery(blockerId)))?.permalink ?? null) })
        .where(
          and(
            eq(blockerNotices.blockerId, blockerId),
            eq(blockerNotices.episode, old.episode),
            // raw SQL: drizzle writes an UPDATE's columns unqualified, which the subquery would take for its own
            sql`EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = ${NOTICE} AND d.owner_key = blocker_notices.id::text AND d.status IN ('sending', 'sent'))`,
          ),
        );
      const pending = await tx
        .select({ id: blockerNotices.id })
        .from(blockerNotices)
        .innerJoin(deliveries, noticeJoin)
        .where(and(eq(blockerNotices.blockerId, blockerId), eq(blockerNotices.episode, old.episode), eq(deliveries.status, 'pending')));
      await transitions.giveUp(
        tx,
        NOTICE,
        pending.map((n) => n.id),
        'cancelled',
      );
      const [row] = await tx
        .update(blockers)
        .set({
          status: 'open',
          text: episode.text,
          severity: episode.severity,
          owner: episode.owner,
          reporter: episode.reporter,
          policy: episode.policy,
          dueAt: episode.dueAt,
          levelsDone: 0,
          repeatsDone: 0,
          lastLevel: null,
          lastNotifiedAt: null,
          acknowledgedBy: [],
          snoozedUntil: null,
          resolvedAt: null,
          resolvedBy: null,
          raisedAt: now,
          nextDueAt: now,
          episode: old.episode + 1,
          version: sql`${blockers.version} + 1`,
          messageVersion: sql`${blockers.messageVersion} + 1`,
        })
        .where(eq(blockers.id, blockerId))
        .returning();
      return row ?? null;
    }),
  );
  if (!reopened) return null;
  await deps.wakeups.escalate([{ blockerId: reopened.id, version: reopened.version, dueAt: now, now }]);
  await deps.wakeups.renderBlockers([{ blockerId: reopened.id, version: reopened.messageVersion }]);
  await deps.wakeups.updateNotices([{ blockerId: reopened.id, version: reopened.messageVersion }]);
  return reopened;
}
