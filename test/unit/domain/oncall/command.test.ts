import { describe, expect, it } from 'vitest';
import { parsePreflightCommand } from '../../../../src/domain/digest/command.js';
import { parseOncallCommand } from '../../../../src/domain/oncall/command.js';

describe('/preflight oncall (issue 22)', () => {
  const ids = ['omega', 'web'];
  it('parses nothing, an id, refresh and refresh <id>', () => {
    expect(parseOncallCommand([], ids)).toEqual({ kind: 'oncall', rotation: null });
    expect(parseOncallCommand(['omega'], ids)).toEqual({ kind: 'oncall', rotation: 'omega' });
    expect(parseOncallCommand(['refresh'], ids)).toEqual({ kind: 'oncall-refresh', rotation: null });
    expect(parseOncallCommand(['Refresh', 'web'], ids)).toEqual({ kind: 'oncall-refresh', rotation: 'web' });
  });
  it('says what to write on a mistake', () => {
    expect(parseOncallCommand(['nope'], ids)).toEqual({ kind: 'invalid', message: 'There is no rotation `nope`. Rotations: omega, web.' });
    expect(parseOncallCommand(['omega', 'web'], ids)).toMatchObject({ kind: 'invalid', message: 'Name one rotation, e.g. `/preflight oncall omega`.' });
    expect(parseOncallCommand([], [])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('program.oncall') });
  });
  it('is reached through /preflight', () => {
    expect(parsePreflightCommand('oncall omega', ['ws1'], ids)).toEqual({ kind: 'oncall', rotation: 'omega' });
    expect(parsePreflightCommand('oncall', ['ws1'])).toMatchObject({ kind: 'invalid' });
  });
});
