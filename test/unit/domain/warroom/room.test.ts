import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches, inviteesOf, isRefusal, MAX_CHANNEL_NAME, p0OpenFor, summaryLine, triggerEnabled, warRoomChannelName, warRoomText, type WarRoomTrigger } from '../../../../src/domain/warroom/room.js';

const roles = { pm: 'U0PM', execs: ['U0EXEC'], leads: { alpha: ['UALPHA', 'U0PM'], beta: ['UBETA'] }, oncall: ['UONCALL', null] };
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('war room rules (issue 23)', () => {
  it('names the channel from the template by Slack’s rules: lowercase, letters, digits, - and _, at most 80', () => {
    expect(warRoomChannelName('launch-{program}-war-room', 'Final Deployment (5 teams)')).toBe('launch-final-deployment-5-teams-war-room');
    expect(warRoomChannelName('{program}', 'Café Ünïcode!')).toBe('cafe-unicode');
    expect(warRoomChannelName('launch-{program}-war-room', 'L', 2)).toBe('launch-l-war-room-2');
    expect(() => warRoomChannelName('{program}', '!!!')).toThrow('program.war_room.name');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 9 }), (name, attempt) => {
        const n = warRoomChannelName('launch-{program}-war-room', name, attempt);
        expect(n.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
        expect(n).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
        if (attempt > 1) expect(n.endsWith(`-${attempt}`)).toBe(true);
      }),
    );
  });

  it('invites the PM, the execs, the leads involved, the blocker’s owner, who failed the gate and who is on call, each once', () => {
    const p0: WarRoomTrigger = { kind: 'p0_open', key: 'p0-1', blockerId: 1, text: 't', workstreamId: 'alpha', owner: 'UOWNER', openForMs: 0 };
    expect(inviteesOf(p0, roles)).toEqual(['U0PM', 'U0EXEC', 'UALPHA', 'UOWNER', 'UONCALL']);
    const gate: WarRoomTrigger = { kind: 'gate_failed', key: 'g', gateId: 'qa', gateName: 'QA', actor: 'UQA', note: null, workstreams: ['beta'] };
    expect(inviteesOf(gate, roles)).toEqual(['U0PM', 'U0EXEC', 'UBETA', 'UQA', 'UONCALL']);
  });

  it('invites in batches of at most 1000', () => {
    const ids = Array.from({ length: 2_345 }, (_, i) => `U${i}`);
    expect(batches(ids).map((b) => b.length)).toEqual([1000, 1000, 345]);
    expect(batches(ids).flat()).toEqual(ids);
  });

  it('reads `when`', () => {
    expect(triggerEnabled(['no_go'], { kind: 'no_go' })).toBe(true);
    expect(triggerEnabled(['no_go'], { kind: 'gate_failed' })).toBe(false);
    expect(triggerEnabled([{ p0_open_for: 60_000 }], { kind: 'p0_open' })).toBe(true);
    expect(p0OpenFor(['no_go', { p0_open_for: 60_000 }])).toBe(60_000);
    expect(p0OpenFor(['no_go'])).toBeNull();
  });

  it('escapes user text in the why-post and words the summary', () => {
    const p0: WarRoomTrigger = { kind: 'p0_open', key: 'p0-7', blockerId: 7, text: '<!channel> DB & cache', workstreamId: 'alpha', owner: null, openForMs: 45 * 60_000 };
    expect(warRoomText({ kind: 'why', trigger: p0, link: 'https://x/p1', opened: true }, escapeText)).toBe(
      '🚨 War room opened: P0 blocker B-7 has been open for 45m (<https://x/p1|see>): &lt;!channel&gt; DB &amp; cache.',
    );
    expect(summaryLine(26 * 3_600_000, 'a NO-GO verdict', 0, 'U0PM')).toBe('🏁 <@U0PM> closed the war room: open for 1d 2h, opened by a NO-GO verdict; 0 blockers resolved since.');
    expect(isRefusal('missing_scope')).toBe(true);
    expect(isRefusal('ratelimited')).toBe(false);
  });
});
