import type { Severity } from '../blockers/ladder.js';
import { PERCENT_COMPLETE_RULE } from '../tasks/progress.js';
import { blockerWindowStats, type BlockerHistory, type BlockerWindowStats, type Window } from './blockers.js';
import { statusCounts, trackStatus, TRACK_STATUS_RULE, type TrackStatus } from './status.js';
import { trendOf, type Trend } from './trend.js';

/**
 * The daily digest and `/preflight stats` as numbers (pure): what the services read from Postgres goes in,
 * the model Block Kit renders comes out. Times are Unix ms.
 */

/** One workstream as read for the digest. */
export interface WorkstreamDigestInput {
  id: string;
  name: string;
  /** % complete now (domain/tasks/progress.ts percentComplete), null when there is nothing to measure. */
  percent: number | null;
  /** % complete at the last digest before the window's end (its snapshot), null when none. */
  previousPercent: number | null;
  tasksDone: number;
  tasksTotal: number;
  tasksOverdue: number;
  /** Tasks marked done inside the window (task_events `done`). */
  tasksDoneInWindow: number;
  /** Check-in participation over the window's runs: completed answers / members prompted. */
  participation: { answered: number; expected: number };
  /** Risk flags of the workstream's latest check-in (red / yellow / green answers). */
  flags: { red: number; yellow: number; green: number };
  openBlockers: Record<Severity, number>;
}

export interface DigestInput {
  programName: string;
  /** IANA zone the window is shown in (the program's). */
  zone: string;
  window: Window;
  workstreams: readonly WorkstreamDigestInput[];
  /** Blockers of these workstreams raised before the window's end and not resolved before its start. */
  blockers: readonly BlockerHistory[];
  blockingSeverities: readonly Severity[];
}

/** One workstream's line of the digest. */
export interface WorkstreamDigest extends WorkstreamDigestInput {
  trend: Trend;
  status: TrackStatus;
  /** Blockers raised in the window for this workstream. */
  blockersOpened: number;
}

export interface DigestModel {
  programName: string;
  zone: string;
  window: Window;
  workstreams: WorkstreamDigest[];
  totals: {
    tasksDone: number;
    tasksTotal: number;
    tasksOverdue: number;
    tasksDoneInWindow: number;
    participation: { answered: number; expected: number; percent: number | null };
    flags: { red: number; yellow: number; green: number };
  };
  blockers: BlockerWindowStats;
  status: Record<TrackStatus, { count: number; percent: number }>;
  /** The rules behind % complete and the status, shown under the numbers. */
  rules: { percent: string; status: string };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Builds the digest model: each workstream's trend (against its previous % complete) and status (status.ts),
 * the program totals, blocker stats over the window (blockers.ts), and the on-track / at-risk / blocked
 * counts. Participation % is answered ÷ expected, rounded down (null when nobody was prompted).
 */
export function buildDigest(input: DigestInput): DigestModel {
  const workstreams = input.workstreams.map((ws) => ({
    ...ws,
    trend: trendOf(ws.percent, ws.previousPercent),
    status: trackStatus({ openBlockers: ws.openBlockers, red: ws.flags.red, yellow: ws.flags.yellow, tasksOverdue: ws.tasksOverdue }, input.blockingSeverities),
    blockersOpened: input.blockers.filter((b) => b.workstreamId === ws.id && b.raisedAt >= input.window.from && b.raisedAt < input.window.to).length,
  }));
  const answered = sum(workstreams.map((w) => w.participation.answered));
  const expected = sum(workstreams.map((w) => w.participation.expected));
  return {
    programName: input.programName,
    zone: input.zone,
    window: input.window,
    workstreams,
    totals: {
      tasksDone: sum(workstreams.map((w) => w.tasksDone)),
      tasksTotal: sum(workstreams.map((w) => w.tasksTotal)),
      tasksOverdue: sum(workstreams.map((w) => w.tasksOverdue)),
      tasksDoneInWindow: sum(workstreams.map((w) => w.tasksDoneInWindow)),
      participation: { answered, expected, percent: expected ? Math.floor((answered * 100) / expected) : null },
      flags: {
        red: sum(workstreams.map((w) => w.flags.red)),
        yellow: sum(workstreams.map((w) => w.flags.yellow)),
        green: sum(workstreams.map((w) => w.flags.green)),
      },
    },
    blockers: blockerWindowStats(input.blockers, input.window),
    status: statusCounts(workstreams.map((w) => w.status)),
    rules: { percent: PERCENT_COMPLETE_RULE, status: TRACK_STATUS_RULE },
  };
}
