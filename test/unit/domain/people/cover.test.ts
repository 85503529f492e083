import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type AwaySpan,
  awaySpanAt,
  type CoverContext,
  coverFor,
  coverRecipients,
  coverWithoutDelegate,
  delegateLoops,
  NO_END,
  SIGN_OFF_NOT_DELEGATED,
  signersNotDelegated,
} from '../../../../src/domain/people/cover.js';

// an instant derived from nothing but a fixed zone-local date: the rules judge dates in each person's own zone
const at = DateTime.fromISO('2026-12-22T10:00', { zone: 'Europe/Paris' }).toUTC();
const ctx = (spans: AwaySpan[], delegates: Record<string, string> = {}, zones: Record<string, string> = {}): CoverContext => ({
  spans,
  delegates,
  zoneOf: (u) => zones[u] ?? 'Europe/Paris',
});
const away = (userId: string, until = '2026-12-24', delegate: string | null = null): AwaySpan => ({ userId, from: '2026-12-20', until, delegate, source: 'ooo' });

describe('coverFor', () => {
  it('is the recipient themself when they are not away', () => {
    expect(coverFor('ANA', at, ctx([away('BEN')]))).toEqual({ for: 'ANA', by: 'ANA', note: null });
  });

  it('is their delegate from /standup ooo, over the configured one, with the note', () => {
    const c = coverFor('ANA', at, ctx([away('ANA', '2026-12-24', 'BEN')], { ANA: 'CARL' }));
    expect(c).toEqual({ for: 'ANA', by: 'BEN', note: '<@ANA> is away until 24 Dec; <@BEN> is covering' });
  });

  it('is the configured delegate when the span names none', () => {
    expect(coverFor('ANA', at, ctx([away('ANA')], { ANA: 'CARL' })).by).toBe('CARL');
  });

  it('is nobody when the away person has no delegate', () => {
    expect(coverFor('ANA', at, ctx([away('ANA')]))).toEqual({ for: 'ANA', by: null, note: '<@ANA> is away until 24 Dec; no delegate is covering' });
  });

  it('follows the chain when the delegate is away too', () => {
    const c = coverFor('ANA', at, ctx([away('ANA', '2026-12-24', 'BEN'), away('BEN', '2026-12-31')], { BEN: 'DEE' }));
    expect(c.by).toBe('DEE');
    expect(c.note).toBe('<@ANA> is away until 24 Dec; their delegate <@BEN> is away too until 31 Dec; <@DEE> is covering');
  });

  it('is nobody when the delegate is away with no delegate of their own', () => {
    const c = coverFor('ANA', at, ctx([away('ANA', '2026-12-24', 'BEN'), away('BEN')]));
    expect(c.by).toBeNull();
    expect(c.note).toMatch(/<@BEN> is away too until 24 Dec; nobody else is covering/);
  });

  it('stops on a delegate loop with a note, never looping', () => {
    const c = coverFor('ANA', at, ctx([away('ANA', '2026-12-24', 'BEN'), away('BEN', '2026-12-24', 'ANA')]));
    expect(c.by).toBeNull();
    expect(c.note).toMatch(/delegate loop <@ANA> → <@BEN> → <@ANA>, nobody is covering/);
    // a longer loop through the configured delegates
    const long = coverFor('A', at, ctx([away('A'), away('B'), away('C')], { A: 'B', B: 'C', C: 'A' }));
    expect(long.by).toBeNull();
    expect(long.note).toMatch(/<@A> → <@B> → <@C> → <@A>/);
  });

  it('judges "away" on the person’s own local date', () => {
    // 23:30 UTC on the span's last day is already the next day in Tokyo and still the last day in New York
    const late = DateTime.fromISO('2026-12-24T23:30', { zone: 'utc' });
    const spans = [away('ANA')];
    expect(awaySpanAt('ANA', late, ctx(spans, {}, { ANA: 'Asia/Tokyo' }))).toBeNull();
    expect(awaySpanAt('ANA', late, ctx(spans, {}, { ANA: 'America/New_York' }))).not.toBeNull();
  });

  it('tells a Slack status without expiry by its emoji', () => {
    const c = coverFor('ANA', at, ctx([{ userId: 'ANA', from: '2026-12-22', until: NO_END, source: 'status', emoji: ':palm_tree:' }], { ANA: 'BEN' }));
    expect(c.note).toBe('<@ANA> is away (Slack status :palm_tree:); <@BEN> is covering');
  });
});

describe('coverRecipients', () => {
  it('gives the delegate already on the step one notice, and keeps first-named order', () => {
    const r = coverRecipients(['ANA', 'BEN', 'CARL'], at, ctx([away('ANA', '2026-12-24', 'BEN')]));
    expect(r.to).toEqual(['BEN', 'CARL']);
    expect(r.covering).toEqual({ BEN: ['ANA'] });
    expect(r.away.map((c) => c.for)).toEqual(['ANA']);
  });

  it('gives a delegate covering two people one notice', () => {
    const r = coverRecipients(['ANA', 'CARL'], at, ctx([away('ANA'), away('CARL')], { ANA: 'BEN', CARL: 'BEN' }));
    expect(r.to).toEqual(['BEN']);
    expect(r.covering).toEqual({ BEN: ['ANA', 'CARL'] });
  });

  it('is empty when everyone is away with nobody covering, and never adds back someone already out', () => {
    expect(coverRecipients(['ANA'], at, ctx([away('ANA')])).to).toEqual([]);
    expect(coverRecipients(['ANA'], at, ctx([away('ANA', '2026-12-24', 'BEN')]), ['BEN']).to).toEqual([]);
  });
});

describe('coverRecipients with signers no delegate may cover (a gate without delegate_may_sign)', () => {
  it('drops the away signer with a note, never adds their delegate, and keeps the others', () => {
    const r = coverRecipients(['ANA', 'CARL', 'DEE'], at, ctx([away('ANA', '2026-12-24', 'BEN'), away('DEE', '2026-12-24', 'BEN')]), [], signersNotDelegated({ sign_off: ['ANA', 'CARL'] }));
    expect(r.to).toEqual(['CARL', 'BEN']);
    expect(r.covering).toEqual({ BEN: ['DEE'] });
    expect(r.away).toEqual([
      { for: 'ANA', by: null, note: `<@ANA> is away until 24 Dec; ${SIGN_OFF_NOT_DELEGATED}` },
      { for: 'DEE', by: 'BEN', note: '<@DEE> is away until 24 Dec; <@BEN> is covering' },
    ]);
  });

  it('covers as usual under delegate_may_sign: true', () => {
    expect(signersNotDelegated({ sign_off: ['ANA'], delegate_may_sign: true })).toBeUndefined();
    expect(coverWithoutDelegate('CARL', at, ctx([away('ANA')]), SIGN_OFF_NOT_DELEGATED)).toEqual({ for: 'CARL', by: 'CARL', note: null });
  });
});

describe('delegateLoops', () => {
  it('finds each loop once, and none in a chain', () => {
    expect(delegateLoops({ A: 'B', B: 'C' })).toEqual([]);
    expect(delegateLoops({ A: 'B', B: 'A', C: 'A' })).toEqual([['A', 'B', 'A']]);
    expect(delegateLoops({ X: 'Y', Y: 'Z', Z: 'Y' })).toEqual([['Y', 'Z', 'Y']]);
  });
});
