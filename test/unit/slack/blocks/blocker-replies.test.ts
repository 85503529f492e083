import { describe, expect, it } from 'vitest';
import { blockerActReplyMessage } from '../../../../src/slack/blocks/blocker-replies.js';

const text = (r: Parameters<typeof blockerActReplyMessage>[0]) => blockerActReplyMessage(r).text;

describe('blocker action replies', () => {
  it('say what changed', () => {
    expect(text({ kind: 'acknowledged', blockerId: 3, stopsEscalation: true })).toBe('👀 You acknowledged B-3. Its escalation stops here.');
    expect(text({ kind: 'acknowledged', blockerId: 3, stopsEscalation: false })).toBe('👀 You acknowledged B-3. No more pings to you; it still escalates until resolved.');
    expect(text({ kind: 'resolved', blockerId: 3, openForMs: 90 * 60_000 })).toBe('✅ B-3 resolved after 1h 30m. Escalation stopped.');
    expect(text({ kind: 'snoozed', blockerId: 3, forMs: 30 * 60_000 })).toBe('😴 B-3 snoozed for 30m: its next notice waits until then.');
    expect(text({ kind: 'reassigned', blockerId: 3, owner: 'U02' })).toBe('🔀 B-3 now waits on <@U02>.');
    expect(text({ kind: 'escalating', blockerId: 3 })).toBe('⏫ Escalating B-3 to its next level now.');
  });
  it('say why nothing changed', () => {
    expect(text({ kind: 'not-found', blockerId: 9 })).toBe('There is no blocker B-9.');
    expect(text({ kind: 'already-resolved', blockerId: 3, resolvedBy: 'U0PM' })).toBe('B-3 was already resolved by <@U0PM>.');
    expect(text({ kind: 'already-resolved', blockerId: 3, resolvedBy: null })).toBe('B-3 was already resolved.');
    expect(text({ kind: 'already-acknowledged', blockerId: 3 })).toBe('You already acknowledged B-3.');
    expect(text({ kind: 'already-owner', blockerId: 3, owner: 'U02' })).toBe('B-3 already waits on <@U02>.');
    expect(text({ kind: 'ladder-exhausted', blockerId: 3 })).toBe('B-3 has already been escalated to every level of its ladder.');
    expect(text({ kind: 'snooze-too-long', maxMs: 4 * 3_600_000 })).toBe('Snooze for up to 4h.');
  });
});
