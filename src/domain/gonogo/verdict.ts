import type { Severity } from '../program/severities.js';
import type { Activity } from '../workstreams/activity.js';
import type { SignOffRule } from './signoff.js';

export type GateStatus = 'pending' | 'passed' | 'failed';
export type Decision = 'GO' | 'CONDITIONAL GO' | 'NO-GO';

/** A quality gate as the verdict sees it. Times are Unix ms. */
export interface GateFacts {
  id: string;
  name: string;
  mandatory: boolean;
  status: GateStatus;
  dueAt: number | null;
  signOff: string[];
  /** `any_of`: one of `signOff` signs for the gate; `all_of`: every one of them must (joint sign-off). */
  signOffRule: SignOffRule;
  /** Standing signatures, in `signOff` order (a joint gate's progress; the signer of a passed `any_of` gate). */
  signed: string[];
  requires: string[];
  signedBy: string | null;
  /** The away signer `signedBy` signed for as their delegate (issue 22): "passed by @ben for @ana". */
  signedFor?: string | null;
  /** Signers away now, with their last day away (YYYY-MM-DD, their zone) or null for no set end (issue 22). */
  away?: { userId: string; until: string | null }[];
}

/** A workstream as the verdict sees it. */
export interface WorkstreamFacts {
  id: string;
  name: string;
  checklistDone: number;
  checklistTotal: number;
  /** Items not ticked yet (for "known issues"). */
  checklistOpen: string[];
  openBlockers: Record<Severity, number>;
  oldestOpenBlockerAt: number | null;
  /**
   * Tasks and % complete (domain/tasks/progress.ts percentComplete: tasks weighted by estimate plus the checklist);
   * absent when the caller does not count tasks. `percent` is null when there is nothing to measure.
   */
  progress?: { percent: number | null; tasksDone: number; tasksTotal: number; tasksOverdue: number };
  /** Latest standup: red/yellow flags and participation, null when it had none yet. */
  standup: { localDate: string; red: number; yellow: number; answered: number; expected: number } | null;
  /** Whether it holds check-ins now: active, not started, ended, or waiting for its `starts_when` gate. */
  activity: Activity;
}

export interface VerdictInput {
  gates: GateFacts[];
  workstreams: WorkstreamFacts[];
  /** Open blockers at a blocking severity, with where they are. */
  blockingBlockers: { id: number; severity: Severity; workstreamId: string; gateId: string | null }[];
  /**
   * Workstreams the plan no longer has (a reload removed them) that still have open blockers, with their counts by
   * severity: `/gonogo` lists them under "removed" (issue 20). Absent or empty when there are none.
   */
  removedWorkstreams?: { id: string; openBlockers: Record<Severity, number> }[];
  /** Seed 004's matrix: 100% → GO, 90–99% → launch with known issues, < 90% → delay. */
  goAtLeast: number;
  conditionalAtLeast: number;
  now: number;
}

export interface Verdict {
  decision: Decision;
  /** Done items over all items: every workstream checklist item plus one item per gate ("gate passed"). */
  percent: number;
  done: number;
  total: number;
  /** Plain-words reasons, most important first. */
  reasons: string[];
  /** Gates whose sign-off is the next thing needed (pending, every required gate passed). */
  signOffsNeeded: GateFacts[];
}

const pct = (done: number, total: number) => (total === 0 ? 100 : Math.floor((done * 100) / total));

/**
 * The launch-readiness verdict (pure).
 * Hard rules first (seed 000: "If any gate failed → DEPLOYMENT BLOCKED"; "No critical blockers remain"):
 * a failed mandatory gate, or one open blocker at a blocking severity, is NO-GO whatever the percentage says;
 * so is a mandatory gate not signed off yet. Otherwise seed 004's decision matrix on the percentage of the
 * checklist done: ≥ go_at_least → GO, ≥ conditional_at_least → CONDITIONAL GO (launch with known issues),
 * else NO-GO (delay). A GO with optional gates still pending becomes CONDITIONAL GO.
 */
export function verdict(input: VerdictInput): Verdict {
  const done = input.workstreams.reduce((n, w) => n + w.checklistDone, 0) + input.gates.filter((g) => g.status === 'passed').length;
  const total = input.workstreams.reduce((n, w) => n + w.checklistTotal, 0) + input.gates.length;
  const percent = pct(done, total);
  const byId = new Map(input.gates.map((g) => [g.id, g]));
  const signOffsNeeded = input.gates.filter((g) => g.status === 'pending' && g.requires.every((r) => byId.get(r)?.status === 'passed'));
  const hard: string[] = [];
  for (const g of input.gates.filter((x) => x.mandatory && x.status === 'failed')) hard.push(`Gate “${g.name}” failed${g.signedBy ? ` (<@${g.signedBy}>)` : ''}.`);
  if (input.blockingBlockers.length) {
    const list = input.blockingBlockers
      .slice(0, 5)
      .map((b) => `B-${b.id} (${b.severity})`)
      .join(', ');
    hard.push(
      `${input.blockingBlockers.length} open blocker${input.blockingBlockers.length === 1 ? '' : 's'} at a launch-blocking severity: ${list}${input.blockingBlockers.length > 5 ? ', …' : ''}.`,
    );
  }
  const pendingMandatory = input.gates.filter((g) => g.mandatory && g.status === 'pending');
  for (const g of pendingMandatory) {
    const overdue = g.dueAt !== null && g.dueAt < input.now;
    hard.push(`Gate “${g.name}” is not signed off${overdue ? ' and is overdue' : ''}.`);
  }
  const soft: string[] = [];
  const pendingOptional = input.gates.filter((g) => !g.mandatory && g.status !== 'passed');
  for (const g of pendingOptional) soft.push(`Optional gate “${g.name}” is ${g.status === 'failed' ? 'failed' : 'not signed off'}.`);
  const openItems = input.workstreams.filter((w) => w.checklistDone < w.checklistTotal);
  const checklistLine = `${done} of ${total} checklist items done (${percent}%)`;
  let decision: Decision;
  if (hard.length) decision = 'NO-GO';
  else if (percent >= input.goAtLeast) decision = pendingOptional.length ? 'CONDITIONAL GO' : 'GO';
  else if (percent >= input.conditionalAtLeast) decision = 'CONDITIONAL GO';
  else decision = 'NO-GO';
  const reasons: string[] = [...hard];
  if (decision === 'NO-GO' && !hard.length) reasons.push(`Only ${checklistLine}: below the ${input.conditionalAtLeast}% needed to launch with known issues.`);
  else if (decision === 'CONDITIONAL GO') {
    reasons.push(`${checklistLine}; launch with known issues:`);
    for (const w of openItems) reasons.push(`${w.name}: ${w.checklistOpen.slice(0, 3).join('; ')}${w.checklistOpen.length > 3 ? '; …' : ''}`);
    reasons.push(...soft);
  } else if (decision === 'GO') reasons.push(`Every gate passed and ${checklistLine}; no open launch-blocking blocker.`);
  else reasons.push(checklistLine);
  return { decision, percent, done, total, reasons, signOffsNeeded };
}

/**
 * Why a gate cannot be signed off now: a required gate has not passed (seed 000: "Gate must pass or Sigma/Pi
 * cannot start"). @returns null when it can.
 */
export function cannotPassBecause(gate: Pick<GateFacts, 'requires'>, gates: GateFacts[]): string | null {
  const missing = gate.requires.map((r) => gates.find((g) => g.id === r)).filter((g): g is GateFacts => !!g && g.status !== 'passed');
  return missing.length ? `it requires ${missing.map((g) => `“${g.name}”`).join(', ')} to pass first` : null;
}
