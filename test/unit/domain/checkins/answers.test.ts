import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { applyDmReply, blockersOf, isComplete, isEmptyBlocker, parseAnswer, parsePercent, parseRisk, riskOf } from '../../../../src/domain/checkins/answers.js';

const Q = DEFAULT_QUESTIONS;
const byId = (id: string) => Q.find((q) => q.id === id)!;

describe('isEmptyBlocker', () => {
  it.each(['none', 'None.', 'no', 'NO', '-', '--', 'n/a', 'N/A', 'nothing', 'no blockers', 'No blocker', 'nope', '', '   ', 'all good'])('"%s" means no blocker', (t) => {
    expect(isEmptyBlocker(t)).toBe(true);
  });
  it.each(['waiting on OAuth credentials', 'no access to the staging DB', 'None of the tests pass', 'nobody reviewed my PR'])('"%s" is a blocker', (t) => {
    expect(isEmptyBlocker(t)).toBe(false);
  });
});

describe('parsing answers', () => {
  it('percent accepts 0–100 with or without %', () => {
    expect(parsePercent('80')).toBe(80);
    expect(parsePercent(' 100 % ')).toBe(100);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('101')).toBeNull();
    expect(parsePercent('eighty')).toBeNull();
    expect(parsePercent('-5')).toBeNull();
  });
  it('risk accepts words, letters and emoji', () => {
    expect(parseRisk('Green')).toBe('green');
    expect(parseRisk('y')).toBe('yellow');
    expect(parseRisk('amber')).toBe('yellow');
    expect(parseRisk('🔴')).toBe('red');
    expect(parseRisk(':red_circle:')).toBe('red');
    expect(parseRisk('purple')).toBeNull();
  });
  it('gives a hint on how to write a bad answer', () => {
    expect(parseAnswer(byId('progress'), 'lots')).toEqual({ ok: false, error: expect.stringContaining('0 to 100') });
    expect(parseAnswer(byId('risk'), 'meh')).toEqual({ ok: false, error: expect.stringContaining('green') });
    expect(parseAnswer(byId('blockers'), '  ')).toEqual({ ok: false, error: expect.stringContaining('none') });
  });
  it('keeps text verbatim (only surrounding whitespace trimmed), mentions and all', () => {
    const text = 'Shipped <!channel> fix & *bold* <http://evil|click> 🚀';
    expect(parseAnswer(byId('today'), `  ${text}\n`)).toEqual({ ok: true, value: text });
  });
  it('an optional question may be left empty', () => {
    expect(parseAnswer({ id: 'notes', prompt: 'Notes?', kind: 'text', required: false }, '')).toEqual({ ok: true, value: null });
  });
});

describe('the DM conversation', () => {
  it('walks the questions in order, re-asks after a bad reply, and finishes', () => {
    let answers = {};
    let step = 0;
    const replies = ['Wrote the OAuth flow', 'Token refresh', 'waiting on Alpaca credentials', 'abc', '75%', 'yellow'];
    const errors: string[] = [];
    for (const r of replies) {
      const res = applyDmReply(Q, answers, step, r);
      if (!res.ok) {
        errors.push(res.error);
        expect(res.step).toBe(step);
        continue;
      }
      answers = res.answers;
      step = res.step;
    }
    expect(errors).toHaveLength(1);
    expect(step).toBe(5);
    expect(answers).toEqual({ yesterday: 'Wrote the OAuth flow', today: 'Token refresh', blockers: 'waiting on Alpaca credentials', progress: 75, risk: 'yellow' });
    expect(isComplete(Q, answers)).toBe(true);
    expect(blockersOf(Q, answers)).toEqual(['waiting on Alpaca credentials']);
    expect(riskOf(Q, answers)).toBe('yellow');
  });
  it('says done on the last question', () => {
    const res = applyDmReply(Q, { yesterday: 'a', today: 'b', blockers: 'none', progress: 10 }, 4, 'g');
    expect(res).toMatchObject({ ok: true, done: true, step: 5 });
    expect(blockersOf(Q, (res as { answers: Record<string, string> }).answers)).toEqual([]);
  });
});
