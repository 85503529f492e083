import { describe, expect, it } from 'vitest';
import { standupSkipText } from '../../../../src/slack/blocks/standup-skip.js';

describe('the answer to /standup skip names the run it skips and when it prompts the member', () => {
  it('a run later than today (the workstream’s next date) is named with its date and the member’s local time', () => {
    const text = standupSkipText([{ workstream: 'Payments', checkin: 'Standup', outcome: 'skip-recorded', localDate: '2026-12-01', promptAt: new Date('2026-12-01T01:00:00Z'), zone: 'Asia/Tokyo' }]);
    expect(text).toBe('• ⏭️ Skipped *Payments*’s standup on Tue 1 Dec (10:00 your time): no prompt or reminder.');
    expect(text).not.toContain('today');
  });
  it('one line per workstream; an answered run stays in the report; a prompt on another local day gives its date', () => {
    const text = standupSkipText([
      { workstream: 'Payments', checkin: 'Standup', outcome: 'skipped', localDate: '2026-11-30', promptAt: new Date('2026-11-30T15:00:00Z'), zone: 'America/New_York' },
      { workstream: 'Broker <&>', checkin: 'Standup', outcome: 'already-answered', localDate: '2026-11-30', promptAt: new Date('2026-11-30T15:00:00Z'), zone: 'America/New_York' },
      { workstream: 'AI', checkin: 'Standup', outcome: 'skipped', localDate: '2026-11-30', promptAt: new Date('2026-12-01T01:00:00Z'), zone: 'Asia/Tokyo' },
    ]);
    expect(text.split('\n')).toEqual([
      '• ⏭️ Skipped *Payments*’s standup on Mon 30 Nov (10:00 your time): no prompt or reminder.',
      '• You already answered *Broker &lt;&amp;&gt;*’s standup on Mon 30 Nov (10:00 your time), so it stays in the report.',
      '• ⏭️ Skipped *AI*’s standup on Mon 30 Nov (your prompt: Tue 1 Dec 10:00 your time): no prompt or reminder.',
    ]);
  });
  it('says so when the member is in no standup', () => {
    expect(standupSkipText([])).toBe('You are not in any check-in coming up, so there is nothing to skip.');
  });
});
