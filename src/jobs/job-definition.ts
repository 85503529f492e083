import type { z } from 'zod';
import type { Deps } from '../services/deps.js';
import type { Wakeups } from '../services/wakeups.js';

/**
 * The queues and what their workers may do. Redis only holds wake-ups: every job names a Postgres row, and the
 * handler re-checks that row (state, version) before doing anything, so a duplicate or stale job is harmless.
 * - scheduler: the job schedulers (standup `tick`, the due-work `sweep`).
 * - escalation: one delayed job per blocker's next due time (it reserves notices, and sends the due ones itself
 *   while Slack's limits are open: services/blockers/send-now.ts; a 429 hands them to the dm queue, never pauses it).
 * - dm: direct messages to members (prompts, reminders, notices).
 * - channel: channel messages (reports, late answers in threads, blocker messages and their thread lines).
 * `callsSlack`: the handlers call the Slack Web API, so a 429 pauses every such queue (chat.postMessage's
 * workspace-wide cap is shared by DMs and channel posts). `concurrency`: jobs at once per worker (default).
 * The scheduler's is one slot per job scheduler (registry.ts `scheduledJobs`: tick, sweep, on-call refresh, user
 * groups): BullMQ puts a job scheduler's overdue iteration ahead of the jobs already waiting, so with one slot a tick
 * slower than its interval (seen at 2,000 people: 4 s a tick, every 1 s) ran tick after tick and the due-work sweep
 * never ran. Each job scheduler runs one iteration at a time per process (workers.ts skips one that comes while
 * the previous still runs).
 * `promoteOnTime`: each process promotes the queue's delayed jobs at their due time (delayed-promoter.ts), so they
 * start within milliseconds of it rather than up to one Redis clock tick (100 ms at `hz 10`) late: the escalation
 * wake-ups, whose lateness a user feels (issue 25).
 */
export const QUEUES = {
  scheduler: { concurrency: 4, callsSlack: false, promoteOnTime: false },
  escalation: { concurrency: 8, callsSlack: false, promoteOnTime: true },
  dm: { concurrency: 16, callsSlack: true, promoteOnTime: false },
  channel: { concurrency: 4, callsSlack: true, promoteOnTime: false },
} as const satisfies Record<string, { concurrency: number; callsSlack: boolean; promoteOnTime: boolean }>;

export type QueueName = keyof typeof QUEUES;

/**
 * BullMQ priorities of the DMs that may wait behind prompts and escalation DMs (which have none, so they go first):
 * a reminder before an answer receipt (a reminder is due before its check-in closes; a receipt only confirms what is
 * already stored). Slack's workspace cap on chat.postMessage ("several hundred per minute",
 * docs.slack.dev/apis/web-api/rate-limits) is shared by every post, so what goes first is what arrives on time.
 */
export const DM_PRIORITY = { reminder: 1, answerReceipt: 2 } as const;

/** The queue names in worker start order. */
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export type WakeupName = keyof Wakeups;

/** One element of what a {@link Wakeups} method takes (e.g. `{ promptId, attempt }`, or a notice id). */
export type WakeupItem<W extends WakeupName> = Parameters<Wakeups[W]>[0] extends readonly (infer I)[] ? I : never;

/**
 * A job enqueued by one {@link Wakeups} method, one job per item. Methods (not arrow properties) on purpose:
 * they let the registry hold differently typed jobs side by side.
 */
export interface WakeupJob<W extends WakeupName = WakeupName, S extends z.ZodType = z.ZodType> {
  queue: Exclude<QueueName, 'scheduler'>;
  /** BullMQ job name, unique across the registry. */
  name: string;
  /** What `job.data` must look like; the worker parses it before calling {@link run}. */
  payload: S;
  /**
   * Deterministic BullMQ job id: BullMQ ignores an add whose id it still stores, so a repeated wake-up for the
   * same row (and attempt/version) adds one job. BullMQ forbids ':' in custom ids.
   */
  jobId(item: WakeupItem<W>): string;
  /** `job.data` for an item (must pass {@link payload}). */
  data(item: WakeupItem<W>): z.input<S>;
  /** Milliseconds before the job may run; without it the job runs at once. */
  delay?(item: WakeupItem<W>): number;
  /**
   * BullMQ's job priority (1 = first of the prioritized, docs.bullmq.io/guide/jobs/prioritized): a job without one
   * runs before every job with one, whatever their order of arrival. The `dm` queue sends prompts and escalation DMs
   * without one, and the DMs that can wait behind them (reminders, answer receipts) with one, so a fan-out's prompts
   * get chat.postMessage's workspace budget first (issue 25). See {@link DM_PRIORITY}.
   */
  priority?: number;
  /**
   * The coalescing key of an item (e.g. `report-<runId>`), or undefined to add the job as it is. Items with the same
   * key share one job through BullMQ's deduplication (simple mode with `keepLastIfActive`,
   * docs.bullmq.io/guide/jobs/deduplication): while a job with that key waits (delayed, waiting, or delayed for a
   * retry) an add is ignored, since the queued job reads Postgres when it runs; while one runs, the latest add is kept
   * in Redis and queued when it ends, with its own {@link delay}. So jobs of one key start at least `delay` ms apart,
   * none runs beside another, and a change that comes while one runs is shown by the next. The key lives in Redis
   * with the job (a restart, another replica see it); a key whose job is gone (a Redis restart) is recovered by BullMQ
   * at the next add. BullMQ forbids ':' in it.
   */
  coalesce?(item: WakeupItem<W>): string | undefined;
  /** The use case the job runs (a service entry point); its result becomes the job's return value. */
  run(deps: Deps, data: z.output<S>): Promise<unknown>;
  /**
   * The job's recovery: the items still due according to Postgres, which the due-work sweep queues again (the same
   * job ids, so a job still queued is not doubled). Without it the job has none in the sweep (the standup tick
   * recovers the check-in jobs).
   */
  recover?(deps: Deps): Promise<WakeupItem<W>[]>;
}

/**
 * Declares a wake-up job. The registry's type (one entry per {@link Wakeups} method) tells this which method
 * it serves, so `jobId`/`data`/`delay` receive that method's item type and `run` the payload's parsed type.
 */
export function wakeupJob<W extends WakeupName, S extends z.ZodType>(def: WakeupJob<W, S>): WakeupJob<W, S> {
  return def;
}

/** Intervals of the job schedulers, in ms, as `startWorkers` was given them. */
export interface ScheduleSettings {
  tickMs: number;
  sweepMs: number;
}

/** A job the `scheduler` queue runs on an interval through a BullMQ job scheduler (no payload). */
export interface ScheduledJob {
  /** BullMQ job scheduler id: one job per interval however many bot processes run. */
  schedulerId: string;
  /** Ids this job scheduler had before (a rename): startWorkers removes them, so the old one stops running. */
  formerSchedulerIds?: readonly string[];
  /** BullMQ job name, unique across the registry. */
  name: string;
  /** Interval in ms. */
  every(settings: ScheduleSettings): number;
  run(deps: Deps): Promise<unknown>;
}

/** Declares a scheduled job (see {@link ScheduledJob}). */
export function scheduledJob(def: ScheduledJob): ScheduledJob {
  return def;
}
