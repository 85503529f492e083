import { afterEach, describe, expect, it } from 'vitest';
import { keepClaim } from '../../../../src/services/delivery/claim-keeper.js';
import { deliverClaim } from '../../../../src/services/delivery/deliver.js';
import { releaseStaleReservations } from '../../../../src/services/delivery/release-stale.js';
import * as transitions from '../../../../src/services/delivery/transitions.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually } from '../../../support/slack-nock.js';

/*
 * A claim renewed while its Slack call runs (issue 25's chaos drill): a call held in the process by a 429's
 * Retry-After (up to a minute after a storm) must not look abandoned. The bot's clock is the harness's fixed clock,
 * moved by the test; the renewals run on real timers, waited for by polling Postgres (up to 30 s on a loaded box).
 */

// reclaim_after at its 15 s floor: the keeper renews every 5 s
const YAML = aConfig({ program: { name: 'Launch' }, scheduler: { reclaim_after: '15s' }, workstreams: [aWorkstream({ name: 'QA', members: ['U10'] })] });
const START = '2026-02-03T14:00:00Z';

describe('a claim kept alive while its Slack call runs', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  afterEach(async () => {
    await h?.cleanup();
  });

  const row = async (ref: transitions.DeliveryRef) =>
    (
      await h!.sql<{ status: string; claims: number; attempts: number; ts: string | null; claimed_at: Date | null }>(
        'SELECT status, claims, attempts, ts, claimed_at FROM deliveries WHERE kind = $1 AND owner_key = $2',
        [ref.kind, String(ref.ownerKey)],
      )
    )[0];

  it('a call held past reclaim_after stays ours: the tick does not release it, and it is recorded once the call returns', async () => {
    h = await harness(YAML, START);
    const { deps } = await h.process({ workers: false });
    const ref = { kind: 'test', ownerKey: 'held' };
    await transitions.open(deps.db, ref, deps.clock.now().toJSDate());
    const claimed = await transitions.claim(deps, ref);
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let calls = 0;
    const delivering = deliverClaim(deps, ref, claimed!, {
      channel: 'U10',
      findEarlier: async () => null,
      prepare: async () => 'the prompt',
      send: async () => {
        calls += 1;
        await held; // held by the rate-limit gate
        return { ts: '1700000000.000100', channel: 'D10' };
      },
    });
    await eventually('the call has started', () => calls === 1);
    // 20 s pass on the bot's clock while the call is held: more than reclaim_after
    h.clock!.advance({ seconds: 20 });
    const renewedBy = new Date(Date.parse(START) + 20_000).getTime();
    await eventually('the claim was renewed to the clock’s new now', async () => ((await row(ref))?.claimed_at?.getTime() ?? 0) >= renewedBy, 30_000);
    expect(await releaseStaleReservations(deps)).toEqual({});
    expect(await row(ref)).toMatchObject({ status: 'sending', claims: 1 });
    letGo();
    expect(await delivering).toBe('sent');
    expect(await row(ref)).toMatchObject({ status: 'sent', ts: '1700000000.000100', claims: 1, attempts: 1 });
    expect(calls).toBe(1);
  }, 60_000);

  /** A delivery claimed at START and kept every 50 ms, once a renewal has stamped the clock moved by `seconds`. */
  const keptClaim = async (ownerKey: string, seconds: number) => {
    h = await harness(YAML, START);
    const { deps } = await h.process({ workers: false });
    const ref = { kind: 'test', ownerKey };
    await transitions.open(deps.db, ref, deps.clock.now().toJSDate());
    const mine = (await transitions.claim(deps, ref))!;
    const keeper = keepClaim(deps, ref, mine.claimedAt, 50);
    h.clock!.advance({ seconds });
    await eventually('the claim was renewed', async () => ((await row(ref))?.claimed_at?.getTime() ?? 0) > mine.claimedAt.getTime(), 30_000);
    return { deps, ref, mine, keeper };
  };

  it('stops renewing once the claim is not ours (released as stale and claimed by another worker), and says so', async () => {
    const { deps, ref, keeper } = await keptClaim('taken', 1);
    // the stale release (as if Postgres had been away past reclaim_after) and another worker's claim
    await transitions.releaseStale(deps, new Date(Date.parse(START) + 60_000));
    h!.clock!.advance({ seconds: 1 });
    const theirs = await transitions.claim(deps, ref);
    expect(theirs).toMatchObject({ claims: 2 });
    h!.clock!.advance({ seconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few intervals
    expect(await keeper.stop()).toBeNull();
    // the other worker's claim was left as it was
    expect((await row(ref))?.claimed_at).toEqual(theirs!.claimedAt);
    expect(await transitions.record(deps, ref, theirs!.claimedAt, { ts: '1.1', channel: 'D10' })).toBe(true);
  });

  it('stop() gives the latest stamp, which record accepts', async () => {
    const { deps, ref, mine, keeper } = await keptClaim('latest', 3);
    const latest = await keeper.stop();
    expect(latest).toEqual(new Date(Date.parse(START) + 3_000));
    expect(await transitions.record(deps, ref, mine.claimedAt, { ts: '1.1', channel: 'D10' })).toBe(false);
    expect(await transitions.record(deps, ref, latest!, { ts: '1.1', channel: 'D10' })).toBe(true);
  });
});
