import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { didYouMean, nextTaskId, parseDueWords, parseEstimateHours, parseMention, resolveDue } from '../../../../src/domain/plan/replan.js';

describe('replan pieces (issue 20)', () => {
  it('reads a mention as Slack escapes it, or a bare user id; not a plain @name', () => {
    expect(parseMention('<@U0ANA|ana>')).toBe('U0ANA');
    expect(parseMention('<@W0ANA>')).toBe('W0ANA');
    expect(parseMention('U0ANA')).toBe('U0ANA');
    expect(parseMention('@ana')).toBeNull();
    expect(parseMention('<#C0WS1|ws>')).toBeNull();
  });

  it('reads due times with or without a date', () => {
    expect(parseDueWords(['16:00', 'late'])).toEqual({ due: { date: null, time: '16:00' }, used: 1 });
    expect(parseDueWords(['2026-12-06', '9:30'])).toEqual({ due: { date: '2026-12-06', time: '09:30' }, used: 2 });
    expect(parseDueWords(['2026-12-06T16:00'])).toEqual({ due: { date: '2026-12-06', time: '16:00' }, used: 1 });
    expect(parseDueWords(['4pm'])).toBeNull();
    expect(parseDueWords(['2026-12-06'])).toBeNull();
    expect(parseDueWords([])).toBeNull();
  });

  it('resolves a time alone to today in the zone while it is ahead, and refuses one in the past', () => {
    // the test's own now, in a zone away from UTC
    const zone = 'America/New_York';
    const now = DateTime.fromISO('2026-03-10T13:05', { zone });
    const ahead = resolveDue({ date: null, time: '16:00' }, zone, now.toMillis());
    expect(ahead).toEqual({ ok: true, local: '2026-03-10T16:00', at: now.set({ hour: 16, minute: 0 }).toMillis() });
    const past = resolveDue({ date: null, time: '13:00' }, zone, now.toMillis());
    expect(past).toMatchObject({ ok: false, message: expect.stringContaining('is in the past: it is 13:05 there now') });
    expect(resolveDue({ date: '2026-03-09', time: '16:00' }, zone, now.toMillis())).toMatchObject({ ok: false });
    expect(resolveDue({ date: '2026-03-11', time: '09:00' }, zone, now.toMillis())).toMatchObject({ ok: true, local: '2026-03-11T09:00' });
    expect(resolveDue({ date: '2026-02-30', time: '09:00' }, zone, now.toMillis())).toMatchObject({ ok: false, message: expect.stringContaining('not a real date') });
  });

  it('suggests the closest id when near enough', () => {
    expect(didYouMean('0-2', ['O-1', 'O-2', 'S-1'])).toBe('O-2');
    expect(didYouMean('o-7', ['O-1', 'O-7'])).toBe('O-7');
    expect(didYouMean('completely-different', ['O-1'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });

  it('numbers a new task after the workstream’s highest, with its prefix, skipping ids in use', () => {
    expect(nextTaskId('omega', ['O-1', 'O-2', 'O-6'], ['O-1', 'O-2', 'O-6'])).toBe('O-7');
    expect(nextTaskId('omega', ['O-1'], ['O-1', 'o-2'])).toBe('O-3');
    expect(nextTaskId('sigma', [], ['O-1'])).toBe('S-1');
    expect(nextTaskId('ws1', ['T1', 'T2'], ['T1', 'T2'])).toBe('T3');
  });

  it('reads estimates in hours', () => {
    expect(parseEstimateHours('2h')).toBe(2);
    expect(parseEstimateHours('90m')).toBe(1.5);
    expect(parseEstimateHours('1.5h')).toBe(1.5);
    expect(parseEstimateHours('3')).toBe(3);
    expect(parseEstimateHours('0h')).toBeNull();
    expect(parseEstimateHours('lots')).toBeNull();
  });
});
