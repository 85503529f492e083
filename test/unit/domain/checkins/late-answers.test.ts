import { describe, expect, it } from 'vitest';
import { countsInReport, LATE_ANSWER_WINDOW_MS } from '../../../../src/domain/checkins/late-answers.js';

describe('countsInReport: whether an answer still counts in its run’s report', () => {
  const closeAt = Date.UTC(2026, 1, 3, 18, 0, 0); // any instant: the rule is a difference
  it('counts an answer before the close, at it, and up to 12 h after it', () => {
    expect(LATE_ANSWER_WINDOW_MS).toBe(12 * 60 * 60 * 1000);
    expect(countsInReport(closeAt, closeAt - 60_000)).toBe(true);
    expect(countsInReport(closeAt, closeAt)).toBe(true);
    expect(countsInReport(closeAt, closeAt + LATE_ANSWER_WINDOW_MS)).toBe(true);
  });
  it('does not count one given later than 12 h after the close', () => {
    expect(countsInReport(closeAt, closeAt + LATE_ANSWER_WINDOW_MS + 1)).toBe(false);
    expect(countsInReport(closeAt, closeAt + 13 * 3_600_000)).toBe(false);
  });
});
