import { Worker, type Job, type Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Deps } from '../services/deps.js';
import { recordingRefusedLimits, WORKSPACE_POST_LIMIT } from '../services/refused-limits.js';
import { rateLimitedFor } from '../services/slack-errors.js';
import { startDelayedPromoter } from './delayed-promoter.js';
import { QUEUES, QUEUE_NAMES, type QueueName, type ScheduleSettings, type WakeupJob } from './job-definition.js';
import type { Queues } from './queues.js';
import type { RequestsFirst } from './requests-first.js';
import { scheduledJobs, wakeupJobs } from './registry.js';

/** What workers report for monitoring (src/metrics implements it). */
export interface JobObserver {
  /** A job of `queue` ran `seconds` and ended: completed, failed (retried while attempts remain) or put back after a 429. */
  jobFinished(queue: string, job: string, outcome: 'completed' | 'failed' | 'rate_limited', seconds: number): void;
  /** A job of `queue` hit chat.postMessage's workspace limit (429): every Slack queue pauses for `seconds` (Slack's Retry-After). */
  rateLimitPause(queue: string, seconds: number): void;
}

export interface Workers {
  workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight, then closes the connections. */
  close(): Promise<void>;
}

/**
 * On a 429 (`rejectRateLimitedCalls` makes the Web API client throw instead of waiting), put the job back without
 * spending an attempt (BullMQ's `Worker.RateLimitError`), so one 429 never loses a notice. The jobs already running,
 * and the one put back when it runs again, are held by the process's rate-limit gate before their next call under
 * the limit that refused (src/slack/rate-limit-gate.ts, shared by the replicas).
 *
 * Which queues pause (BullMQ's `worker.rateLimit`, in every bot process, through Redis) for Slack's `Retry-After`
 * depends on the limit that refused (services/refused-limits.ts):
 * - chat.postMessage's workspace-wide limit, which DMs and channel posts both spend, or a 429 whose limit is not
 *   known: every Slack queue, so no slot is taken by a post the gate would hold;
 * - any other (a Tier 3 method such as chat.update or conversations.open, one channel's one post a second): none.
 *   A `chat.update` 429 no longer holds the prompts of a fan-out; the gate holds only that method's calls.
 */
async function slackCall<T>(worker: Worker, others: Queue[], fn: () => Promise<T>, observe?: JobObserver): Promise<T> {
  const refused = new Set<string>();
  try {
    return await recordingRefusedLimits(refused, fn);
  } catch (err) {
    const seconds = rateLimitedFor(err);
    if (seconds !== null) {
      if (refused.size === 0 || refused.has(WORKSPACE_POST_LIMIT)) {
        observe?.rateLimitPause(worker.name, seconds);
        await Promise.all(others.map((q) => q.rateLimit(seconds * 1_000)));
        await worker.rateLimit(seconds * 1_000);
      }
      throw Worker.RateLimitError();
    }
    throw err;
  }
}

/**
 * BullMQ enforces `worker.rateLimit()` through Redis (shared by every bot process, any length) only for
 * workers that have a `limiter`; this one never limits by itself (100,000 jobs/s).
 */
const RATE_LIMIT_ENABLED = { max: 100_000, duration: 1_000 };

/**
 * Jobs held by a process that died (kill -9) stay "active" in Redis, under their deterministic id, until
 * BullMQ's stall check finds their lock expired; only then can they run again. A 15 s lock (renewed every
 * 7.5 s while a job runs) checked every 5 s brings them back within ~20 s instead of ~60 s.
 */
const STALL_RECOVERY = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 };

/** Options of the job each job scheduler adds: one attempt (the next interval retries), a few failures kept. */
const SCHEDULED_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 50, attempts: 1 };

type Handler = (deps: Deps, data: unknown) => Promise<unknown>;

/** Each queue's handlers by job name, from the registry. Throws on a job name declared twice. */
function handlersByQueue(): Record<QueueName, Map<string, Handler>> {
  const byQueue = Object.fromEntries(QUEUE_NAMES.map((q) => [q, new Map<string, Handler>()])) as Record<QueueName, Map<string, Handler>>;
  const add = (queue: QueueName, name: string, handler: Handler) => {
    if (byQueue[queue].has(name)) throw new Error(`job ${name} is declared twice in the ${queue} queue`);
    byQueue[queue].set(name, handler);
  };
  for (const job of Object.values(wakeupJobs) as WakeupJob[]) add(job.queue, job.name, (deps, data) => job.run(deps, job.payload.parse(data)));
  for (const job of scheduledJobs) add('scheduler', job.name, (deps) => job.run(deps));
  return byQueue;
}

/**
 * Starts the job schedulers of the registry (standup tick every `tickMs`, due-work sweep every `sweepMs`,
 * default `escalation.sweep_every`; BullMQ runs one job per interval however many bot processes run) and a
 * worker per queue that parses each job's payload with its schema and runs its handler.
 * @param deps use-case deps whose `slack` client has `rejectRateLimitedCalls: true`.
 * @param connection a worker connection (`maxRetriesPerRequest: null`).
 */
