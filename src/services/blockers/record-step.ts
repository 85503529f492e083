import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { blockerEvents, type BlockerEventKind, blockerNotices, blockers } from '../../db/schema/index.js';
import type { StepOutcome } from '../../domain/blockers/ladder.js';
import type { OncallNote } from '../../domain/oncall/note.js';
import * as transitions from '../delivery/transitions.js';
import { writeBackInsert, type WriteBackPurpose } from '../trackers/write-back.js';
import type { Program } from '../../domain/program/program.js';
import { NOTICE, THREAD_LINE } from './delivery-kinds.js';

/** One escalation DM to reserve (a row of `blocker_notices`). Times are instants (UTC). */
export interface NoticeToReserve {
  recipient: string;
  episode: number;
  level: number;
  attempt: number;
  /** The step's due time. */
  dueAt: Date;
  /** When the DM may go: the step's due time, or the end of the recipient's quiet hours. */
  notBefore: Date;
  oncall: OncallNote | null;
  coveringFor: string[] | null;
}

/** What one escalation step writes, computed from the blocker as read at `version` (services/blockers/escalate.ts). */
export interface EscalationStep {
  blockerId: number;
  /** The blocker's version the step was computed from: nothing is written unless the row still has it. */
  version: number;
  /** The ladder's new state on the row (`version` and `message_version` are bumped by one). */
  set: { levelsDone: number; repeatsDone: number; lastLevel?: StepOutcome; lastNotifiedAt: Date; nextDueAt: Date | null };
  notices: NoticeToReserve[];
  /** The timeline event (`escalated` or `skipped`), shown in the blocker message's thread. */
  event: { kind: BlockerEventKind; at: Date; data: Record<string, unknown> };
  /** A tracker task's comment on its issue (issue 21, write_back sources only), queued with the step. */
  writeBack?: { config: Pick<Program, 'workstreams'>; issueKey: string; purpose: WriteBackPurpose };
  /** Now: the deliveries' `created_at`, and which reserved notices are due at once (`not_before` ≤ now). */
  now: Date;
}

/** The row after the step, and what to wake. */
export interface RecordedStep {
  version: number;
  messageVersion: number;
  nextDueAt: Date | null;
  /** The notices reserved now and due now (not deferred to the end of quiet hours), oldest first. */
  dueNoticeIds: number[];
  /** The timeline event's id (its thread line's delivery is open). */
  eventId: number;
}

/**
 * Writes one escalation step in a single statement (a data-modifying CTE, atomic on its own, one round trip): the
 * blocker row's ladder state, guarded by its version (optimistic: the caller read the row without locking it), the
 * notices (unique (blocker, episode, level, attempt, recipient): on conflict skipped), the timeline event, the
 * deliveries of the notices and of the event's thread line, and the optional tracker write-back. Each insert reads
 * the UPDATE's row, so when the version moved on (acknowledged, resolved, snoozed, another wake-up won) or the
 * blocker is resolved, nothing at all is written. Before, the step held the row lock across seven round trips
 * (issue 25: escalation lateness with 100,000 open timers).
 * @returns the row after the step, or null when nothing was written (stale).
 */
export async function recordEscalationStep(db: Db, step: EscalationStep): Promise<RecordedStep | null> {
  const { blockerId, version, now } = step;
  const up = db.$with('up').as(
    db
      .update(blockers)
      .set({
        ...step.set,
        version: sql`${blockers.version} + 1`,
        messageVersion: sql`${blockers.messageVersion} + 1`,
      })
      .where(and(eq(blockers.id, blockerId), eq(blockers.version, version), ne(blockers.status, 'resolved')))
      .returning({ id: blockers.id, version: blockers.version, messageVersion: blockers.messageVersion, nextDueAt: blockers.nextDueAt }),
  );
  const notices = step.notices.map((n) => ({
    recipient: n.recipient,
    episode: n.episode,
    level: n.level,
    attempt: n.attempt,
    due_at: n.dueAt.toISOString(),
    not_before: n.notBefore.toISOString(),
    oncall: n.oncall,
    covering_for: n.coveringFor,
  }));
  const reserved = db.$with('n', { id: sql<number>`id`, notBefore: sql<Date>`not_before` }).as(
    sql`INSERT INTO ${blockerNotices} (blocker_id, recipient, episode, level, attempt, due_at, not_before, oncall, covering_for)
        SELECT up.id, r.recipient, r.episode, r.level, r.attempt, r.due_at, r.not_before, r.oncall, r.covering_for
        FROM ${up}, jsonb_to_recordset(${JSON.stringify(notices)}::jsonb)
          AS r(recipient text, episode int, level int, attempt int, due_at timestamptz, not_before timestamptz, oncall jsonb, covering_for jsonb)
        ON CONFLICT DO NOTHING RETURNING id, not_before`,
  );
  const event = db.$with('e', { id: sql<number>`id` }).as(
    sql`INSERT INTO ${blockerEvents} (blocker_id, kind, actor, at, data)
        SELECT up.id, ${step.event.kind}, NULL, ${step.event.at.toISOString()}::timestamptz, ${JSON.stringify(step.event.data)}::jsonb FROM ${up}
        RETURNING id`,
  );
  const opened = db.$with('d', {}).as(
    transitions.openFor(
      [
        { kind: NOTICE, from: reserved },
        { kind: THREAD_LINE, from: event },
      ],
      now,
    ),
  );
  const writeBack = step.writeBack ? writeBackInsert(step.writeBack.config, step.writeBack.issueKey, step.writeBack.purpose, now, up) : null;
  const ctes = writeBack ? [up, reserved, event, opened, db.$with('w', {}).as(writeBack)] : [up, reserved, event, opened];
  const [row] = await db
    .with(...ctes)
    .select({
      version: up.version,
      messageVersion: up.messageVersion,
      nextDueAt: up.nextDueAt,
      dueNoticeIds: sql<number[]>`(SELECT coalesce(json_agg(id ORDER BY id) FILTER (WHERE not_before <= ${now.toISOString()}::timestamptz), '[]'::json) FROM ${reserved})`,
      eventId: sql<number>`(SELECT id FROM ${event})`,
    })
    .from(up);
  return row ? { ...row, eventId: Number(row.eventId) } : null;
}
