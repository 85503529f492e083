import { describe, expect, it } from 'vitest';
import { refusalPlainText, refusalText, resultText } from '../../../../src/slack/blocks/refusal.js';

describe('refusal texts name who can', () => {
  it('renders the rule and mentions everyone who can', () => {
    expect(refusalText({ rule: 'Only the PM or an exec can record the go/no-go decision', who: ['U0PM', 'U0EXEC'] })).toBe(
      'Only the PM or an exec can record the go/no-go decision: <@U0PM>, <@U0EXEC>.',
    );
  });
  it('escapes names from the config, so they cannot form mentions', () => {
    expect(refusalText({ rule: "Only <!channel>'s leads or the PM can tick its checklist", who: ['U1'] })).toBe("Only &lt;!channel&gt;'s leads or the PM can tick its checklist: <@U1>.");
  });
  it('says the rule alone when nobody can', () => {
    expect(refusalText({ rule: 'There is no gate “x”, so nobody can sign it off', who: [] })).toBe('There is no gate “x”, so nobody can sign it off.');
  });
  it('passes a plain message through', () => {
    expect(resultText({ message: 'B-1 was already resolved.' })).toBe('B-1 was already resolved.');
    expect(resultText({ refusal: { rule: 'Only X can', who: ['U1'] } })).toBe('Only X can: <@U1>.');
  });
  it('says who in words, without mentions or escapes, in a modal inline error (shown as plain text)', () => {
    const text = refusalPlainText({ rule: "Only R&D's leads or the PM can tick its checklist", who: ['U0LEAD', 'U0PM'] });
    expect(text).toBe("Only R&D's leads or the PM can tick its checklist.");
    expect(text).not.toMatch(/<@|&amp;|&lt;/);
  });
});
