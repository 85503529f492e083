import { describe, expect, it } from 'vitest';
import { decisionAnnouncementMessage, signOffReplyMessage } from '../../../../src/slack/blocks/gonogo-replies.js';

describe('the go/no-go decision announcement', () => {
  const base = { programName: 'Launch', actor: 'U0PM', verdict: { decision: 'NO-GO' as const, percent: 80 } };
  it('says the decision, who made it and the verdict at the time', () => {
    expect(decisionAnnouncementMessage({ ...base, decision: 'go', note: null })).toEqual({
      text: "🟢 *Decision: GO* for Launch, by <@U0PM>. (Preflight's verdict at the time: NO-GO, 80% of the checklist.)",
    });
    expect(decisionAnnouncementMessage({ ...base, decision: 'conditional', note: null }).text).toMatch(/^🟡 \*Decision: CONDITIONAL GO\* for Launch/);
    expect(decisionAnnouncementMessage({ ...base, decision: 'no-go', note: null }).text).toMatch(/^🔴 \*Decision: NO-GO\* for Launch/);
  });
  it('quotes the note escaped, so it can never ping or link', () => {
    expect(decisionAnnouncementMessage({ ...base, decision: 'no-go', note: 'wait for <!channel> & <http://x|QA>' }).text).toBe(
      "🔴 *Decision: NO-GO* for Launch, by <@U0PM>: “wait for &lt;!channel&gt; &amp; &lt;http://x|QA&gt;”. (Preflight's verdict at the time: NO-GO, 80% of the checklist.)",
    );
  });
});

describe('sign-off replies', () => {
  it('says what changed, or why nothing did', () => {
    const text = (r: Parameters<typeof signOffReplyMessage>[0]) => signOffReplyMessage(r).text;
    expect(text({ kind: 'unknown-gate', gateId: 'qa2', gateIds: ['qa', 'sec'] })).toBe('There is no gate `qa2`. Gates: `qa`, `sec`.');
    expect(text({ kind: 'unknown-gate', gateId: 'qa2', gateIds: [] })).toBe('There is no gate `qa2`. Gates: none.');
    expect(text({ kind: 'already', gateName: 'Gate 4', outcome: 'passed' })).toBe('“Gate 4” is already passed.');
    expect(text({ kind: 'cannot-pass', gateName: 'Gate 4', why: '“QA” has not passed' })).toBe('“Gate 4” cannot pass yet: “QA” has not passed.');
    expect(text({ kind: 'already-signed', gateName: 'Gate 4', pending: ['UB'] })).toBe('You already signed “Gate 4”; still waiting for <@UB>.');
    expect(text({ kind: 'signed', gateName: 'Gate 4', pending: ['UB'] })).toBe('✍️ You signed “Gate 4”. It passes when <@UB> signs too.');
    expect(text({ kind: 'signed', gateName: 'Gate 4', pending: ['UB', 'UC'] })).toBe('✍️ You signed “Gate 4”. It passes when <@UB>, <@UC> sign too.');
    expect(text({ kind: 'passed', gateName: 'Gate 4' })).toBe('✅ “Gate 4” signed off.');
    expect(text({ kind: 'failed', gateName: 'Gate 4' })).toBe('❌ “Gate 4” marked failed.');
  });
});
