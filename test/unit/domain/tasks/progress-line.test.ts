import { describe, expect, it } from 'vitest';
import { parseTaskProgressLine } from '../../../../src/domain/tasks/progress-line.js';

const ids = ['O-1', 'O-3', 'O-4'];

describe('parseTaskProgressLine', () => {
  it('reads "O-1 75, O-3 done" (commas or semicolons, % optional, ids case-insensitive)', () => {
    expect(parseTaskProgressLine('O-1 75, O-3 done', ids)).toEqual({
      ok: true,
      updates: [
        { task: 'O-1', percent: 75 },
        { task: 'O-3', percent: 100 },
      ],
    });
    expect(parseTaskProgressLine('o-4: 40%; O-1=10', ids)).toEqual({
      ok: true,
      updates: [
        { task: 'O-4', percent: 40 },
        { task: 'O-1', percent: 10 },
      ],
    });
  });

  it('takes nothing when one part is wrong, and says which', () => {
    expect(parseTaskProgressLine('O-1 75, O-9 done', ids)).toEqual({ ok: false, message: '“O-9” is not one of your tasks (O-1, O-3, O-4).' });
    expect(parseTaskProgressLine('O-1 lots', ids)).toMatchObject({ ok: false, message: expect.stringContaining('“lots” for O-1 is not a percent') });
    expect(parseTaskProgressLine('O-1 120', ids)).toMatchObject({ ok: false });
    expect(parseTaskProgressLine('all finished now', ids)).toMatchObject({ ok: false, message: expect.stringContaining('I could not read “all finished now”') });
    expect(parseTaskProgressLine('finished everything', ids)).toEqual({ ok: false, message: '“finished” is not one of your tasks (O-1, O-3, O-4).' });
    expect(parseTaskProgressLine('O-1 10, o-1 20', ids)).toEqual({ ok: false, message: 'O-1 is given twice.' });
    expect(parseTaskProgressLine('  ', ids)).toMatchObject({ ok: false, message: expect.stringContaining('e.g. `O-1 75, O-3 done`') });
  });
});
