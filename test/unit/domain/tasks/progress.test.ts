import { describe, expect, it } from 'vitest';
import { percentComplete } from '../../../../src/domain/tasks/progress.js';

describe('percentComplete', () => {
  it('weighs tasks by their estimate at their reported percent, a done task at 100%', () => {
    // 4 h at 50% + 2 h done + 2 h at 0% = 4 of 8 hours
    expect(
      percentComplete({
        tasks: [
          { estimate: 4, progress: 50, done: false },
          { estimate: 2, progress: 30, done: true },
          { estimate: 2, progress: 0, done: false },
        ],
        checklistDone: 0,
        checklistTotal: 0,
      }),
    ).toBe(50);
  });

  it('counts each checklist item as a one-hour task done when ticked', () => {
    // 2 h task at 100% (done) + 2 items of 1 h, one ticked = 3 of 4 hours
    expect(percentComplete({ tasks: [{ estimate: 2, progress: 100, done: true }], checklistDone: 1, checklistTotal: 2 })).toBe(75);
  });

  it('without tasks is the checklist ticked/total; without either, null', () => {
    expect(percentComplete({ tasks: [], checklistDone: 2, checklistTotal: 3 })).toBe(66);
    expect(percentComplete({ tasks: [], checklistDone: 0, checklistTotal: 0 })).toBeNull();
  });

  it('rounds down (99.9% is not done) but reaches 100 on fractional estimates that add up', () => {
    expect(
      percentComplete({
        tasks: [
          { estimate: 999, progress: 100, done: true },
          { estimate: 1, progress: 90, done: false },
        ],
        checklistDone: 0,
        checklistTotal: 0,
      }),
    ).toBe(99);
    expect(percentComplete({ tasks: [0.1, 0.2, 0.3].map((estimate) => ({ estimate, progress: 100, done: false })), checklistDone: 0, checklistTotal: 0 })).toBe(100);
  });

  it('clamps a progress outside 0–100', () => {
    expect(
      percentComplete({
        tasks: [
          { estimate: 1, progress: 150, done: false },
          { estimate: 1, progress: -5, done: false },
        ],
        checklistDone: 0,
        checklistTotal: 0,
      }),
    ).toBe(50);
  });
});
