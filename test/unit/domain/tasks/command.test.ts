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
    expect(parse('done O-9')).toEqual({ kind: 'invalid', message: 'There is no task `O-9`. Did you mean `O-1`? Tasks: O-1, O-2, O-3.' });
    expect(parse('done')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Which task?') });
    expect(parse('progress O-1 lots')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/task progress O-1 75') });
    expect(parse('progress O-1 101')).toMatchObject({ kind: 'invalid' });
    expect(parse('block O-2')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Say what blocks it') });
    expect(parse('list nope')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('omega, sigma') });
    expect(parse('finish O-1')).toEqual({ kind: 'invalid', message: "I don't know `/task finish`." });
    expect(parseTaskCommand('done O-1', [], ws)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('No tasks are configured') });
  });

  it('parses the plan changes of issue 20: add, due, assign, drop, show; mentions as Slack escapes them', () => {
    expect(parse('add omega "Load test the broker" owner:<@U0ANA|ana> due:15:30 est:2h requires:O-2 P1')).toEqual({
      kind: 'add',
      workstream: 'omega',
      title: 'Load test the broker',
      owner: 'U0ANA',
      due: { date: null, time: '15:30' },
      estimate: 2,
      requires: ['O-2'],
      priority: 'P1',
    });
    // smart quotes, an unquoted title, a dated due in two words, brackets around the optional parts, 90m
    expect(parse('add sigma “Smoke tests” owner:<@U0BEN> due:2026-12-06 9:05 est:90m [requires:O-1,gate1] [P0]')).toMatchObject({
      title: 'Smoke tests',
      owner: 'U0BEN',
      due: { date: '2026-12-06', time: '09:05' },
      estimate: 1.5,
      requires: ['O-1', 'gate1'],
      priority: 'P0',
    });
    expect(parse('add omega Rotate keys owner:<@U0ANA|ana>')).toMatchObject({ title: 'Rotate keys', due: null, estimate: null, requires: [], priority: null });
    expect(parse('due o-2 16:00')).toEqual({ kind: 'due', task: 'O-2', due: { date: null, time: '16:00' }, reason: null });
    expect(parse('due O-2 2026-12-06 16:00 vendor is late')).toEqual({ kind: 'due', task: 'O-2', due: { date: '2026-12-06', time: '16:00' }, reason: 'vendor is late' });
    expect(parse('due O-2 2026-12-06T16:00')).toMatchObject({ due: { date: '2026-12-06', time: '16:00' } });
    expect(parse('assign O-2 <@U0BEN|ben> Ana is stuck')).toEqual({ kind: 'assign', task: 'O-2', owner: 'U0BEN', reason: 'Ana is stuck' });
    expect(parse('drop O-3 moved to the next release')).toEqual({ kind: 'drop', task: 'O-3', reason: 'moved to the next release' });
    expect(parse('show o-1')).toEqual({ kind: 'show', task: 'O-1' });
  });

  it('refuses a plan change it cannot read, saying what to write', () => {
    expect(parse('add nope "x" owner:<@U1>')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Name the workstream first (omega, sigma)') });
    expect(parse('add omega "x"')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Who owns it?') });
    expect(parse('add omega "x" owner:@ana')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('@-mention') });
    expect(parse('add omega "x" owner:<@U1> due:soon')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('due:15:30') });
    expect(parse('add omega "x" owner:<@U1> est:lots')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('est:2h') });
    expect(parse('add omega "x" owner:<@U1> P7')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('P0, P1, P2') });
    expect(parse('due O-2 4pm')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/task due O-2 16:00') });
    expect(parse('due O-2 25:00')).toMatchObject({ kind: 'invalid' });
    expect(parse('assign O-2 ben')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('@-mention') });
    expect(parse('drop O-2')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Say why') });
    expect(parse('due 0-2 16:00')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Did you mean `O-2`?') });
  });
});
