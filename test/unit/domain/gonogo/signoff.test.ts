import { describe, expect, it } from 'vitest';
import { gatesWithdrawnBy, signatureEffect, signOffProgress, withdrawalRecipients } from '../../../../src/domain/gonogo/signoff.js';

// seed 000, Gate 4: "Team Alpha Lead + Team Beta Lead … cannot proceed without both sign-offs"
const joint = { rule: 'all_of' as const, signers: ['UALPHA', 'UBETA'] };
const anyOf = { rule: 'any_of' as const, signers: ['UQA', 'UQA2'] };

describe('joint sign-off (all_of)', () => {
  it('the first signature is recorded and names who is pending; the last one passes the gate', () => {
    expect(signatureEffect(joint, [], 'UBETA', 'passed')).toEqual({ effect: 'signed', pending: ['UALPHA'] });
    expect(signatureEffect(joint, ['UBETA'], 'UALPHA', 'passed')).toEqual({ effect: 'passes' });
  });
  it('signing twice changes nothing', () => {
    expect(signatureEffect(joint, ['UBETA'], 'UBETA', 'passed')).toEqual({ effect: 'already-signed', pending: ['UALPHA'] });
  });
  it('a fail by any one signer fails the gate, whatever the others signed', () => {
    expect(signatureEffect(joint, ['UALPHA'], 'UBETA', 'failed')).toEqual({ effect: 'fails' });
  });
  it('progress lists who signed and who is pending, in config order; signatures of non-signers do not count', () => {
    expect(signOffProgress(joint, ['UBETA', 'UOLD'])).toEqual({ signed: ['UBETA'], pending: ['UALPHA'], complete: false });
    expect(signOffProgress(joint, ['UBETA', 'UALPHA'])).toEqual({ signed: ['UALPHA', 'UBETA'], pending: [], complete: true });
  });
  it('a withdrawal tells every signer (all must sign again) and the PM', () => {
    expect(withdrawalRecipients(joint, ['UALPHA'], 'U0PM')).toEqual(['UALPHA', 'UBETA', 'U0PM']);
  });
});

describe('any-of sign-off (today’s rule)', () => {
  it('one signature passes the gate', () => {
    expect(signatureEffect(anyOf, [], 'UQA2', 'passed')).toEqual({ effect: 'passes' });
    expect(signOffProgress(anyOf, [])).toEqual({ signed: [], pending: ['UQA', 'UQA2'], complete: false });
  });
  it('a withdrawal tells whoever had signed, and the PM', () => {
    expect(withdrawalRecipients(anyOf, ['UQA2'], 'U0PM')).toEqual(['UQA2', 'U0PM']);
    expect(withdrawalRecipients(anyOf, ['U0PM'], 'U0PM')).toEqual(['U0PM']);
  });
});

describe('which gates a new blocker withdraws', () => {
  const gates = [
    { id: 'qa', unblocks: ['alpha'] },
    { id: 'g2', unblocks: [] },
  ];
  const p0 = { severity: 'P0', source: 'command', gateId: null, workstreamId: 'alpha' };
  it('a blocking-severity blocker withdraws the gates it names or whose workstreams it blocks', () => {
    expect(gatesWithdrawnBy(p0, gates, ['P0']).map((g) => g.id)).toEqual(['qa']);
    expect(gatesWithdrawnBy({ ...p0, gateId: 'g2' }, gates, ['P0']).map((g) => g.id)).toEqual(['qa', 'g2']);
  });
  it('none for a severity that does not block, for a gate or task escalation, or for an unrelated workstream', () => {
    expect(gatesWithdrawnBy({ ...p0, severity: 'P1' }, gates, ['P0'])).toEqual([]);
    expect(gatesWithdrawnBy({ ...p0, severity: 'P1' }, gates, ['P0', 'P1']).map((g) => g.id)).toEqual(['qa']);
    expect(gatesWithdrawnBy({ ...p0, source: 'gate' }, gates, ['P0'])).toEqual([]);
    expect(gatesWithdrawnBy({ ...p0, source: 'task' }, gates, ['P0'])).toEqual([]);
    expect(gatesWithdrawnBy({ ...p0, workstreamId: 'beta' }, gates, ['P0'])).toEqual([]);
  });
});
