import { and, eq, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, deliveries } from '../../db/schema/index.js';
import type { DeliveryRef } from '../delivery/transitions.js';

/** The delivery kind of an escalation DM (its metadata `preflight_notice`, reservation `notice-<notice id>`). */
export const NOTICE = 'notice';

/** The delivery of escalation notice `noticeId`. */
export const noticeDelivery = (noticeId: number): DeliveryRef => ({ kind: NOTICE, ownerKey: noticeId });

/** The join condition of a blocker notice with its delivery (`deliveries`), where its status, IM channel and `ts` live. */
export const noticeJoin = and(eq(deliveries.kind, NOTICE), eq(deliveries.ownerKey, sql`${blockerNotices.id}::text`));

/** The delivery kind of a blocker's message in its blockers channel (posted once, then edited; `reservation: blocker-<id>`). */
export const BLOCKER_MESSAGE = 'blocker';

/** The delivery of blocker `blockerId`'s message (its `ts`, conversation and permalink once posted). */
export const blockerMessageDelivery = (blockerId: number): DeliveryRef => ({ kind: BLOCKER_MESSAGE, ownerKey: blockerId });

/** The join condition of a blocker with its message's delivery ({@link blockerMessageDelivery}). */
export const blockerMessageJoin = and(eq(deliveries.kind, BLOCKER_MESSAGE), eq(deliveries.ownerKey, sql`${blockers.id}::text`));

/**
 * The delivery kind of a timeline line in the blocker message's thread (`preflight_thread_line`,
 * `thread_line-<event id>`). An event shown in the thread has one; one that is not (`raised`) has none.
 */
export const THREAD_LINE = 'thread_line';

/** The delivery of the thread line of blocker event `eventId`. */
export const threadLineDelivery = (eventId: number): DeliveryRef => ({ kind: THREAD_LINE, ownerKey: eventId });

/** The join condition of a blocker event with its thread line's delivery. */
export const threadLineJoin = and(eq(deliveries.kind, THREAD_LINE), eq(deliveries.ownerKey, sql`${blockerEvents.id}::text`));
