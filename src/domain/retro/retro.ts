import { blockerWindowStats, type BlockerWindowStats, type Window } from '../digest/blockers.js';

/**
 * The launch's retrospective as a model (pure, issue 23): what the services read from the record (the same records
 * `npm run export` and the API serve, services/records) goes in, the retro the Markdown writer (./markdown.ts) and
 * the canvas render comes out. Times are Unix ms (UTC instants); the span is `[from, to)`, either side possibly
 * infinite (no `--from` / `--to`). Every item carries the permalink of the Slack message it came from, null when
 * it came from none (a task done with a command, whose answer was ephemeral).
 */

/** A gate's sign-off, failure or withdrawal (gonogo_audit `gate_passed`, `gate_failed`, `gate_withdrawn`). */
export interface RetroGateEvent {
  gateId: string;
  /** From preflight.yml; the id when the gate is no longer configured. */
  gateName: string;
  outcome: 'passed' | 'failed' | 'withdrawn';
  /** Who signed or failed it; null for a withdrawal Preflight made itself. */
  by: string | null;
  at: number;
  /** The gate's due instant (`gates[].due`), null when it has none. */
  due: number | null;
  note: string | null;
  permalink: string | null;
}

/** A recorded go/no-go decision (the export's `decisions`). */
export interface RetroDecision {
  /** go, no-go or conditional. */
  decision: string;
  /** Preflight's verdict when it was recorded. */
  verdict: string | null;
  by: string | null;
  at: number;
  note: string | null;
  permalink: string | null;
}

/** One step of a blocker's escalation ladder (blocker_events `escalated`). */
export interface RetroLadderStep {
  /** 1-based level of the ladder; null for "Escalate now" pressed by someone. */
  level: number | null;
  to: string[];
  at: number;
}

/** A blocker as the retro reads it (the export's `blockers`, instants in ms). */
export interface RetroBlockerInput {
  id: number;
  /** B-42. */
  shortId: string;
  workstreamId: string;
  severity: string;
  text: string;
  /** command, modal, standup, gate or task (gate / task: Preflight's own escalation, left out of the numbers as in the digest). */
  source: string;
  raisedAt: number;
  firstAcknowledgedAt: number | null;
  resolvedAt: number | null;
  ladder: RetroLadderStep[];
  permalink: string | null;
}

/** A declared task with its recorded state (the export's `tasks`, instants in ms). */
export interface RetroTaskInput {
  id: string;
  workstreamId: string;
  title: string;
  owner: string;
  due: number | null;
  doneAt: number | null;
  permalink: string | null;
}

/** One check-in run (the export's `checkins`): members prompted, complete answers. */
export interface RetroCheckinInput {
  workstreamId: string;
  prompted: number;
  answered: number;
}

/** One participant's answers to the retro check-in ("What went well? What didn't? What would you change?"). */
export interface RetroAnswer {
  workstreamId: string;
  userId: string;
  wentWell: string | null;
  didNot: string | null;
  change: string | null;
  at: number;
  permalink: string | null;
}

export interface RetroInput {
  programName: string;
  /** IANA zone times are shown in (the program's). */
  zone: string;
  /** `[from, to)` in ms; ±Infinity for an open side. */
  span: Window;
  /** The instant the retro is drafted: open blockers and undone tasks are measured until min(now, span.to). */
  now: number;
  workstreams: readonly { id: string; name: string }[];
  gates: readonly RetroGateEvent[];
  decisions: readonly RetroDecision[];
  blockers: readonly RetroBlockerInput[];
  tasks: readonly RetroTaskInput[];
  checkins: readonly RetroCheckinInput[];
  answers: readonly RetroAnswer[];
}

/** A P0/P1 blocker's line: how long it took to acknowledge and to resolve, and the ladder it climbed. */
export interface RetroBlockerLine extends RetroBlockerInput {
  workstreamName: string;
  timeToAcknowledgeMs: number | null;
  timeToResolveMs: number | null;
  /** Still open at the retro's end: how long it has been open. */
  openForMs: number | null;
}

/** A task done after its due time (or not done at the retro's end although due before it); `doneAt` is the task's record, whenever it was. */
export interface RetroLateTask extends RetroTaskInput {
  workstreamName: string;
  /** done (or the retro's end) − due. */
  lateByMs: number;
  done: boolean;
}

