import { ErrorCode } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as transitions from '../../../../src/services/delivery/transitions.js';
import { harness } from '../../../support/harness.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ name: 'QA', members: ['U10'] })] });

const platformError = (error: string) => Object.assign(new Error(error), { code: ErrorCode.PlatformError, data: { error } });
const rateLimited = () => Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter: 3 });

describe('delivery transitions: the only writes to deliveries', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  afterEach(async () => {
    await h?.cleanup();
  });

  const row = async (ref: transitions.DeliveryRef) =>
    (
      await h!.sql<{ status: string; claims: number; attempts: number; ts: string | null; conversation: string | null; last_error: string | null }>(
        'SELECT status, claims, attempts, ts, conversation, last_error FROM deliveries WHERE kind = $1 AND owner_key = $2',
        [ref.kind, String(ref.ownerKey)],
      )
    )[0];

  it('open → claim → reconfirm → record: once, and only while the claim is ours', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const { deps } = await h.process({ workers: false });
    const ref = { kind: 'test', ownerKey: 1 };
    expect(await transitions.claim(deps, ref)).toBeNull(); // never opened
    await transitions.open(deps.db, ref, deps.clock.now().toJSDate());
    await transitions.open(deps.db, ref, deps.clock.now().toJSDate()); // opening again changes nothing
    const first = await transitions.claim(deps, ref);
    expect(first).toEqual({ claims: 1, firstClaimedAt: new Date('2026-02-03T14:00:00Z'), claimedAt: new Date('2026-02-03T14:00:00Z'), conversation: null });
    expect(await transitions.claim(deps, ref)).toBeNull(); // another worker: not pending
    h.clock.advance({ seconds: 5 });
    const renewed = await transitions.reconfirm(deps, ref, first!.claimedAt);
    expect(renewed).toEqual(new Date('2026-02-03T14:00:05Z'));
    expect(await transitions.reconfirm(deps, ref, first!.claimedAt)).toBeNull(); // the old stamp is not ours any more
    expect(await transitions.record(deps, ref, first!.claimedAt, { ts: '1.1', channel: 'D10' })).toBe(false);
    expect(await transitions.record(deps, ref, renewed!, { ts: '1.2', channel: 'D10', threadTs: null })).toBe(true);
    expect(await row(ref)).toEqual({ status: 'sent', claims: 1, attempts: 1, ts: '1.2', conversation: 'D10', last_error: null });
    expect(await transitions.claim(deps, ref)).toBeNull();
  });

  it('openClaimed opens a delivery already claimed, once: a second caller (or one opened before) gets null and claims as usual', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const { deps } = await h.process({ workers: false });
    const ref = { kind: 'test', ownerKey: 'fresh' };
    const first = await transitions.openClaimed(deps, ref);
    expect(first).toEqual({ claims: 1, firstClaimedAt: new Date('2026-02-03T14:00:00Z'), claimedAt: new Date('2026-02-03T14:00:00Z'), conversation: null });
    expect(await row(ref)).toEqual({ status: 'sending', claims: 1, attempts: 1, ts: null, conversation: null, last_error: null });
    // its first claim's time is where a search for an earlier attempt would start, after a crash
    expect((await h.sql<{ first: Date }>("SELECT first_claimed_at AS first FROM deliveries WHERE owner_key = 'fresh'"))[0]?.first).toEqual(new Date('2026-02-03T14:00:00Z'));
    expect(await transitions.openClaimed(deps, ref)).toBeNull(); // already open: nothing written
    expect(await row(ref)).toMatchObject({ status: 'sending', claims: 1, attempts: 1 });
    // the claim is a claim like any other: reconfirmed and recorded only while ours
    h.clock.advance({ seconds: 2 });
    const renewed = await transitions.reconfirm(deps, ref, first!.claimedAt);
    expect(await transitions.record(deps, ref, renewed!, { ts: '1.3', channel: 'C1' })).toBe(true);
    expect(await row(ref)).toEqual({ status: 'sent', claims: 1, attempts: 1, ts: '1.3', conversation: 'C1', last_error: null });
    // one opened pending by another path is not claimed by openClaimed: claim() takes it
    const other = { kind: 'test', ownerKey: 'opened' };
    await transitions.open(deps.db, other, deps.clock.now().toJSDate());
    expect(await transitions.openClaimed(deps, other)).toBeNull();
    expect(await row(other)).toMatchObject({ status: 'pending', claims: 0, attempts: 0 });
    expect(await transitions.claim(deps, other)).toMatchObject({ claims: 1 });
  });

  it('a transient error releases the claim counted (the next one searches), a 429 uncounted, a permanent one parks it', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const { deps } = await h.process({ workers: false });
    const ref = { kind: 'test', ownerKey: 'a' };
    await transitions.open(deps.db, ref, deps.clock.now().toJSDate());
    let c = await transitions.claim(deps, ref);
    expect(await transitions.parkOrRelease(deps, ref, c!.claimedAt, new Error('socket hang up'))).toBe(false);
    expect(await row(ref)).toMatchObject({ status: 'pending', claims: 1, attempts: 1, last_error: 'socket hang up' });
    c = await transitions.claim(deps, ref);
    expect(c).toMatchObject({ claims: 2, firstClaimedAt: new Date('2026-02-03T14:00:00Z') });
    expect(await transitions.parkOrRelease(deps, ref, c!.claimedAt, rateLimited())).toBe(false);
    expect(await row(ref)).toMatchObject({ status: 'pending', claims: 1, attempts: 2 });
    c = await transitions.claim(deps, ref);
    expect(await transitions.parkOrRelease(deps, ref, c!.claimedAt, platformError('user_not_found'))).toBe(true);
    expect(await row(ref)).toMatchObject({ status: 'failed', claims: 2, attempts: 3, last_error: 'user_not_found' });
  });

  it('a claim older than reclaim_after is released as stale, counted per kind; a serialised claim takes one over at once', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const { deps } = await h.process({ workers: false });
    const a = { kind: 'test', ownerKey: 1 };
    const b = { kind: 'other', ownerKey: 1 };
    await transitions.open(deps.db, [a, b], deps.clock.now().toJSDate());
    await transitions.claim(deps, a);
    await transitions.claim(deps, b);
    expect(await transitions.releaseStale(deps, new Date('2026-02-03T13:59:59Z'))).toEqual({});
    expect(await transitions.releaseStale(deps, new Date('2026-02-03T14:00:00Z'))).toEqual({ test: 1, other: 1 });
    await transitions.claim(deps, a);
    h.clock.advance({ seconds: 1 });
    expect(await transitions.claim(deps, a, { serialised: true })).toMatchObject({ claims: 3, claimedAt: new Date('2026-02-03T14:00:01Z') });
  });

  it('giveUp and cancel end deliveries never sent; forget lets a deleted message be posted anew', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const { deps } = await h.process({ workers: false });
    const refs = [1, 2, 3].map((ownerKey) => ({ kind: 'test', ownerKey }));
    await transitions.open(deps.db, refs, deps.clock.now().toJSDate());
    const claimed = await transitions.claim(deps, refs[2]!);
    expect(await transitions.giveUp(deps.db, 'test', [1, 2, 3], 'cancelled')).toEqual(['1', '2']); // not the claimed one
    await transitions.cancel(deps, refs[2]!, claimed!.claimedAt);
    expect((await h.sql('SELECT status FROM deliveries ORDER BY owner_key')).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);

    const msg = { kind: 'test', ownerKey: 4 };
    await transitions.open(deps.db, msg, deps.clock.now().toJSDate());
    const c = await transitions.claim(deps, msg);
    await transitions.record(deps, msg, c!.claimedAt, { ts: '4.4', channel: 'C0WS1' });
    await transitions.recordPermalink(deps, msg, 'https://x.slack.com/archives/C0WS1/p44');
    expect(await transitions.stateOf(deps, msg)).toEqual({ status: 'sent', ts: '4.4', conversation: 'C0WS1', permalink: 'https://x.slack.com/archives/C0WS1/p44' });
    await transitions.forget(deps, msg);
    expect(await transitions.stateOf(deps, msg)).toEqual({ status: 'pending', ts: null, conversation: null, permalink: null });
    expect(await transitions.claim(deps, msg)).toMatchObject({ claims: 1 }); // a first claim again: no search
  });
});
