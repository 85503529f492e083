import { DateTime } from 'luxon';
import { nextStep, type LadderState } from '../../domain/blockers/ladder.js';
import type { BlockerRow } from './rows.js';

/** The ladder's view of a blocker row (times as UTC DateTimes). */
export function ladderState(b: BlockerRow): LadderState {
  const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);
  return {
    raisedAt: DateTime.fromJSDate(b.raisedAt, { zone: 'utc' }),
    resolved: b.status === 'resolved',
    levelsDone: b.levelsDone,
    repeatsDone: b.repeatsDone,
    lastNotifiedAt: dt(b.lastNotifiedAt),
    snoozedUntil: dt(b.snoozedUntil),
    acknowledgedBy: b.acknowledgedBy,
  };
}

/** The row's next due time (UTC instant) under its frozen policy, or null when the ladder is done. */
export function nextDueAt(b: BlockerRow): Date | null {
  return nextStep(b.policy, ladderState(b))?.dueAt.toJSDate() ?? null;
}
