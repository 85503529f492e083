import { describe, expect, it } from 'vitest';
import { parseGonogoCommand } from '../../../../src/domain/gonogo/command.js';

const parse = (text: string) => parseGonogoCommand(text, ['omega'], ['gate1', 'gate2']);

describe('parseGonogoCommand: due (issue 20)', () => {
  it('reads a gate’s new due time, with a date and a reason when given', () => {
    expect(parse('due gate2 15:00')).toEqual({ kind: 'due', gate: 'gate2', due: { date: null, time: '15:00' }, reason: null });
    expect(parse('due gate2 2026-12-06 15:00 sign-off moved')).toEqual({ kind: 'due', gate: 'gate2', due: { date: '2026-12-06', time: '15:00' }, reason: 'sign-off moved' });
  });

  it('refuses an unknown gate with the closest id, and a time it cannot read', () => {
    expect(parse('due gate3 15:00')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('There is no gate `gate3`. Did you mean `gate1`?') });
    expect(parse('due gate2 3pm')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/gonogo due gate2 15:00') });
    expect(parse('due')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('gates: gate1, gate2') });
  });
});
