import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries, digests, outboundMessages } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { deliver, type Transport } from '../delivery/deliver.js';
import { findPostedMessage } from '../delivery/lookup.js';
import { outboundDelivery } from '../delivery/outbound.js';
import type { DeliveryRef } from '../delivery/transitions.js';
import { progressHistory } from './history.js';

/** Days of history the chart shows (the benchmark's 90). */
export const CHART_DAYS = 90;

/** The delivery kind of a digest's chart (owned by the digest's id; its `ts` is the uploaded file's id). */
export const DIGEST_CHART = 'digest_chart';

/** The delivery of the chart of digest `digestId`. */
export const chartDelivery = (digestId: number): DeliveryRef => ({ kind: DIGEST_CHART, ownerKey: digestId });

/** The chart's file name: what a retry looks for in the digest's thread, so it is unique per digest. */
export const chartFilename = (localDate: string) => `preflight-digest-${localDate}.png`;

/**
 * The chart's transport: files.uploadV2 (files.getUploadURLExternal, the bytes to the returned URL,
 * files.completeUploadExternal with the channel and `thread_ts`) as a reply in the digest message's thread. An
 * earlier upload is looked for in that thread (services/delivery/lookup.ts, like any message): a reply sharing a
 * file named {@link chartFilename}. The chart (services/digest/chart.ts, % complete per workstream over the last
 * {@link CHART_DAYS} days of digests) is rendered only when there is something to show.
 */
function chartTransport(deps: Deps, digestId: number, d: { localDate: string; channel: string; threadTs: string }): Transport<Buffer> {
  const filename = chartFilename(d.localDate);
  return {
    channel: d.channel,
    findEarlier: async (since) => {
      const found = await findPostedMessage(deps, {
        channel: d.channel,
        threadTs: d.threadTs,
        reservation: `${DIGEST_CHART}-${digestId}`,
        since,
        pick: (m) => m.files?.find((f) => f.name === filename)?.id ?? null,
      });
      return found && { ts: found.ts, channel: found.channel, threadTs: d.threadTs };
    },
    prepare: async () => {
      const from = DateTime.fromISO(d.localDate, { zone: 'utc' })
        .minus({ days: CHART_DAYS - 1 })
        .toISODate()!;
      const points = await progressHistory(deps, from, d.localDate);
      if (!points.length) {
        deps.log.info({ digest: digestId }, 'no workstream has anything to measure; the digest has no chart');
        return null;
      }
      const { renderProgressChart } = await import('./chart.js');
      return renderProgressChart(points, `${deps.config.program.name}: % complete per workstream`);
    },
    send: async (png) => {
      const res = await deps.slack.filesUploadV2({
        channel_id: d.channel,
        thread_ts: d.threadTs,
        file: png,
        filename,
        title: `% complete per workstream, to ${d.localDate}`,
        alt_text: `Line chart of each workstream's % complete at each daily digest up to ${d.localDate}`,
      });
      const fileId = (res.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
      if (!fileId) throw new Error(`files.uploadV2 returned no file id for digest ${digestId}`);
      return { ts: fileId, channel: d.channel, threadTs: d.threadTs };
    },
  };
}

/**
 * Uploads the chart of digest `digestId` once, as a reply in the digest message's thread: one more transport
 * ({@link chartTransport}) of services/delivery/deliver.ts deliver(), reserved as the delivery
 * `digest_chart-<digestId>` (claim; a claim after an unrecorded one looks for that attempt's file first; the claim
 * is reconfirmed right before the upload; the file id is recorded). A digest with nothing to measure has no
 * chart (parked as failed). A permanent error parks it (logged); anything else releases it and is rethrown (the
 * job retries).
 * @returns 'not-due' while the digest message has no `ts` yet (the sweep wakes it again) or the chart is not
 *   pending; else what happened.
 */
export async function uploadDigestChart(deps: Deps, digestId: number): Promise<'not-due' | 'sent' | 'found' | 'failed' | 'taken-over'> {
  const [d] = await deps.db
    .select({ localDate: digests.localDate, ts: deliveries.ts, channel: outboundMessages.channel, conversation: deliveries.conversation })
    .from(digests)
    .innerJoin(outboundMessages, eq(outboundMessages.id, digests.messageId))
    .innerJoin(deliveries, outboundDelivery)
    .where(eq(digests.id, digestId));
  if (!d?.ts) return 'not-due';
  return deliver(deps, chartDelivery(digestId), chartTransport(deps, digestId, { localDate: d.localDate, channel: d.conversation ?? d.channel, threadTs: d.ts }));
}
