/*
 * Who signs a gate, and when their signatures pass it (issue 9, joint sign-off). Seed 000's Gate 4: "Team Alpha
 * Lead + Team Beta Lead … cannot proceed without both sign-offs" is `all_of`; every other gate is `any_of`.
 */

/** `any_of`: one signature passes the gate; `all_of`: every authority must sign (joint sign-off). */
export type SignOffRule = 'any_of' | 'all_of';

/** A gate's sign-off authority: any one of `signers`, or all of them. */
export interface SignOffAuthority {
  rule: SignOffRule;
  /** User ids in config order. */
  signers: readonly string[];
}

/** Who has signed and who is still expected to, in config order. `signed` keeps only current authorities. */
export interface SignOffProgress {
  signed: string[];
  /** Empty once the gate has enough signatures. For `any_of` with no signature: every signer (any one will do). */
  pending: string[];
  /** True when the signatures pass the gate: one for `any_of`, every signer for `all_of`. */
  complete: boolean;
}

/**
 * The state of a gate's signatures. Signatures by someone no longer a signer (the config changed) do not count.
 * @param signedBy user ids with a standing signature, any order.
 */
export function signOffProgress(authority: SignOffAuthority, signedBy: readonly string[]): SignOffProgress {
  const has = new Set(signedBy);
  const signed = authority.signers.filter((u) => has.has(u));
  if (authority.rule === 'any_of') return { signed, pending: signed.length ? [] : [...authority.signers], complete: signed.length > 0 };
  const pending = authority.signers.filter((u) => !has.has(u));
  return { signed, pending, complete: pending.length === 0 };
}

/** What one signer's action does to a pending gate. */
export type SignatureEffect =
  /** Recorded; the gate still waits for `pending`. */
  | { effect: 'signed'; pending: string[] }
  /** This signature completes the gate: it passes now. */
  | { effect: 'passes' }
  /** A fail by any one signer fails the gate at once (any_of and all_of alike). */
  | { effect: 'fails' }
  /** This signer's signature already stands: nothing changes. */
  | { effect: 'already-signed'; pending: string[] };

/**
 * The effect of `signer` signing off (`passed`) or failing (`failed`) a gate that is pending with `signedBy` standing.
 * The caller has checked `signer` is one of the authority's signers.
 */
export function signatureEffect(authority: SignOffAuthority, signedBy: readonly string[], signer: string, outcome: 'passed' | 'failed'): SignatureEffect {
  if (outcome === 'failed') return { effect: 'fails' };
  const before = signOffProgress(authority, signedBy);
  if (before.signed.includes(signer)) return { effect: 'already-signed', pending: before.pending };
  const after = signOffProgress(authority, [...signedBy, signer]);
  return after.complete ? { effect: 'passes' } : { effect: 'signed', pending: after.pending };
}

/**
 * Who is told when a gate's signatures are withdrawn (a blocking blocker raised against it): every signer of an
 * `all_of` gate (all of them must sign again) or, for `any_of`, whoever had signed; then the PM. No duplicates.
 */
export function withdrawalRecipients(authority: SignOffAuthority, signedBy: readonly string[], pm: string): string[] {
  const signers = authority.rule === 'all_of' ? authority.signers : signedBy;
  return [...new Set([...signers, pm])];
}

/** The facts about a blocker that decide whether it can withdraw gate sign-offs. */
export interface WithdrawingBlocker {
  severity: string;
  source: string;
  gateId: string | null;
  workstreamId: string;
}

/**
 * The gates whose sign-offs a new blocker withdraws if they stand: a blocker at a blocking severity
 * (`gonogo.blocking_severities`, default P0), raised by a person (not a gate's or a task's own escalation),
 * against the gate itself or a workstream the gate unblocks. Empty for every other blocker, which then needs no
 * `withdraw-signoffs` job at all.
 * @param gates the configured gates (id and `unblocks` workstream ids).
 */
export function gatesWithdrawnBy<G extends { id: string; unblocks: readonly string[] }>(blocker: WithdrawingBlocker, gates: readonly G[], blockingSeverities: readonly string[]): G[] {
  if (!blockingSeverities.includes(blocker.severity) || blocker.source === 'gate' || blocker.source === 'task') return [];
  return gates.filter((g) => g.id === blocker.gateId || g.unblocks.includes(blocker.workstreamId));
}
