import type { Deps } from '../deps.js';
import * as transitions from './transitions.js';

/**
 * Releases every reservation, of every kind of message, that was claimed more than `scheduler.reclaim_after`
 * ago and never finished: the process that claimed it died mid-call. Called by the scheduler tick. A
 * released reservation keeps its claim count, so its next claim first looks in Slack for the message the
 * dead process may have posted (services/delivery/lookup.ts).
 * @returns how many were released, per kind (kinds with none are left out).
 */
export async function releaseStaleReservations(deps: Deps): Promise<Record<string, number>> {
  const before = new Date(deps.clock.now().toMillis() - deps.config.scheduler.reclaim_after);
  const released = await transitions.releaseStale(deps, before);
  if (Object.keys(released).length) deps.log.warn({ released }, 'released reservations abandoned by a stopped process');
  return released;
}
