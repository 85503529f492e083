import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOARD_COALESCE_MS, BOARD_SETTLE_MS, boardJobDelay, boardJobId } from '../../../src/jobs/board-coalescing.js';

describe('coalescing the status board refreshes', () => {
  const start = fc.integer({ min: 0, max: 4_102_444_800_000 });

  it('any number of changes within 10 s ask for at most 5 refresh jobs', () => {
    fc.assert(
      fc.property(start, fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), (t0, offsets) => {
        const ids = new Set(offsets.map((o) => boardJobId(t0 + o, BOARD_COALESCE_MS)));
        expect(ids.size).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('a change is refreshed after it, within one window and the settle time, and never by a job already due', () => {
    fc.assert(
      fc.property(start, (at) => {
        const delay = boardJobDelay(at, BOARD_COALESCE_MS);
        expect(delay).toBeGreaterThan(BOARD_SETTLE_MS);
        expect(delay).toBeLessThanOrEqual(BOARD_COALESCE_MS + BOARD_SETTLE_MS);
        // the job of this change's window runs after the window ends: later changes of the window share it
        const runsAt = at + delay;
        expect(boardJobId(runsAt - BOARD_SETTLE_MS - 1, BOARD_COALESCE_MS)).toBe(boardJobId(at, BOARD_COALESCE_MS));
        expect(boardJobId(runsAt - BOARD_SETTLE_MS, BOARD_COALESCE_MS)).not.toBe(boardJobId(at, BOARD_COALESCE_MS));
      }),
    );
  });

  it('every change is on the board within 10 s', () => {
    expect(BOARD_COALESCE_MS + BOARD_SETTLE_MS).toBeLessThan(10_000);
  });
});