/** Check-in participation of one team over the span: complete answers ÷ members prompted. */
export interface RetroParticipation {
  workstreamId: string;
  workstreamName: string;
  answered: number;
  prompted: number;
  /** Rounded down; null when nobody was prompted. */
  percent: number | null;
}

/** One of the longest waits: a blocker open, a task late, a gate signed after its due time. */
export interface RetroWait {
  kind: 'blocker' | 'task' | 'gate';
  /** What waited, as a reader names it: `B-3 "Staging DB down" (P0, Omega)`, `task O-3 "Email"`, `gate "Gate 1"`. */
  label: string;
  ms: number;
  /** Still waiting at the retro's end. */
  ongoing: boolean;
  permalink: string | null;
}

/** One line of the timeline, oldest first. */
export type RetroTimelineItem =
  | { kind: 'gate'; at: number; gate: RetroGateEvent }
  | { kind: 'decision'; at: number; decision: RetroDecision }
  | { kind: 'blocker-raised'; at: number; blocker: RetroBlockerLine }
  | { kind: 'blocker-resolved'; at: number; blocker: RetroBlockerLine };

/** The digest's numbers over the whole span. */
export interface RetroNumbers {
  /** Blockers raised in the span (Preflight's own gate / task escalations left out, as in the digest). */
  blockers: BlockerWindowStats;
  tasks: { total: number; done: number; late: number };
  participation: { answered: number; expected: number; percent: number | null };
  gates: { passed: number; failed: number };
  decisions: number;
}

export interface RetroModel {
  programName: string;
  zone: string;
  span: Window;
  /** The span's end as the retro measures it: min(now, span.to). */
  end: number;
  numbers: RetroNumbers;
  timeline: RetroTimelineItem[];
  /** P0 and P1 blockers, oldest first. */
  blockers: RetroBlockerLine[];
  lateTasks: RetroLateTask[];
  participation: RetroParticipation[];
  /** The three longest waits, longest first. */
  longestWaits: RetroWait[];
  /** The retro check-in's answers by workstream, in the config's order; workstreams without answers left out. */
  answers: { workstreamId: string; workstreamName: string; answers: RetroAnswer[] }[];
}

/** Severities whose blockers the retro lists one by one (issue 23: "each P0/P1 blocker"). */
export const RETRO_BLOCKER_SEVERITIES: readonly string[] = ['P0', 'P1'];

/** Blocker sources that are Preflight's own escalations, not reported blockers (services/digest/history.ts leaves them out too). */
const ESCALATION_SOURCES = new Set(['gate', 'task']);

const floorPercent = (part: number, whole: number) => (whole ? Math.floor((part * 100) / whole) : null);

/**
 * Builds the retrospective from the record: the digest's numbers over the span (domain/digest/blockers.ts for the
 * blocker stats, participation = complete answers ÷ members prompted, rounded down), the timeline (gates, decisions,
 * P0/P1 blockers raised and resolved), each P0/P1 blocker with its time to acknowledge and to resolve and its ladder,
 * the late tasks, participation per team, the three longest waits (a blocker open, a task late, a gate signed late;
 * ties: the earlier first) and the retro check-in's answers grouped by workstream.
 */
