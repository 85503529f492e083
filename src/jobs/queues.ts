import { Queue, type JobsOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Wakeups } from '../services/wakeups.js';
import { QUEUE_NAMES, type QueueName, type WakeupItem, type WakeupJob, type WakeupName } from './job-definition.js';
import { wakeupJobs } from './registry.js';

/**
 * Every job is a wake-up with a deterministic id, and BullMQ ignores an add whose id it still stores: a failed
 * job kept around would block that wake-up for good. So failed jobs are removed too (their errors are logged);
 * the tick and the sweeper re-add what is still due.
 */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

/** The producer side of every queue (see `QUEUES` in job-definition.ts), by queue name. */
export type Queues = Record<QueueName, Queue> & { close(): Promise<void> };

/** Creates the producer side of every queue on one shared connection. */
export function createQueues(connection: Redis | Cluster, prefix: string): Queues {
  const queues = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })])) as Record<QueueName, Queue>;
  return {
    ...queues,
    async close() {
      await Promise.all(QUEUE_NAMES.map((name) => queues[name].close()));
    },
  };
}

/** The job states counted by {@link queueDepths}: jobs not yet finished. */
export const QUEUE_DEPTH_STATES = ['waiting', 'prioritized', 'delayed', 'active'] as const;

/**
 * Jobs per queue and state, e.g. `{ dm: { waiting: 12, prioritized: 0, delayed: 3, active: 16 }, … }`, from
 * BullMQ's `getJobCounts` (a few O(1) Redis counts per queue). Throws when Redis is unreachable.
 */
export async function queueDepths(queues: Record<QueueName, Pick<Queue, 'getJobCounts'>>): Promise<Record<QueueName, Record<string, number>>> {
  const entries = await Promise.all(QUEUE_NAMES.map(async (name) => [name, await queues[name].getJobCounts(...QUEUE_DEPTH_STATES)] as const));
  return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
}

/** The part of a queue `queueWakeups` uses (lets a unit test capture the adds without Redis). */
export type WakeupQueues = Record<QueueName, Pick<Queue, 'add' | 'addBulk'>>;

/**
 * {@link Wakeups} on BullMQ queues, derived from the job registry: each method adds one job per item to the
 * entry's queue, under its deterministic id, with its delay and priority (and, for an entry that coalesces, BullMQ's
 * `deduplication: { id: <its key>, keepLastIfActive: true }`: see WakeupJob.coalesce). Wake-ups are asked for
 * after the Postgres commit that made them due, so a failure to queue one (Redis down) is reported to `onError`
 * (with the method's name) and swallowed: the sweeper re-derives it from Postgres within a tick, and the user's request (already
 * written) does not fail.
 */
export function queueWakeups(queues: WakeupQueues, onError: (what: string, err: Error) => void = () => {}): Wakeups {
  const methods = (Object.entries(wakeupJobs) as [WakeupName, WakeupJob][]).map(([method, job]) => [
    method,
    async (items: readonly WakeupItem<WakeupName>[]) => {
      if (items.length === 0) return;
      const jobs = items.map((item) => {
        const key = job.coalesce?.(item);
        const opts: JobsOptions = job.delay ? { jobId: job.jobId(item), delay: job.delay(item) } : { jobId: job.jobId(item) };
        if (job.priority) opts.priority = job.priority;
        return { name: job.name, data: job.data(item), opts: key ? { ...opts, deduplication: { id: key, keepLastIfActive: true } } : opts };
      });
      try {
        // one job (a slash command's wake-up) is one script call; addBulk would wrap it in a pipeline, whose
        // bookkeeping was ~4 % of the /blocker ack path's CPU (bench/RESULTS-blockers.md, section 3)
        if (jobs.length === 1) await queues[job.queue].add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
        else await queues[job.queue].addBulk(jobs);
      } catch (err) {
        onError(method, err as Error);
      }
    },
  ]);
  // every method is there: `wakeupJobs` has one entry per Wakeups method (its type says so)
  return Object.fromEntries(methods) as Wakeups;
}
