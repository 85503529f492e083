import { describe, expect, it } from 'vitest';
import { parseTaskCommand } from '../../../../src/domain/tasks/command.js';

const ids = ['O-1', 'O-2', 'O-3'];
const ws = ['omega', 'sigma'];
const parse = (text: string) => parseTaskCommand(text, ids, ws);

describe('parseTaskCommand', () => {
  it('parses each subcommand, matching task ids case-insensitively to their configured spelling', () => {
    expect(parse('')).toEqual({ kind: 'mine' });
    expect(parse(' help ')).toEqual({ kind: 'help' });
    expect(parse('done o-3')).toEqual({ kind: 'done', task: 'O-3' });
    expect(parse('progress O-1 75')).toEqual({ kind: 'progress', task: 'O-1', percent: 75 });
    expect(parse('progress O-1 100%')).toEqual({ kind: 'progress', task: 'O-1', percent: 100 });
    expect(parse('block O-2 waiting for  the staging DB')).toEqual({ kind: 'block', task: 'O-2', reason: 'waiting for the staging DB' });
    expect(parse('list')).toEqual({ kind: 'list', workstream: null });
    expect(parse('list sigma')).toEqual({ kind: 'list', workstream: 'sigma' });
  });

  it('explains what is wrong, with the expected form', () => {
    expect(parse('done O-9')).toEqual({ kind: 'invalid', message: 'There is no task `O-9`. Tasks: O-1, O-2, O-3.' });
    expect(parse('done')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Which task?') });
    expect(parse('progress O-1 lots')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/task progress O-1 75') });
    expect(parse('progress O-1 101')).toMatchObject({ kind: 'invalid' });
    expect(parse('block O-2')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Say what blocks it') });
    expect(parse('list nope')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('omega, sigma') });
    expect(parse('finish O-1')).toEqual({ kind: 'invalid', message: "I don't know `/task finish`." });
    expect(parseTaskCommand('done O-1', [], ws)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('No tasks are configured') });
  });
});
