import type { Deps } from '../deps.js';
import * as transitions from './transitions.js';
import type { DeliveryRef } from './transitions.js';

/** A claim kept alive while its Slack call runs (see {@link keepClaim}). */
export interface ClaimKeeper {
  /**
   * Stops renewing and waits for a renewal in flight.
   * @returns the claim's latest `claimed_at` (pass it to `record`/`release`), or null when a renewal found the claim
   *   was not ours any more (released as stale and claimed by another worker).
   */
  stop(): Promise<Date | null>;
}

/**
 * Renews the claim stamped `claimedAt` every `everyMs` (transitions.reconfirm: claimed_at = now, only while it is
 * still ours) until `stop()`, so that a live process's claim never looks abandoned however long its Slack call takes.
 * A call may be held well past `scheduler.reclaim_after`'s 15 s floor before it leaves the process: a 429's
 * `Retry-After` holds every later call under that limit (slack/rate-limit-gate.ts), up to a minute after a storm of
 * 429s. Without renewal the tick could release such a claim as stale; another worker would claim it, could search
 * Slack before the held call had posted, and would post it a second time (reasoned from the code while finding the
 * chaos drill's lost prompt, not seen in a run). With it, `reclaim_after` only has to outlast a dead process, not
 * the longest hold.
 *
 * A renewal that fails (Postgres away) is tried again at the next interval; one that finds the claim taken ends the
 * renewals (the held call's `record` then finds it is not ours, and the new owner's search finds its message).
 * The timer is unref'd: it never keeps the process alive.
 * @param everyMs ms between two renewals: a third of `scheduler.reclaim_after`, so two may fail before it goes stale.
 */
export function keepClaim(deps: Pick<Deps, 'db' | 'clock'>, ref: DeliveryRef, claimedAt: Date, everyMs: number): ClaimKeeper {
  let current: Date | null = claimedAt;
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(async () => {
      if (!current) return;
      try {
        current = await transitions.reconfirm(deps, ref, current);
      } catch {
        // Postgres away: the claim keeps its last stamp; the next interval tries again
      }
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      return current;
    },
  };
}
