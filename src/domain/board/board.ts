import type { Severity } from '../blockers/ladder.js';
import { trackStatus, type TrackStatus } from '../digest/status.js';
import type { Decision, GateStatus, VerdictInput, Verdict } from '../gonogo/verdict.js';
import { taskStatus, type Task } from '../tasks/tasks.js';

/*
 * The live status board of the program channel (issue 23), as a model (pure): the seeds' hand-kept dashboard
 * ("Team Status Dashboard": team, phase, status, what it waits on, target, lead) computed from the same facts as
 * `/gonogo` (services/gonogo/facts.ts verdictInput, domain/gonogo/verdict.ts), the digest (domain/digest/status.ts's
 * On Track / At Risk / Blocked rule) and the export. Times are Unix ms (UTC instants); the renderers show them in the
 * program's zone.
 */

/** The board's sections, in the order shown; `program.board.include` picks some (default: all). */
export const BOARD_SECTIONS = ['workstreams', 'gates', 'verdict'] as const;
export type BoardSection = (typeof BOARD_SECTIONS)[number];

/** Where a workstream is in the launch (domain/workstreams/activity.ts): active, not started yet, waiting for a gate, ended. */
export type BoardPhase = { kind: 'active' } | { kind: 'not_started' } | { kind: 'waiting'; gate: string } | { kind: 'ended' };

/** One workstream's row. */
export interface BoardWorkstream {
  id: string;
  name: string;
  phase: BoardPhase;
  /** The digest's rule (domain/digest/status.ts trackStatus). */
  status: TrackStatus;
  /** % complete (domain/tasks/progress.ts), null when there is nothing to measure. */
  percent: number | null;
  /** What it waits on: the gate it starts after, else the unfinished requirements (task or gate ids) of its next task; null for nothing. */
  waitsOn: string | null;
  /** Its not-done task with the earliest due time; null when none has one. */
  nextTask: { id: string; title: string; owner: string; dueAt: number; overdue: boolean } | null;
  /** Open blockers by severity (escalations Preflight raised for gates and tasks left out, as in `/gonogo`). */
  openBlockers: Record<Severity, number>;
  /** Age of the oldest open blocker in ms, rounded down to the minute; null when none is open. */
  oldestBlockerAgeMs: number | null;
  leads: string[];
}

/** One gate's row. */
export interface BoardGate {
  id: string;
  name: string;
  mandatory: boolean;
  status: GateStatus;
  dueAt: number | null;
  /** Each sign-off authority, and whether their signature stands. */
  signers: { userId: string; signed: boolean }[];
}

/** The whole board. */
export interface BoardModel {
  programName: string;
  /** IANA zone the times are shown in (the program's). */
  zone: string;
  sections: readonly BoardSection[];
  workstreams: BoardWorkstream[];
  gates: BoardGate[];
  verdict: { decision: Decision; percent: number; reasons: string[] };
  /** When the facts were read (Unix ms): the board's "updated 14:05", left out of {@link boardContentKey}. */
  updatedAt: number;
}

/** What {@link buildBoard} reads. */
export interface BoardInput {
  programName: string;
  zone: string;
  /** `program.board.include`, else every section. */
  include?: readonly BoardSection[] | undefined;
  /** The go/no-go's facts and verdict at the same instant (its `now` is the board's). */
  facts: VerdictInput;
  verdict: Verdict;
  /** Every task (services/tasks/catalog.ts) and the ids of the tasks done and gates passed. */
  tasks: readonly Task[];
  doneIds: ReadonlySet<string>;
  /** Each workstream's leads, by id. */
  leads: Readonly<Record<string, readonly string[]>>;
  blockingSeverities: readonly Severity[];
}

const MINUTE_MS = 60_000;

/** The phase of an activity (domain/workstreams/activity.ts). */
function phaseOf(activity: VerdictInput['workstreams'][number]['activity']): BoardPhase {
  switch (activity.state) {
    case 'waiting':
      return { kind: 'waiting', gate: activity.gate.name };
    case 'ended':
      return { kind: 'ended' };
    case 'not_started':
      return { kind: 'not_started' };
    default:
      return { kind: 'active' };
  }
}

/**
 * Builds the board (pure). Status is the digest's rule on the same inputs the digest gives it (open blockers, the
 * latest check-in's red / yellow flags, overdue tasks); % complete and the blockers are `/gonogo`'s; the verdict is
 * the one passed in. The next task is the not-done task with the earliest due (ties: config order); it waits on
 * its requirements not done yet (domain/tasks/tasks.ts taskStatus).
 */
export function buildBoard(input: BoardInput): BoardModel {
  const now = input.facts.now;
  const workstreams = input.facts.workstreams.map((w): BoardWorkstream => {
    const mine = input.tasks.filter((t) => t.workstreamId === w.id && !t.done && t.dueAt !== null);
    const next = mine.reduce<Task | null>((a, t) => (a === null || (t.dueAt as number) < (a.dueAt as number) ? t : a), null);
    const nextStatus = next ? taskStatus(next, input.doneIds, now) : null;
    const phase = phaseOf(w.activity);
    const waitsOn = phase.kind === 'waiting' ? phase.gate : nextStatus?.kind === 'waiting' ? nextStatus.on.join(', ') : null;
    return {
      id: w.id,
      name: w.name,
      phase,
      status: trackStatus({ openBlockers: w.openBlockers, red: w.standup?.red ?? 0, yellow: w.standup?.yellow ?? 0, tasksOverdue: w.progress?.tasksOverdue ?? 0 }, input.blockingSeverities),
      percent: w.progress?.percent ?? null,
      waitsOn,
      nextTask: next ? { id: next.id, title: next.title, owner: next.owner, dueAt: next.dueAt as number, overdue: nextStatus?.kind === 'overdue' } : null,
      openBlockers: { ...w.openBlockers },
      oldestBlockerAgeMs: w.oldestOpenBlockerAt === null ? null : Math.floor(Math.max(0, now - w.oldestOpenBlockerAt) / MINUTE_MS) * MINUTE_MS,
      leads: [...(input.leads[w.id] ?? [])],
    };
  });
  const gates = input.facts.gates.map(
    (g): BoardGate => ({
      id: g.id,
      name: g.name,
      mandatory: g.mandatory,
      status: g.status,
      dueAt: g.dueAt,
      signers: g.signOff.map((userId) => ({ userId, signed: g.signed.includes(userId) })),
    }),
  );
  const include = input.include?.length ? input.include : BOARD_SECTIONS;
  return {
    programName: input.programName,
    zone: input.zone,
    sections: BOARD_SECTIONS.filter((s) => include.includes(s)),
    workstreams,
    gates,
    verdict: { decision: input.verdict.decision, percent: input.verdict.percent, reasons: [...input.verdict.reasons] },
    updatedAt: now,
  };
}

/**
 * The board's content without its "updated" time, as a stable string: two boards with the same key show the same
 * thing, so the service hashes it to skip edits that would change nothing. Sections left out are left out here too.
 */
export function boardContentKey(model: BoardModel): string {
  const { updatedAt: _updated, ...rest } = model;
  return JSON.stringify({
    ...rest,
    workstreams: model.sections.includes('workstreams') ? rest.workstreams : [],
    gates: model.sections.includes('gates') ? rest.gates : [],
    verdict: model.sections.includes('verdict') ? rest.verdict : null,
  });
}
