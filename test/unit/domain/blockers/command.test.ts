import { describe, expect, it } from 'vitest';
import { parseBlockerCommand } from '../../../../src/domain/blockers/command.js';

const parse = (t: string) => parseBlockerCommand(t, ['ws1', 'ws2']);

describe('/blocker', () => {
  it('raises with flags anywhere in the text', () => {
    expect(parse('Staging DB is down P0 <@U0JANE|jane> ws:ws2')).toEqual({ kind: 'raise', text: 'Staging DB is down', severity: 'P0', owner: 'U0JANE', workstream: 'ws2' });
    expect(parse('p1 waiting on <#C0WS1|ws1-broker> creds gate:gate1')).toEqual({ kind: 'raise', text: 'waiting on creds', severity: 'P1', channel: 'C0WS1', gate: 'gate1' });
    expect(parse('Need review from <@U1AA|a> and <@U2BB|b>')).toEqual({ kind: 'raise', text: 'Need review from and <@U2BB|b>', owner: 'U1AA' });
  });
  it('opens the form with no text, and parses list/show/help', () => {
    expect(parse('')).toEqual({ kind: 'modal' });
    expect(parse('list')).toEqual({ kind: 'list', scope: 'mine' });
    expect(parse('list all')).toEqual({ kind: 'list', scope: 'all' });
    expect(parse('list workstream')).toEqual({ kind: 'list', scope: 'workstream' });
    expect(parse('show B-42')).toEqual({ kind: 'show', id: 42 });
    expect(parse('help')).toEqual({ kind: 'help' });
  });
  it('answers malformed input with how to write it', () => {
    expect(parse('show')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/blocker show B-42') });
    expect(parse('list everything')).toMatchObject({ kind: 'invalid' });
    expect(parse('P0 <@U0JANE|jane>')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Say what blocks you') });
    expect(parse('db down ws:ws9')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('ws1, ws2') });
  });
});