export async function startWorkers(args: {
  deps: Deps;
  queues: Queues;
  connection: Redis | Cluster;
  prefix: string;
  tickMs: number;
  sweepMs?: number;
  dmConcurrency?: number;
  escalationConcurrency?: number;
  /** How often the job schedulers are re-asserted (ms). */
  schedulerKeeperMs?: number;
  /** Told each job's duration and outcome, and each 429 pause (metrics). */
  observe?: JobObserver;
  /**
   * Waited for before each job of every queue but the scheduler's starts (requests-first.ts: Slack requests are
   * served first). The scheduler's ticks and sweeps are not held: they are what keeps check-ins on time.
   */
  requestsFirst?: Pick<RequestsFirst, 'idle'>;
  /**
   * Job scheduler ids (e.g. `standup-tick`, `due-work-sweep`) whose first iteration comes one interval after start
   * instead of at once. BullMQ runs an `every` job scheduler's first iteration as soon as it is created
   * (addJobScheduler: `nextMillis = now`). A bot process holds none; the integration harness holds the tick and the
   * sweep, which its tests run themselves. Only the first assertion is held: a scheduler that already exists keeps its
   * next iteration, and the keeper re-creates one lost with Redis's data at once.
   */
  holdFirstIteration?: readonly string[];
}): Promise<Workers> {
  const { deps, queues, connection, prefix } = args;
  const settings: ScheduleSettings = { tickMs: args.tickMs, sweepMs: args.sweepMs ?? deps.config.escalation.sweep_every };
  const ensureSchedulers = async (hold: readonly string[] = []) => {
    // a renamed job scheduler: the old id would go on adding jobs every interval beside the new one. Removed on each
    // pass, since a process still on the old code (a rolling deploy) re-asserts it until it stops.
    for (const job of scheduledJobs) for (const former of job.formerSchedulerIds ?? []) await queues.scheduler.removeJobScheduler(former);
    for (const job of scheduledJobs) {
      const every = job.every(settings);
      const repeat = hold.includes(job.schedulerId) ? { every, startDate: Date.now() + every } : { every };
      await queues.scheduler.upsertJobScheduler(job.schedulerId, repeat, { name: job.name, data: {}, opts: SCHEDULED_JOB_OPTIONS });
    }
  };
  await ensureSchedulers(args.holdFirstIteration);
  // A Redis FLUSHALL (or a Redis restarted without persistence) deletes the job schedulers too: re-assert
  // them (idempotent upsert) so ticks and sweeps resume without a bot restart; former ids are removed again.
  const keeper = setInterval(
    () => {
      ensureSchedulers().catch((err) => deps.log.warn({ err: (err as Error).message }, 'could not re-assert the job schedulers'));
    },
    args.schedulerKeeperMs ?? Math.min(...scheduledJobs.map((job) => job.every(settings)), 30_000),
  );
  keeper.unref();

  const handlers = handlersByQueue();
  // the job schedulers' iterations running in this process, by job name: one at a time each (see QUEUES.scheduler)
  const schedulerRunning = new Set<string>();
  const concurrency: Partial<Record<QueueName, number>> = { dm: args.dmConcurrency, escalation: args.escalationConcurrency };
  const slackQueues = QUEUE_NAMES.filter((q) => QUEUES[q].callsSlack);
  const workers = QUEUE_NAMES.map((queue) => {
    const { callsSlack } = QUEUES[queue];
    const others = slackQueues.filter((q) => q !== queue).map((q) => queues[q]);
    const worker: Worker = new Worker(
      queue,
      async (job: Job) => {
        const handle = handlers[queue].get(job.name);
        if (!handle) throw new Error(`unknown ${queue} job ${job.name}`);
        if (queue === 'scheduler') {
          // an iteration that comes while the previous one still runs (a tick slower than its interval) is skipped:
          // the running one does the work, and the next iteration comes one interval later
          if (schedulerRunning.has(job.name)) return { skipped: 'the previous iteration is still running' };
          schedulerRunning.add(job.name);
        } else if (args.requestsFirst) await args.requestsFirst.idle();
        const start = performance.now();
        const seconds = () => (performance.now() - start) / 1_000;
        // one Program per job: a plan reloaded while the job runs applies from the next job on (Deps.config may
        // read a PlanHolder; the spread copies the plan current now)
        const jobDeps: Deps = { ...deps };
        try {
          const result = await (callsSlack ? slackCall(worker, others, () => handle(jobDeps, job.data), args.observe) : handle(jobDeps, job.data));
          args.observe?.jobFinished(queue, job.name, 'completed', seconds());
          return result;
        } catch (err) {
          args.observe?.jobFinished(queue, job.name, (err as Error).name === 'RateLimitError' ? 'rate_limited' : 'failed', seconds());
          throw err;
        } finally {
          if (queue === 'scheduler') schedulerRunning.delete(job.name);
        }
      },
      { connection, prefix, concurrency: concurrency[queue] ?? QUEUES[queue].concurrency, ...(callsSlack ? { limiter: RATE_LIMIT_ENABLED } : {}), ...STALL_RECOVERY },
    );
    return worker;
  });

  // escalation wake-ups start at their due time, not up to a Redis clock tick after it (delayed-promoter.ts)
  const promoters = QUEUE_NAMES.filter((q) => QUEUES[q].promoteOnTime).map((q) =>
    startDelayedPromoter(queues[q], { onError: (err) => deps.log.debug({ err: err.message, queue: q }, 'could not promote delayed jobs (BullMQ wakes them a tick later)') }),
  );
  for (const w of workers) {
    w.on('error', (err) => deps.log.error({ err: err.message, queue: w.name }, 'worker error'));
    w.on('failed', (job, err) => {
      if (err.name === 'RateLimitError') return;
      deps.log.warn({ queue: w.name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed (will retry while attempts remain)');
    });
  }
  return {
    workers,
    async close() {
      clearInterval(keeper);
      await Promise.all(promoters.map((p) => p.stop()));
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
