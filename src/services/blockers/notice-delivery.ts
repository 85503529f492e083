import { and, eq, sql } from 'drizzle-orm';
import { blockerNotices, deliveries } from '../../db/schema/index.js';
import type { DeliveryRef } from '../delivery/transitions.js';

/** The delivery kind of an escalation DM (its metadata `preflight_notice`, reservation `notice-<notice id>`). */
export const NOTICE = 'notice';

/** The delivery of escalation notice `noticeId`. */
export const noticeDelivery = (noticeId: number): DeliveryRef => ({ kind: NOTICE, ownerKey: noticeId });

/** The join condition of a blocker notice with its delivery (`deliveries`), where its status, IM channel and `ts` live. */
export const noticeJoin = and(eq(deliveries.kind, NOTICE), eq(deliveries.ownerKey, sql`${blockerNotices.id}::text`));
