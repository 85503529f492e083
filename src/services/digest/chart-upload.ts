import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { digests, outboundMessages } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { claimReservation, parkOrRelease, reconfirmClaim, recordPosted, settleReservation } from '../delivery/reservation.js';
import { DIGEST_CHART } from '../delivery/reservations.js';
import { isPermanent, platformError } from '../slack-errors.js';
import { progressHistory } from './history.js';

/** Days of history the chart shows (the benchmark's 90). */
export const CHART_DAYS = 90;

/** The chart's file name: what a retry looks for in the digest's thread, so it is unique per digest. */
export const chartFilename = (localDate: string) => `preflight-digest-${localDate}.png`;

/** Errors of a thread search that mean "cannot search here": the upload then goes ahead (at least once, as delivery does). */
const CANNOT_SEARCH = new Set(['missing_scope', 'not_in_channel', 'channel_not_found', 'thread_not_found', 'no_permission', 'access_denied']);

/**
 * Looks in the digest's thread for the chart an earlier claim uploaded but did not record (it died, or the call
 * timed out after Slack had it): a reply carrying a file named {@link chartFilename}. conversations.replies,
 * up to 5 pages of 200.
 * @returns its file id, or null.
 */
async function earlierUpload(deps: Deps, channel: string, threadTs: string, filename: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    let res: Awaited<ReturnType<Deps['slack']['conversations']['replies']>>;
    try {
      res = await deps.slack.conversations.replies({ channel, ts: threadTs, limit: 200, ...(cursor ? { cursor } : {}) });
    } catch (err) {
      if (CANNOT_SEARCH.has(platformError(err) ?? '')) {
        deps.log.warn({ channel, error: platformError(err) }, 'cannot search the digest thread for an earlier chart upload; uploading it');
        return null;
      }
      throw err;
    }
    for (const m of res.messages ?? []) {
      const file = (m as { files?: { id?: string; name?: string }[] }).files?.find((f) => f.name === filename);
      if (file?.id) return file.id;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return null;
}

/**
 * Uploads the chart of digest `digestId` once, as a reply in the digest message's thread (files.uploadV2:
 * files.getUploadURLExternal, the bytes to the returned URL, files.completeUploadExternal with the channel and
 * `thread_ts`). Reserved like a message (DIGEST_CHART): claimed; a claim after an unrecorded one first looks for
 * that attempt's file in the thread ({@link earlierUpload}) and records it instead of uploading again; the
 * claim is re-checked right before the upload; the file id is recorded. The chart (services/digest/chart.ts,
 * % complete per workstream over the last {@link CHART_DAYS} days of digests) is rendered only here.
 * A permanent error parks it as failed (logged); anything else releases it and is rethrown (the job retries).
 * @returns 'not-due' while the digest message has no `ts` yet (the sweep wakes it again) or the chart is not
 *   pending; else what happened.
 */
export async function uploadDigestChart(deps: Deps, digestId: number): Promise<'not-due' | 'sent' | 'found' | 'failed' | 'taken-over'> {
  const [d] = await deps.db
    .select({ localDate: digests.localDate, status: digests.chartStatus, ts: outboundMessages.ts, channel: outboundMessages.channel, postedChannel: outboundMessages.postedChannel })
    .from(digests)
    .innerJoin(outboundMessages, eq(outboundMessages.id, digests.messageId))
    .where(eq(digests.id, digestId));
  if (!d || d.status !== 'pending' || !d.ts) return 'not-due';
  const claimed = await claimReservation(deps, DIGEST_CHART, digestId);
  if (!claimed) return 'not-due';
  const channel = d.postedChannel ?? d.channel;
  const filename = chartFilename(d.localDate);
  let claimedAt = claimed.claimedAt;
  try {
    if (claimed.claims > 1) {
      const found = await earlierUpload(deps, channel, d.ts, filename);
      if (found) {
        deps.log.info({ digest: digestId, file: found }, 'an earlier attempt had uploaded the digest chart; recorded it instead of uploading again');
        await recordPosted(deps, DIGEST_CHART, digestId, claimedAt, { ts: found, channel: null });
        return 'found';
      }
    }
    const from = DateTime.fromISO(d.localDate, { zone: 'utc' })
      .minus({ days: CHART_DAYS - 1 })
      .toISODate()!;
    const points = await progressHistory(deps, from, d.localDate);
    if (!points.length) {
      // nothing measured (no workstream has tasks or a checklist): no chart to show
      await settleReservation(deps, DIGEST_CHART, digestId, 'failed', claimedAt);
      deps.log.info({ digest: digestId }, 'no workstream has anything to measure; the digest has no chart');
      return 'failed';
    }
    const { renderProgressChart } = await import('./chart.js');
    const png = await renderProgressChart(points, `${deps.config.program.name}: % complete per workstream`);
    const renewed = await reconfirmClaim(deps, DIGEST_CHART, digestId, claimedAt);
    if (!renewed) return 'taken-over';
    claimedAt = renewed;
    const res = await deps.slack.filesUploadV2({
      channel_id: channel,
      thread_ts: d.ts,
      file: png,
      filename,
      title: `% complete per workstream, to ${d.localDate}`,
      alt_text: `Line chart of each workstream's % complete at each daily digest up to ${d.localDate}`,
    });
    const fileId = (res.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
    if (!fileId) throw new Error(`files.uploadV2 returned no file id for digest ${digestId}`);
    await recordPosted(deps, DIGEST_CHART, digestId, claimedAt, { ts: fileId, channel: null });
    return 'sent';
  } catch (err) {
    if (isPermanent(err)) deps.log.warn({ digest: digestId, channel, error: platformError(err) }, 'Slack refused the digest chart for good; not retrying');
    if (await parkOrRelease(deps, DIGEST_CHART, digestId, claimedAt, err)) return 'failed';
    throw err;
  }
}
