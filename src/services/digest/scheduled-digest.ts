import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { StaleTracker } from '../../domain/trackers/staleness.js';
import { staleTrackerSources } from '../trackers/status.js';
import { alias } from 'drizzle-orm/pg-core';
import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { deliveries, digestSnapshots, digests, outboundMessages } from '../../db/schema/index.js';
import { buildDigest, type DigestModel } from '../../domain/digest/digest.js';
import { dueDigest, previousDigestAt, type DigestSchedule } from '../../domain/digest/schedule.js';
import type { Deps } from '../deps.js';
import { insertOutbound } from '../delivery/outbound.js';
import * as transitions from '../delivery/transitions.js';
import { chartDelivery, DIGEST_CHART } from './chart-upload.js';
import { readDigestInput } from './history.js';
import { type OverrideChange, planChangesBetween } from '../plan/overrides.js';

/** The digest's schedule from `program.digest` and the calendar (program zone), or null when there is no digest. */
export function digestSchedule(config: WorkspaceConfig): DigestSchedule | null {
  const at = config.program.digest?.at;
  if (!at) return null;
  return { at, zone: config.program.timezone, workdays: config.calendar.workdays, holidays: config.calendar.holidays };
}

/** The outbound key of the digest of a program-local date: queuing it twice is a no-op (services/delivery/outbound.ts). */
export const digestKey = (localDate: string) => `digest:${localDate}`;

/** How long after queuing the digest message its chart upload is first tried (the message is usually posted by then). */
const CHART_DELAY_MS = 2_000;

/**
 * Posts today's digest when it is due (domain/digest/schedule.ts: `program.digest.at` on a workday that is not a
 * holiday, up to 6 hours late after downtime), exactly once per program-local date whatever the number of
 * processes or restarts: the digest row (unique per date), the workstreams' % complete snapshots and the
 * message (an outbound message keyed `digest:<date>`, delivered once by services/delivery) commit together or
 * not at all. Its window runs from where the previous digest's ended (the previous digest day's time for the
 * first one) to today's digest time. Also wakes the chart upload of every digest whose message is posted and
 * whose chart is not (see {@link chartsDue}). Called by the due-work sweep.
 * @returns 'posted' when this call queued today's digest.
 */
export async function scheduledDigest(deps: Deps): Promise<'posted' | 'nothing'> {
  const schedule = digestSchedule(deps.config);
  if (!schedule) return 'nothing';
  await deps.wakeups.uploadDigestCharts(await chartsDue(deps));
  const now = deps.clock.now().toMillis();
  const due = dueDigest(schedule, now);
  if (!due) return 'nothing';
  const [existing] = await deps.db.select({ id: digests.id }).from(digests).where(eq(digests.localDate, due.localDate));
  if (existing) return 'nothing';
  const [last] = await deps.db.select({ windowTo: digests.windowTo }).from(digests).where(lt(digests.localDate, due.localDate)).orderBy(desc(digests.localDate)).limit(1);
  const from = last?.windowTo.getTime() ?? previousDigestAt(schedule, due.localDate) ?? due.at - 24 * 3_600_000;
  const { input, comparedWith } = await readDigestInput(deps, { from, to: due.at }, Object.keys(deps.config.workstreams), { beforeDate: due.localDate });
  const model = buildDigest(input);
  const planChanges = await planChangesBetween(deps.db, from, due.at);
  const staleTrackers = await staleTrackerSources(deps);
  const message = deps.renderer.digest({ kind: 'digest', digest: model, comparedWith, planChanges, staleTrackers });
  const at = new Date(now);
  const created = await deps.db.transaction(async (tx) => {
    const [messageId] = await insertOutbound(tx, at, [{ kind: 'digest', key: digestKey(due.localDate), channel: deps.config.program.channel, message }]);
    if (messageId === undefined) return null; // another process queued it
    const [row] = await tx
      .insert(digests)
      .values({ localDate: due.localDate, windowFrom: new Date(from), windowTo: new Date(due.at), messageId, createdAt: at })
      .onConflictDoNothing({ target: digests.localDate })
      .returning({ id: digests.id });
    if (!row) throw new Error(`digest ${due.localDate} exists without its message`);
    await transitions.open(tx, chartDelivery(row.id), at);
    await tx
      .insert(digestSnapshots)
      .values(model.workstreams.map((w) => ({ localDate: due.localDate, workstreamId: w.id, percent: w.percent, at })))
      .onConflictDoNothing();
    return { digestId: row.id, messageId };
  });
  if (!created) return 'nothing';
  deps.log.info({ localDate: due.localDate, digest: created.digestId }, 'daily digest queued');
  await deps.wakeups.sendOutbound([created.messageId]);
  await deps.wakeups.uploadDigestCharts([{ digestId: created.digestId, delayMs: CHART_DELAY_MS }]);
  return 'posted';
}

/** Digests whose message is posted and whose chart is still pending: the sweep wakes their upload. */
async function chartsDue(deps: Deps): Promise<{ digestId: number; delayMs: number }[]> {
  const messageDelivery = alias(deliveries, 'message_delivery');
  const rows = await deps.db
    .select({ id: digests.id })
    .from(digests)
    .innerJoin(outboundMessages, eq(outboundMessages.id, digests.messageId))
    .innerJoin(deliveries, and(eq(deliveries.kind, DIGEST_CHART), eq(deliveries.ownerKey, sql`${digests.id}::text`)))
    .innerJoin(messageDelivery, and(eq(messageDelivery.kind, outboundMessages.kind), eq(messageDelivery.ownerKey, sql`${outboundMessages.id}::text`)))
    .where(and(eq(deliveries.status, 'pending'), eq(messageDelivery.status, 'sent')));
  return rows.map((r) => ({ digestId: r.id, delayMs: 0 }));
}

/**
 * `/preflight stats [ws] [days]`: the digest's numbers over the last `days` × 24 hours up to now, for one
 * workstream or all, with changes measured against the latest digest taken at or before the window's start.
 * @returns the model, the date of the digest compared with (null: none yet), the plan changes made from Slack in
 *   the window (issue 20) and the tracker sources (of that workstream, or all) not synced lately (issue 21).
 */
export async function digestStats(
  deps: Deps,
  workstream: string | null,
  days: number,
): Promise<{ digest: DigestModel; comparedWith: string | null; planChanges: OverrideChange[]; staleTrackers: StaleTracker[] }> {
  // up to and including now: what happened this very millisecond counts
  const to = deps.clock.now().toMillis() + 1;
  const from = to - 1 - days * 86_400_000;
  const ids = workstream ? [workstream] : Object.keys(deps.config.workstreams);
  const { input, comparedWith } = await readDigestInput(deps, { from, to }, ids, { atOrBefore: new Date(from) });
  const changes = await planChangesBetween(deps.db, from, to);
  // one workstream's stats: its tasks' changes only (a gate belongs to none)
  const planChanges = workstream ? changes.filter((c) => c.override.workstreamId === workstream) : changes;
  const staleTrackers = await staleTrackerSources(deps, workstream ?? undefined);
  return { digest: buildDigest(input), comparedWith, planChanges, staleTrackers };
}
