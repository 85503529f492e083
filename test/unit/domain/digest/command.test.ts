import { describe, expect, it } from 'vitest';
import { parsePreflightCommand } from '../../../../src/domain/digest/command.js';

const ws = ['api', 'web'];

describe('parsePreflightCommand', () => {
  it('reads stats with an optional workstream and days, in either order', () => {
    expect(parsePreflightCommand('stats', ws)).toEqual({ kind: 'stats', workstream: null, days: 1 });
    expect(parsePreflightCommand('stats api 7', ws)).toEqual({ kind: 'stats', workstream: 'api', days: 7 });
    expect(parsePreflightCommand(' STATS 14d web ', ws)).toEqual({ kind: 'stats', workstream: 'web', days: 14 });
  });
  it('reads warroom close (issue 23)', () => {
    expect(parsePreflightCommand('warroom close', ws)).toEqual({ kind: 'warroom-close' });
    expect(parsePreflightCommand('WarRoom Close', ws)).toEqual({ kind: 'warroom-close' });
    expect(parsePreflightCommand('warroom', ws)).toEqual({ kind: 'invalid', message: 'Did you mean `/preflight warroom close`?' });
    expect(parsePreflightCommand('warroom open', ws)).toEqual({ kind: 'invalid', message: 'Did you mean `/preflight warroom close`?' });
  });

  it('reads plan and reload, with nothing after them', () => {
    expect(parsePreflightCommand('plan', ws)).toEqual({ kind: 'plan' });
    expect(parsePreflightCommand(' Reload ', ws)).toEqual({ kind: 'reload' });
    expect(parsePreflightCommand('reload now', ws)).toEqual({ kind: 'invalid', message: '`/preflight reload` takes nothing after it.' });
  });
  it('reads retro, with nothing after it (issue 23)', () => {
    expect(parsePreflightCommand(' retro ', ws)).toEqual({ kind: 'retro' });
    expect(parsePreflightCommand('retro now', ws)).toEqual({ kind: 'invalid', message: '`/preflight retro` takes nothing after it.' });
  });
  it('answers help for nothing or help', () => {
    expect(parsePreflightCommand('', ws)).toEqual({ kind: 'help' });
    expect(parsePreflightCommand('help', ws)).toEqual({ kind: 'help' });
  });
  it('explains what is wrong', () => {
    expect(parsePreflightCommand('stats mobile', ws)).toEqual({ kind: 'invalid', message: 'There is no workstream `mobile`. Workstreams: api, web.' });
    expect(parsePreflightCommand('stats 0', ws)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('from 1 to 90') });
    expect(parsePreflightCommand('stats 91', ws)).toMatchObject({ kind: 'invalid' });
    expect(parsePreflightCommand('stats 3 4', ws)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('once') });
    expect(parsePreflightCommand('stats api web', ws)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('one workstream') });
    expect(parsePreflightCommand('digest', ws)).toEqual({ kind: 'invalid', message: "I don't know `/preflight digest`." });
  });
});
