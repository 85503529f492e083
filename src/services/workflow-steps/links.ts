import { and, eq, isNull } from 'drizzle-orm';
import pTimeout from 'p-timeout';
import { deliveries, outboundMessages } from '../../db/schema/index.js';
import { blockerMessageDelivery } from '../blockers/delivery-kinds.js';
import { renderBlockerMessage } from '../blockers/delivery.js';
import type { Deps } from '../deps.js';
import { sendOutbound } from '../delivery/outbound.js';
import { archiveLink } from '../retro/read.js';
import { stateOf } from '../delivery/transitions.js';

/**
 * How long a workflow step waits for its message to be posted before answering without its link, ms. Slack wants a
 * `function_executed` delivery acked within 3 s (Bolt acks it first) and the step completed promptly; the post goes on
 * through the usual jobs when this runs out.
 */
export const STEP_POST_WAIT_MS = 8_000;

/** `work`'s value, or null when it has not settled within `ms` (it goes on in the background; its failure is logged). */
export async function within<T>(deps: Pick<Deps, 'log'>, ms: number, work: Promise<T>): Promise<T | null> {
  const settled = work.catch((err: unknown) => {
    deps.log.warn({ err: (err as Error).message }, 'a workflow step’s post failed; the sweeper retries it');
    return null;
  });
  return pTimeout(settled, { milliseconds: ms, fallback: () => null });
}

/**
 * Posts the blocker's channel message now (the same send-once render the job does, serialised per blocker, so the
 * job finds it current) and returns its link: Slack's permalink (chat.getPermalink), else a link from its channel
 * and ts (retro/read.ts archiveLink). Null when it is not posted within {@link STEP_POST_WAIT_MS} or Slack refused it.
 */
export async function blockerMessageLink(deps: Deps, blockerId: number): Promise<string | null> {
  await within(deps, STEP_POST_WAIT_MS, renderBlockerMessage(deps, blockerId));
  const state = await stateOf(deps, blockerMessageDelivery(blockerId));
  if (state?.permalink) return state.permalink;
  return state?.conversation && state.ts ? archiveLink(state.conversation, state.ts) : null;
}

/**
 * Delivers the top-level outbound message queued under `key` now (services/delivery/outbound.ts sendOutbound: once,
 * whoever else tries) and returns a link to it from its channel and ts (retro/read.ts archiveLink); its thread
 * replies go out through the outbound worker. Null when it is not posted within {@link STEP_POST_WAIT_MS}.
 */
export async function outboundMessageLink(deps: Deps, key: string): Promise<string | null> {
  const [m] = await deps.db
    .select({ id: outboundMessages.id, kind: outboundMessages.kind })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.key, key), isNull(outboundMessages.parentId)));
  if (!m) return null;
  await within(deps, STEP_POST_WAIT_MS, sendOutbound(deps, m.id));
  const [d] = await deps.db
    .select({ conversation: deliveries.conversation, ts: deliveries.ts, permalink: deliveries.permalink })
    .from(deliveries)
    .where(and(eq(deliveries.kind, m.kind), eq(deliveries.ownerKey, String(m.id)), eq(deliveries.status, 'sent')));
  if (d?.permalink) return d.permalink;
  return d?.conversation && d.ts ? archiveLink(d.conversation, d.ts) : null;
}