export function buildRetro(input: RetroInput): RetroModel {
  const end = Math.min(input.now, input.span.to);
  const names = new Map(input.workstreams.map((w) => [w.id, w.name]));
  const nameOf = (id: string) => names.get(id) ?? id;

  const reported = input.blockers.filter((b) => !ESCALATION_SOURCES.has(b.source));
  const blockerStats = blockerWindowStats(
    reported.map((b) => ({ workstreamId: b.workstreamId, raisedAt: b.raisedAt, firstAcknowledgedAt: b.firstAcknowledgedAt, resolvedAt: b.resolvedAt })),
    input.span,
  );
  const lines: RetroBlockerLine[] = input.blockers
    .filter((b) => RETRO_BLOCKER_SEVERITIES.includes(b.severity))
    .map((b) => ({
      ...b,
      workstreamName: nameOf(b.workstreamId),
      timeToAcknowledgeMs: b.firstAcknowledgedAt === null ? null : Math.max(0, b.firstAcknowledgedAt - b.raisedAt),
      timeToResolveMs: b.resolvedAt === null ? null : Math.max(0, b.resolvedAt - b.raisedAt),
      openForMs: b.resolvedAt === null || b.resolvedAt >= end ? Math.max(0, end - b.raisedAt) : null,
    }))
    .sort((a, b) => a.raisedAt - b.raisedAt || a.id - b.id);

  const lateTasks: RetroLateTask[] = input.tasks
    .flatMap((t) => {
      if (t.due === null) return [];
      const doneBy = t.doneAt;
      const until = doneBy ?? end;
      if (until <= t.due) return [];
      return [{ ...t, workstreamName: nameOf(t.workstreamId), lateByMs: until - t.due, done: doneBy !== null }];
    })
    .sort((a, b) => b.lateByMs - a.lateByMs || a.id.localeCompare(b.id));

  const participation: RetroParticipation[] = input.workstreams.map((w) => {
    const runs = input.checkins.filter((c) => c.workstreamId === w.id);
    const answered = runs.reduce((n, c) => n + c.answered, 0);
    const prompted = runs.reduce((n, c) => n + c.prompted, 0);
    return { workstreamId: w.id, workstreamName: w.name, answered, prompted, percent: floorPercent(answered, prompted) };
  });
  const answered = input.checkins.reduce((n, c) => n + c.answered, 0);
  const expected = input.checkins.reduce((n, c) => n + c.prompted, 0);

  const gates = [...input.gates].sort((a, b) => a.at - b.at);
  const decisions = [...input.decisions].sort((a, b) => a.at - b.at);
  const timeline: RetroTimelineItem[] = [
    ...gates.map((gate) => ({ kind: 'gate' as const, at: gate.at, gate })),
    ...decisions.map((decision) => ({ kind: 'decision' as const, at: decision.at, decision })),
    ...lines.map((blocker) => ({ kind: 'blocker-raised' as const, at: blocker.raisedAt, blocker })),
    ...lines.flatMap((blocker) => (blocker.resolvedAt !== null && blocker.resolvedAt < end ? [{ kind: 'blocker-resolved' as const, at: blocker.resolvedAt, blocker }] : [])),
  ].sort((a, b) => a.at - b.at);

  const waits: (RetroWait & { since: number })[] = [
    ...reported.map((b) => {
      const ongoing = b.resolvedAt === null || b.resolvedAt >= end;
      return {
        kind: 'blocker' as const,
        label: `${b.shortId} "${b.text}" (${b.severity}, ${nameOf(b.workstreamId)})`,
        ms: Math.max(0, (ongoing ? end : b.resolvedAt!) - b.raisedAt),
        ongoing,
        permalink: b.permalink,
        since: b.raisedAt,
      };
    }),
    ...lateTasks.map((t) => ({ kind: 'task' as const, label: `task ${t.id} "${t.title}" (${t.workstreamName})`, ms: t.lateByMs, ongoing: !t.done, permalink: t.permalink, since: t.due! })),
    ...gates
      .filter((g) => g.outcome === 'passed' && g.due !== null && g.at > g.due)
      .map((g) => ({ kind: 'gate' as const, label: `gate "${g.gateName}"`, ms: g.at - g.due!, ongoing: false, permalink: g.permalink, since: g.due! })),
  ];
  const longestWaits = waits
    .sort((a, b) => b.ms - a.ms || a.since - b.since)
    .slice(0, 3)
    .map(({ since: _since, ...w }) => w);

  const answers = input.workstreams.flatMap((w) => {
    const mine = input.answers.filter((a) => a.workstreamId === w.id).sort((a, b) => a.at - b.at);
    return mine.length ? [{ workstreamId: w.id, workstreamName: w.name, answers: mine }] : [];
  });

  return {
    programName: input.programName,
    zone: input.zone,
    span: input.span,
    end,
    numbers: {
      blockers: blockerStats,
      tasks: { total: input.tasks.length, done: input.tasks.filter((t) => t.doneAt !== null).length, late: lateTasks.length },
      participation: { answered, expected, percent: floorPercent(answered, expected) },
      gates: { passed: gates.filter((g) => g.outcome === 'passed').length, failed: gates.filter((g) => g.outcome === 'failed').length },
      decisions: decisions.length,
    },
    timeline,
    blockers: lines,
    lateTasks,
    participation,
    longestWaits,
    answers,
  };
}
