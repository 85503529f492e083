import { describe, expect, it } from 'vitest';
import { parseStandupCommand } from '../../../../src/domain/checkins/command.js';

const WS = ['ws1', 'ws2'];
const parse = (t: string) => parseStandupCommand(t, '2026-02-03', WS);

describe('/standup', () => {
  it('parses every subcommand', () => {
    expect(parse('')).toEqual({ kind: 'form' });
    expect(parse('ws2')).toEqual({ kind: 'form', workstream: 'ws2' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('HELP')).toEqual({ kind: 'help' });
    expect(parse('skip')).toEqual({ kind: 'skip' });
    expect(parse('skip ws1')).toEqual({ kind: 'skip', workstream: 'ws1' });
    expect(parse('ooo 2026-02-06')).toEqual({ kind: 'ooo', from: '2026-02-03', until: '2026-02-06' });
    expect(parse('ooo 2026-02-10 2026-02-12')).toEqual({ kind: 'ooo', from: '2026-02-10', until: '2026-02-12' });
    expect(parse('back')).toEqual({ kind: 'back' });
    expect(parse('start ws1')).toEqual({ kind: 'start', workstream: 'ws1' });
  });

  it('takes a delegate with /standup ooo, as Slack sends a mention with escaping on (issue 22)', () => {
    expect(parse('ooo 2026-02-06 delegate:<@U0BEN|ben>')).toEqual({ kind: 'ooo', from: '2026-02-03', until: '2026-02-06', delegate: 'U0BEN' });
    expect(parse('ooo 2026-02-10 2026-02-12 delegate: <@U0BEN>')).toEqual({ kind: 'ooo', from: '2026-02-10', until: '2026-02-12', delegate: 'U0BEN' });
    expect(parse('ooo delegate:<@W0BEN|ben> 2026-02-06')).toEqual({ kind: 'ooo', from: '2026-02-03', until: '2026-02-06', delegate: 'W0BEN' });
    const plain = parse('ooo 2026-02-06 delegate:@ben');
    expect(plain.kind === 'invalid' && plain.message).toMatch(/delegate:@name/);
  });

  it('takes a check-in id after the workstream', () => {
    expect(parse('ws2 midday')).toEqual({ kind: 'form', workstream: 'ws2', checkin: 'midday' });
    expect(parse('skip ws1 checkpoint-13')).toEqual({ kind: 'skip', workstream: 'ws1', checkin: 'checkpoint-13' });
    expect(parse('start ws1 morning')).toEqual({ kind: 'start', workstream: 'ws1', checkin: 'morning' });
    const bad = parse('start ws1 Morning!');
    expect(bad.kind === 'invalid' && bad.message).toMatch(/not a check-in id/);
    const long = parse('skip ws1 morning now');
    expect(long.kind === 'invalid' && long.message).toMatch(/\/standup skip <workstream> <check-in>/);
  });

  it('answers malformed input with how to write it', () => {
    const msg = (t: string) => {
      const r = parse(t);
      if (r.kind !== 'invalid') throw new Error(`expected invalid for ${t}`);
      return r.message;
    };
    expect(msg('ooo')).toMatch(/\/standup ooo <until>/);
    expect(msg('ooo tomorrow')).toMatch(/2026-12-24/);
    expect(msg('ooo 2026-02-30')).toMatch(/dates like/);
    expect(msg('ooo 2026-01-01')).toMatch(/in the past/);
    expect(msg('ooo 2026-02-12 2026-02-10')).toMatch(/starts .* after it ends/);
    expect(msg('start')).toMatch(/\/standup start <workstream>.*ws1, ws2/);
    expect(msg('start ws9')).toMatch(/no workstream `ws9`/);
    expect(msg('skip ws9')).toMatch(/workstreams: ws1, ws2/);
    expect(msg('back now')).toMatch(/takes nothing/);
    expect(msg('dance')).toMatch(/don't know `\/standup dance`/);
  });
});
