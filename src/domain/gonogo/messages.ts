import type { Decision } from './verdict.js';

/**
 * The messages of the go/no-go as plain data: who, what, when (a `Date`, shown in the reader's `zone`), status.
 * Services build them; src/slack/blocks renders them (Block Kit, mrkdwn, escaping) through the MessageRenderer port.
 */

/** When a workstream's first check-in opens: `'now'` when its window is already open, else the instant. */
export type FirstCheckinAt = 'now' | Date;

/**
 * A gate passing or failing, told to a workstream downstream of it:
 * - `passed-channel`: in the workstream's channel, with its first check-in (null: none scheduled yet) in the
 *   workstream's zone;
 * - `passed-member`: a DM to one participant, with their own first check-in in their zone;
 * - `failed`: in the workstream's channel, with who failed it and their note (user text, shown escaped).
 */
export type GateOutcomeNotice =
  | { kind: 'passed-channel'; gateName: string; workstreamName: string; firstCheckin: FirstCheckinAt | null; zone: string }
  | { kind: 'passed-member'; gateName: string; workstreamName: string; firstCheckin: FirstCheckinAt; zone: string }
  | { kind: 'failed'; gateName: string; workstreamName: string; actor: string; note: string | null };

/**
 * A gate's sign-off withdrawn by a blocker raised against it afterwards (a DM to each signer and the PM):
 * `withdrawn` the user ids whose sign-off went, `signOff` every sign-off authority (who must sign again for a
 * joint gate), the blocker's id and severity.
 */
export interface SignOffsWithdrawnNotice {
  gateName: string;
  rule: 'any_of' | 'all_of';
  withdrawn: string[];
  signOff: string[];
  blockerId: number;
  severity: string;
}

/** The three decisions `/gonogo decide` records. */
export type DecisionKind = 'go' | 'no-go' | 'conditional';

/**
 * A go/no-go decision's announcement: who decided what for which program, their note (user text, shown
 * escaped), and Preflight's verdict when it was recorded (its decision and the checklist's percent done).
 */
export interface DecisionAnnouncement {
  decision: DecisionKind;
  programName: string;
  actor: string;
  note: string | null;
  verdict: { decision: Decision; percent: number };
}

/**
 * The answer to someone signing off (or failing) a gate, other than a refusal:
 * - `unknown-gate`: no gate `gateId`; `gateIds` lists the gates there are;
 * - `already`: the gate is already in `outcome`;
 * - `cannot-pass`: a gate it requires has not passed (`why`, in words);
 * - `already-signed` / `signed`: a joint gate's signature, recorded before (or now), `pending` the signers still missing;
 * - `passed` / `failed`: the gate changed.
 */
export type SignOffReply =
  | { kind: 'unknown-gate'; gateId: string; gateIds: string[] }
  | { kind: 'already'; gateName: string; outcome: 'passed' | 'failed' }
  | { kind: 'cannot-pass'; gateName: string; why: string }
  | { kind: 'already-signed' | 'signed'; gateName: string; pending: string[] }
  | { kind: 'passed' | 'failed'; gateName: string };

/**
 * What became of a gate a go/no-go reminder named, other than still waiting on the reader: passed or failed (by
 * whom and when, when recorded), or signed by the reader (`at`) and still missing the other signers of a joint gate.
 */
export type SettledGate = { kind: 'passed' | 'failed'; gateName: string; by: string | null; at: Date | null } | { kind: 'signed'; gateName: string; at: Date; missing: string[] };

/**
 * The go/no-go reminder DM to one sign-off authority, as its gates stand now: the meeting's time, the gates still
 * waiting on the reader's sign-off (names), and what became of the others; times shown in the reader's `zone`.
 */
export interface SignOffReminder {
  gonogoAt: Date;
  zone: string;
  waiting: string[];
  settled: SettledGate[];
}
