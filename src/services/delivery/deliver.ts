import type { Deps } from '../deps.js';
import { isPermanent, platformError } from '../slack-errors.js';
import { keepClaim } from './claim-keeper.js';
import * as transitions from './transitions.js';
import type { DeliveryClaim, DeliveryRef, Landed } from './transitions.js';

/** What delivering did: sent, found (an earlier attempt had sent it), failed (parked) or taken-over (the claim was lost). */
export type DeliveryOutcome = 'sent' | 'found' | 'failed' | 'taken-over';

/**
 * How one kind of delivery reaches Slack: a chat.postMessage with metadata, a files.uploadV2 into a thread…
 * `deliver()` calls it in this order: `findEarlier` (only on a claim after an unrecorded one), `prepare`, then,
 * once the claim is reconfirmed, `send`.
 */
export interface Transport<P> {
  /** The conversation it goes to (a channel id, or a user id for a DM): named in logs. */
  channel: string;
  /**
   * Looks in Slack for what an earlier claim sent but did not record (it died, or the call timed out after
   * Slack had it), from `since` (the first unrecorded claim) on.
   * @returns where it landed, or null when it is not there.
   * @throws a transient error, or services/delivery/lookup.ts SearchIncompleteError: the claim is released.
   */
  findEarlier(since: Date): Promise<Landed | null>;
  /** Builds what to send; null when there is nothing to send (the delivery is parked as failed). */
  prepare(): Promise<P | null>;
  /** Sends it. @returns where it landed. @throws Slack's error (see {@link deliver}). */
  send(payload: P): Promise<Landed>;
}

/**
 * Delivers `ref` exactly once through `transport`: claims it (pending → sending); on a claim after an unrecorded
 * one, first looks for that attempt's message and records it ('found'); otherwise prepares the payload,
 * reconfirms the claim right before sending (a claim released as stale meanwhile is left to the worker that
 * claimed it since: 'taken-over', nothing sent), sends while renewing the claim every third of
 * `scheduler.reclaim_after` (claim-keeper.ts: a call held by a Retry-After stays ours) and records where it landed
 * ('sent'). Nothing to send parks it ('failed'). A permanent error for the conversation (services/slack-errors.ts
 * isPermanent) parks it and is logged ('failed'); any other error releases it (services/delivery/transitions.ts
 * parkOrRelease) and is rethrown, so the job retries.
 * @returns 'not-due' when it is not pending (sent, failed, claimed by another worker, or never opened).
 */
export async function deliver<P>(deps: Deps, ref: DeliveryRef, transport: Transport<P>): Promise<DeliveryOutcome | 'not-due'> {
  const claimed = await transitions.claim(deps, ref);
  if (!claimed) return 'not-due';
  return deliverClaim(deps, ref, claimed, transport);
}

/** {@link deliver} from a claim already taken. */
export async function deliverClaim<P>(deps: Deps, ref: DeliveryRef, claimed: DeliveryClaim, transport: Transport<P>): Promise<DeliveryOutcome> {
  const reservation = transitions.reservationOf(ref);
  let claimedAt = claimed.claimedAt;
  const record = async (landed: Landed) => {
    if (!(await transitions.record(deps, ref, claimedAt, landed))) {
      deps.log.warn({ reservation, ts: landed.ts }, 'this claim was released as stale before its ts was recorded; another worker owns the message now');
    }
  };
  try {
    if (claimed.claims > 1 && claimed.firstClaimedAt) {
      const found = await transport.findEarlier(claimed.firstClaimedAt);
      if (found) {
        deps.log.info({ reservation, ts: found.ts }, 'an earlier attempt had delivered this message; recorded it instead of sending it again');
        await record(found);
        return 'found';
      }
    }
    const payload = await transport.prepare();
    if (payload === null) {
      await transitions.park(deps, ref, claimedAt, null);
      return 'failed';
    }
    const renewed = await transitions.reconfirm(deps, ref, claimedAt);
    if (!renewed) {
      deps.log.warn({ reservation }, 'this claim was released as stale before it sent; leaving the message to the worker that claimed it since');
      return 'taken-over';
    }
    claimedAt = renewed;
    // renewed while the call runs: a Retry-After's hold may keep it in this process longer than reclaim_after
    const keeper = keepClaim(deps, ref, claimedAt, deps.config.scheduler.reclaim_after / 3);
    let landed: Landed;
    try {
      landed = await transport.send(payload);
    } finally {
      claimedAt = (await keeper.stop()) ?? claimedAt;
    }
    await record(landed);
    return 'sent';
  } catch (err) {
    if (isPermanent(err)) deps.log.warn({ reservation, channel: transport.channel, error: platformError(err) }, 'Slack refused this message for good; not retrying');
    if (await transitions.parkOrRelease(deps, ref, claimedAt, err)) return 'failed';
    throw err;
  }
}
