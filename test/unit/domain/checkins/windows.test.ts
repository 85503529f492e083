import { describe, expect, it } from 'vitest';
import { parseDays } from '../../../../src/domain/checkins/days.js';
import { checkinWindows, type WindowSpec, windowOverlaps } from '../../../../src/domain/checkins/windows.js';

const H = 3_600_000;
const weekdays = parseDays(['mon', 'tue', 'wed', 'thu', 'fri'], []);
const spec = (at: string, participants: string[], extra: Partial<WindowSpec> = {}): WindowSpec => ({ at, closeAfterMs: undefined, defaultCloseAfterMs: 2 * H, days: weekdays, participants, ...extra });
const hours = (list: WindowSpec[]) => checkinWindows(list).map((w) => [w.closeAfterMs / H, w.closedBy]);

describe('checkinWindows: a window without close_after lasts until the next check-in for the same people (issue 18)', () => {
  it('cuts the default at the next check-in that prompts one of its participants, and never lengthens it', () => {
    expect(hours([spec('11:00', ['U1', 'U2']), spec('12:30', ['U2']), spec('17:00', ['U1'])])).toEqual([
      [1.5, 1],
      [2, null],
      [2, null],
    ]);
    // its own close_after is kept, whatever comes next
    expect(hours([spec('11:00', ['U1'], { closeAfterMs: 3 * H }), spec('12:00', ['U1'])])).toEqual([
      [3, null],
      [2, null],
    ]);
  });

  it('is not cut by a check-in for other people, on days that never meet, or at the same time (that is an overlap)', () => {
    const saturday = parseDays(['2026-02-07'], []);
    expect(hours([spec('11:00', ['U1']), spec('11:30', ['U2']), spec('12:00', ['U1'], { days: saturday }), spec('11:00', ['U1'])])).toEqual([
      [2, null],
      [2, null],
      [2, null],
      [2, null],
    ]);
  });

  it('compares people given by email case-insensitively', () => {
    expect(hours([spec('11:00', ['ana@example.com']), spec('12:00', ['Ana@Example.com'])])[0]).toEqual([1, 1]);
  });
});

describe('windowOverlaps: refused only when someone would hold two open windows at once', () => {
  it('names the people in both, for windows that overlap on a day both run', () => {
    const list = [spec('11:00', ['U1', 'U2'], { closeAfterMs: 2 * H }), spec('12:00', ['U3', 'U2', 'U1']), spec('12:30', ['U9'])];
    expect(windowOverlaps(list, checkinWindows(list))).toEqual([{ first: 0, second: 1, people: ['U2', 'U1'] }]);
  });

  it('two check-ins at the same time for the same person overlap; back to back they do not', () => {
    const same = [spec('11:00', ['U1']), spec('11:00', ['U1'])];
    expect(windowOverlaps(same, checkinWindows(same))).toEqual([{ first: 0, second: 1, people: ['U1'] }]);
    const backToBack = [spec('11:00', ['U1'], { closeAfterMs: H }), spec('12:00', ['U1'])];
    expect(windowOverlaps(backToBack, checkinWindows(backToBack))).toEqual([]);
  });
});
