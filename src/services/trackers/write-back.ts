import { and, asc, eq, inArray, isNull, sql, type SQL, type Subquery } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { blockers, trackerIssues, trackerWritebacks } from '../../db/schema/index.js';
import type { Program } from '../../domain/program/program.js';
import { workstreamZone } from '../../domain/program/program.js';
import { blockerMessageDelivery } from '../blockers/delivery-kinds.js';
import * as transitions from '../delivery/transitions.js';
import type { Deps } from '../deps.js';
import type { TrackerAdapter } from './adapter.js';
import { type ConfiguredSource, configuredSources } from './sources.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/*
 * Write-back to the tracker (issue 21, `write_back: true` sources only), exactly once per purpose through
 * `tracker_writebacks` (an outbox): the service that decides (a task done, an escalation step, `/task block`) inserts a
 * row in its own transaction or right after, keyed (issue, purpose) with on-conflict-do-nothing; the tracker sync's
 * worker (services/trackers/sync.ts `drainWriteBacks`, run by jobs/tracker-poll.ts) performs pending rows under the
 * source's lock and sets `done_at`, so nothing waits on a tracker on the ack path, and a failure is retried later.
 * A crash between the tracker's answer and `done_at` repeats that one call (at least once for the call itself).
 */

/** What a write-back does: move the issue to done, or comment. */
export type WriteBackPurpose = 'done' | `escalation:${number}:${number}` | `blocker:${number}`;

/**
 * The INSERT of one write-back (`tracker_writebacks`) for a task that is a stored issue (not deleted) of a
 * `write_back: true` source; it inserts nothing for any other task, or when `after` (a CTE of the same statement,
 * cross-joined) returns no row. On conflict (queued before) it does nothing. `now` is stored as `created_at` (UTC).
 * @returns the statement, or null when no configured source writes back (nothing could be queued).
 */
export function writeBackInsert(config: Pick<Program, 'workstreams'>, issueKey: string, purpose: WriteBackPurpose, now: Date, after?: Subquery): SQL | null {
  const writing = configuredSources(config)
    .filter((s) => s.settings.write_back)
    .map((s) => s.sourceId);
  if (!writing.length) return null;
  return sql`INSERT INTO ${trackerWritebacks} (issue_key, purpose, source_id, created_at)
    SELECT ${issueKey}, ${purpose}, ${trackerIssues.sourceId}, ${now.toISOString()}::timestamptz FROM ${trackerIssues}${after ? sql`, ${after}` : sql``}
    WHERE ${and(eq(trackerIssues.key, issueKey), isNull(trackerIssues.deletedAt), inArray(trackerIssues.sourceId, writing))}
    ON CONFLICT DO NOTHING`;
}

/**
 * Queues one write-back for a task that is a tracker issue of a `write_back: true` source; nothing for any other task.
 * One statement ({@link writeBackInsert}).
 * @param db the caller's transaction or the pool.
 * @returns whether a new row was queued (false: not a writing source, or queued before).
 */
export async function queueWriteBack(db: Db | Tx, config: Pick<Program, 'workstreams'>, issueKey: string, purpose: WriteBackPurpose, now: Date): Promise<boolean> {
  const insert = writeBackInsert(config, issueKey, purpose, now);
  if (!insert) return false;
  const res = await db.execute(sql`${insert} RETURNING issue_key`);
  return res.rows.length > 0;
}

const TARGET_NAMES: Record<string, string> = { lead: 'the lead', pm: 'the PM', exec: 'the execs' };

/**
 * The comment of an escalation step: `Overdue since 14:00 (Europe/Berlin); escalated to the lead` (the task's due
 * time in its workstream's zone; level 1 is the owner: `the owner was told`), or null when the blocker is gone.
 */
export async function escalationComment(deps: Pick<Deps, 'db' | 'config'>, blockerId: number, level: number): Promise<string | null> {
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, blockerId));
  if (!b) return null;
  const zone = b.workstreamId ? workstreamZone(deps.config, b.workstreamId) : deps.config.program.timezone;
  const since = DateTime.fromJSDate(b.dueAt ?? b.raisedAt, { zone }).toFormat('HH:mm');
  const notify = b.policy.ladder[level]?.notify;
  const to = level === 0 ? 'the owner was told' : `escalated to ${typeof notify === 'string' ? (TARGET_NAMES[notify] ?? notify) : 'the next level'}`;
  return `Overdue since ${since} (${zone}); ${to}.`;
}

/**
 * Performs the pending write-backs of one source, oldest first, each once: `done` → `moveToDone`, an escalation
 * step or a blocker → `addComment` (the blocker's Slack permalink once its message is posted; until then it waits).
 * A failure records `last_error` on the row and stops there (the next run retries it).
 * @returns how many were performed.
 * @throws the adapter's error after recording it (the sync's fault handling takes it).
 */
export async function performWriteBacks(deps: Pick<Deps, 'db' | 'config' | 'clock'>, source: ConfiguredSource, adapter: TrackerAdapter, limit = 50): Promise<number> {
  const pending = await deps.db
    .select()
    .from(trackerWritebacks)
    .where(and(eq(trackerWritebacks.sourceId, source.sourceId), isNull(trackerWritebacks.doneAt)))
    .orderBy(asc(trackerWritebacks.createdAt), asc(trackerWritebacks.issueKey), asc(trackerWritebacks.purpose))
    .limit(limit);
  let done = 0;
  for (const w of pending) {
    const where = and(eq(trackerWritebacks.issueKey, w.issueKey), eq(trackerWritebacks.purpose, w.purpose));
    try {
      const [kind, a, b] = w.purpose.split(':');
      if (kind === 'done') await adapter.moveToDone(w.issueKey);
      else if (kind === 'escalation') {
        const text = await escalationComment(deps, Number(a), Number(b));
        if (text) await adapter.addComment(w.issueKey, text);
      } else if (kind === 'blocker') {
        const permalink = (await transitions.stateOf(deps, blockerMessageDelivery(Number(a))))?.permalink;
        if (!permalink) continue; // posted soon: the next run comments
        await adapter.addComment(w.issueKey, `Blocked in Slack (B-${a}): ${permalink}`);
      }
      await deps.db.update(trackerWritebacks).set({ doneAt: deps.clock.now().toJSDate(), lastError: null }).where(where);
      done++;
    } catch (err) {
      await deps.db
        .update(trackerWritebacks)
        .set({ lastError: (err as Error).message })
        .where(where);
      throw err;
    }
  }
  return done;
}
