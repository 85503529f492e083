import { describe, expect, it } from 'vitest';
import { gateOutcomeNoticeMessage, signOffsWithdrawnMessage } from '../../../../src/slack/blocks/gate-notices.js';

const names = { gateName: 'Gate 4', workstreamName: 'Sigma' };
// Thu 5 Feb 2026 03:30 UTC = 09:00 in Kolkata
const at = new Date('2026-02-05T03:30:00Z');
const sec = Math.floor(at.getTime() / 1000);

describe('gate outcome notices', () => {
  it('a pass in the channel: the first check-in as a date token, its fallback in the workstream zone', () => {
    expect(gateOutcomeNoticeMessage({ kind: 'passed-channel', ...names, firstCheckin: at, zone: 'UTC' })).toEqual({
      text: `🟢 Gate “Gate 4” passed: Sigma is no longer waiting for it. First check-in: <!date^${sec}^{date_short_pretty} at {time}|Thu 5 Feb at 03:30 UTC>.`,
    });
    expect(gateOutcomeNoticeMessage({ kind: 'passed-channel', ...names, firstCheckin: 'now', zone: 'UTC' }).text).toBe(
      '🟢 Gate “Gate 4” passed: Sigma is no longer waiting for it. First check-in: now.',
    );
    expect(gateOutcomeNoticeMessage({ kind: 'passed-channel', ...names, firstCheckin: null, zone: 'UTC' }).text).toBe(
      '🟢 Gate “Gate 4” passed: Sigma is no longer waiting for it. No check-in is scheduled yet.',
    );
  });

  it('a pass by DM: the member’s first check-in with its fallback in their own zone', () => {
    expect(gateOutcomeNoticeMessage({ kind: 'passed-member', ...names, firstCheckin: at, zone: 'Asia/Kolkata' }).text).toBe(
      `🟢 Gate “Gate 4” passed, so Sigma starts. Your first check-in: <!date^${sec}^{date_short_pretty} at {time}|Thu 5 Feb at 09:00 GMT+5:30> (you get a DM with the questions then).`,
    );
    expect(gateOutcomeNoticeMessage({ kind: 'passed-member', ...names, firstCheckin: 'now', zone: 'Asia/Kolkata' }).text).toBe(
      '🟢 Gate “Gate 4” passed, so Sigma starts. Your first check-in: now (you get a DM with the questions then).',
    );
  });

  it('a failure names who failed it; their note is escaped, so it can never ping or link', () => {
    expect(gateOutcomeNoticeMessage({ kind: 'failed', ...names, actor: 'UBETA', note: null }).text).toBe('🔴 Gate “Gate 4” failed (by <@UBETA>): Sigma is delayed until it passes.');
    expect(gateOutcomeNoticeMessage({ kind: 'failed', ...names, actor: 'UBETA', note: '<!channel> see <http://evil|this> & more' }).text).toBe(
      '🔴 Gate “Gate 4” failed (<@UBETA>: &lt;!channel&gt; see &lt;http://evil|this&gt; &amp; more): Sigma is delayed until it passes.',
    );
  });
});

describe('sign-off withdrawn', () => {
  const base = { gateName: 'Gate 4', signOff: ['UALPHA', 'UBETA'], blockerId: 12, severity: 'P0' };
  it('a joint gate needs every signature again', () => {
    expect(signOffsWithdrawnMessage({ ...base, rule: 'all_of', withdrawn: ['UALPHA', 'UBETA'] })).toEqual({
      text: '⚠️ The sign-offs of gate “Gate 4” (<@UALPHA>, <@UBETA>) were withdrawn: B-12 (P0) was raised against it afterwards. It needs every signature again (<@UALPHA>, <@UBETA>) once that is resolved.',
    });
  });
  it('any other gate names who had signed, when anyone had', () => {
    expect(signOffsWithdrawnMessage({ ...base, rule: 'any_of', withdrawn: ['UBETA'] }).text).toBe(
      '⚠️ The sign-off of gate “Gate 4” by <@UBETA> was withdrawn: B-12 (P0) was raised against it afterwards. Sign it off again once that is resolved.',
    );
    expect(signOffsWithdrawnMessage({ ...base, rule: 'any_of', withdrawn: [] }).text).toBe(
      '⚠️ The sign-off of gate “Gate 4” was withdrawn: B-12 (P0) was raised against it afterwards. Sign it off again once that is resolved.',
    );
  });
});
