import { type NoDelegate, signersNotDelegated } from '../../domain/people/cover.js';
import type { Program } from '../../domain/program/program.js';
import type { BlockerRow } from './rows.js';

/**
 * Whom no delegate may stand in for on this blocker's ladder (issue 22, "Time off and delegates": an away signer's
 * delegate may sign only when the gate says `delegate_may_sign: true`): on a gate's own "not signed off by its due
 * time" escalation (source `gate` with a `due_at`: services/gonogo/gates.ts escalateOverdueGates), the gate's
 * signers, unless the gate says `delegate_may_sign: true` (domain/people/cover.ts signersNotDelegated). Such an away
 * signer's step goes on as for nobody covering (skipped, the next level at once, noted). Undefined for every other
 * blocker (delegates cover as usual, a gate's failure escalation included), and for a gate the running plan no
 * longer has.
 */
export function noDelegateOn(config: Pick<Program, 'gates'>, b: Pick<BlockerRow, 'source' | 'gateId' | 'dueAt'>): NoDelegate | undefined {
  if (b.source !== 'gate' || b.gateId === null || b.dueAt === null) return undefined;
  const gate = config.gates.find((g) => g.id === b.gateId);
  return gate ? signersNotDelegated(gate) : undefined;
}
