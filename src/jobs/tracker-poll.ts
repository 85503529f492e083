import { type Job, Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConfiguredSource, SyncOutcome, TrackerSync } from '../services/trackers/sync.js';

/** The queue of the tracker polls: one BullMQ job scheduler per source, `tracker-poll-<workstream>-<index>`. */
export const TRACKER_QUEUE = 'trackers';

/** How often pending write-backs are performed, ms (services/trackers/write-back.ts). */
export const TRACKER_WRITEBACK_EVERY_MS = 30_000;

/** How often the schedulers are matched to the running plan's sources (a reload may add, drop or re-time one), ms. */
export const TRACKER_SCHEDULE_REFRESH_MS = 60_000;

/** The reconcile polls of the tracker sync: what {@link startTrackerPolls} returns. */
export interface TrackerPolls {
  /** Matches the job schedulers to the sources now (also run every {@link TRACKER_SCHEDULE_REFRESH_MS}). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

const schedulerId = (sourceId: string) => `tracker-poll-${sourceId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * Starts the reconcile poll of every `tasks_from` source (issue 21): a BullMQ job scheduler per source, every
 * `poll_every` ms, so one poll per period runs however many replicas, and a worker on this replica that calls the
 * sync (services/trackers/sync.ts `syncSource`, which also takes the source's cross-replica lock). Schedulers of
 * sources no longer configured are removed. The first sync at start-up is not a job: src/preflight.ts runs it in the
 * background. With a `write_back: true` source, a `tracker-writebacks` scheduler (every
 * {@link TRACKER_WRITEBACK_EVERY_MS}) performs the pending write-backs.
 * @param sources the running plan's sources (read at each refresh).
 */
export async function startTrackerPolls(args: {
  connection: Redis | Cluster;
  workerConnection: Redis | Cluster;
  prefix: string;
  sync: TrackerSync;
  sources: () => ConfiguredSource[];
  log: Logger;
}): Promise<TrackerPolls> {
  const queue = new Queue(TRACKER_QUEUE, { connection: args.connection, prefix: args.prefix, defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 } });
  const worker = new Worker(
    TRACKER_QUEUE,
    async (job: Job<{ sourceId?: string }>): Promise<unknown> => {
      if (job.name === 'tracker-writebacks') {
        const out: Record<string, SyncOutcome> = {};
        for (const s of args.sources().filter((x) => x.settings.write_back)) out[s.sourceId] = await args.sync.writeBacks(s.sourceId);
        return out;
      }
      if (!job.data.sourceId) return null;
      const outcome = await args.sync.syncSource(job.data.sourceId);
      args.log.debug({ source: job.data.sourceId, outcome: outcome.kind }, 'tracker poll');
      return outcome;
    },
    { connection: args.workerConnection, prefix: args.prefix, concurrency: 2 },
  );
  worker.on('error', (err) => args.log.warn({ err: err.message }, 'tracker poll worker error'));
  const refresh = async () => {
    const wanted = new Map<string, ConfiguredSource | null>(args.sources().map((s) => [schedulerId(s.sourceId), s]));
    if (args.sources().some((s) => s.settings.write_back)) {
      wanted.set('tracker-writebacks', null);
      await queue.upsertJobScheduler('tracker-writebacks', { every: TRACKER_WRITEBACK_EVERY_MS }, { name: 'tracker-writebacks', data: {} });
    }
    for (const [id, s] of wanted) {
      if (!s) continue;
      await queue.upsertJobScheduler(id, { every: s.settings.poll_every }, { name: 'tracker-poll', data: { sourceId: s.sourceId } });
    }
    for (const existing of await queue.getJobSchedulers()) {
      if (existing.key && !wanted.has(existing.key)) await queue.removeJobScheduler(existing.key);
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch((err: Error) => args.log.warn({ err: err.message }, 'could not update the tracker polls')), TRACKER_SCHEDULE_REFRESH_MS);
  timer.unref();
  return {
    refresh,
    close: async () => {
      clearInterval(timer);
      await worker.close();
      await queue.close();
    },
  };
}
