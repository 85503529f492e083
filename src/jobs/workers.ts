import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../services/deps.js';
import { rateLimitedFor } from '../services/slack-errors.js';
import { sendPrompt, sendReminder } from '../services/standups/prompts.js';
import { postLateAnswer, renderReport } from '../services/standups/report.js';
import { tick } from '../services/standups/sweep.js';
import { pruneSlackEvents } from '../services/slack-events.js';
import { postThreadLine, renderBlockerMessage, sendNotice } from '../services/blockers/delivery.js';
import { escalate } from '../services/blockers/escalate.js';
import { sendOutbound } from '../services/delivery/outbound.js';
import { sweepBlockers } from '../services/blockers/sweep.js';
import { scheduledGonogo } from '../services/gonogo/decisions.js';
import { escalateOverdueGates, withdrawSignOffsForBlocker } from '../services/gonogo/gates.js';
import { JOB_NAMES, QUEUE_NAMES, payloads, type Queues } from './queues.js';

export const TICK_SCHEDULER_ID = 'standup-tick';
export const SWEEP_SCHEDULER_ID = 'blocker-sweep';

export interface Workers {
  workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight, then closes the connections. */
  close(): Promise<void>;
}

/**
 * On a 429 (`rejectRateLimitedCalls` makes the Web API client throw instead of waiting), pause the whole
 * queue for Slack's `Retry-After` and put the job back without spending an attempt (BullMQ's
 * `worker.rateLimit` + `Worker.RateLimitError`), so one 429 never blocks a worker slot or loses a notice.
 */
async function slackCall<T>(worker: Worker, others: Queue[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const seconds = rateLimitedFor(err);
    if (seconds !== null) {
      // chat.postMessage's workspace-wide cap is shared by DMs and channel posts: pause every Slack queue
      await Promise.all(others.map((q) => q.rateLimit(seconds * 1_000)));
      await worker.rateLimit(seconds * 1_000);
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

/**
 * Starts the job schedulers (standup tick every `tickMs`, blocker sweep every `escalation.sweep_every`; BullMQ
 * runs one job per interval however many bot processes run) and the workers of every queue.
 * @param deps use-case deps whose `slack` client has `rejectRateLimitedCalls: true`.
 * @param connection a worker connection (`maxRetriesPerRequest: null`).
 */
export async function startWorkers(args: {
  deps: Deps;
  queues: Queues;
  connection: Redis;
  prefix: string;
  tickMs: number;
  sweepMs?: number;
  dmConcurrency?: number;
  escalationConcurrency?: number;
  /** How often the job schedulers are re-asserted (ms). */
  schedulerKeeperMs?: number;
}): Promise<Workers> {
  const { deps, queues, connection, prefix } = args;
  const ensureSchedulers = async () => {
    await queues.scheduler.upsertJobScheduler(TICK_SCHEDULER_ID, { every: args.tickMs }, { name: JOB_NAMES.tick, data: {}, opts: { removeOnComplete: true, removeOnFail: 50, attempts: 1 } });
    await queues.scheduler.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: args.sweepMs ?? deps.config.escalation.sweep_every },
      { name: JOB_NAMES.sweep, data: {}, opts: { removeOnComplete: true, removeOnFail: 50, attempts: 1 } },
    );
  };
  await ensureSchedulers();
  // A Redis FLUSHALL (or a Redis restarted without persistence) deletes the job schedulers too: re-assert
  // them (idempotent upsert) so ticks and sweeps resume without a bot restart.
  const keeper = setInterval(() => {
    ensureSchedulers().catch((err) => deps.log.warn({ err: (err as Error).message }, 'could not re-assert the job schedulers'));
  }, args.schedulerKeeperMs ?? Math.min(args.tickMs, args.sweepMs ?? deps.config.escalation.sweep_every, 30_000));
  keeper.unref();

  let lastPrune = 0;
  const scheduler = new Worker(
    QUEUE_NAMES.scheduler,
    async (job: Job) => {
      if (job.name === JOB_NAMES.sweep) {
        const swept = await sweepBlockers(deps);
        const gates = await escalateOverdueGates(deps);
        const gonogo = await scheduledGonogo(deps);
        return { ...swept, gates, gonogo };
      }
      const report = await tick(deps);
      const now = deps.clock.now().toJSDate();
      if (now.getTime() - lastPrune > 3_600_000) {
        lastPrune = now.getTime();
        await pruneSlackEvents(deps.db, now);
      }
      if (report.opened + report.missed + report.closed + report.released > 0) deps.log.debug({ tick: report }, 'tick');
      return report;
    },
    { connection, prefix, concurrency: 1, ...STALL_RECOVERY },
  );

  const dm: Worker = new Worker(
    QUEUE_NAMES.dm,
    async (job: Job) => {
      switch (job.name) {
        case JOB_NAMES.sendPrompt:
          return slackCall(dm, [queues.channel], () => sendPrompt(deps, payloads.sendPrompt.parse(job.data).promptId));
        case JOB_NAMES.sendReminder:
          return slackCall(dm, [queues.channel], () => sendReminder(deps, payloads.sendReminder.parse(job.data).promptId));
        case JOB_NAMES.sendNotice:
          return slackCall(dm, [queues.channel], () => sendNotice(deps, payloads.sendNotice.parse(job.data).noticeId));
        default:
          throw new Error(`unknown dm job ${job.name}`);
      }
    },
    { connection, prefix, concurrency: args.dmConcurrency ?? 16, limiter: RATE_LIMIT_ENABLED, ...STALL_RECOVERY },
  );

  const channel: Worker = new Worker(
    QUEUE_NAMES.channel,
    async (job: Job) => {
      switch (job.name) {
        case JOB_NAMES.renderReport:
          return slackCall(channel, [queues.dm], () => renderReport(deps, payloads.renderReport.parse(job.data).runId));
        case JOB_NAMES.postLateAnswer:
          return slackCall(channel, [queues.dm], () => postLateAnswer(deps, payloads.postLateAnswer.parse(job.data).answerId));
        case JOB_NAMES.renderBlocker:
          return slackCall(channel, [queues.dm], () => renderBlockerMessage(deps, payloads.renderBlocker.parse(job.data).blockerId));
        case JOB_NAMES.postThreadLine:
          return slackCall(channel, [queues.dm], () => postThreadLine(deps, payloads.postThreadLine.parse(job.data).eventId));
        case JOB_NAMES.sendOutbound:
          return slackCall(channel, [queues.dm], () => sendOutbound(deps, payloads.sendOutbound.parse(job.data).messageId));
        default:
          throw new Error(`unknown channel job ${job.name}`);
      }
    },
    { connection, prefix, concurrency: 4, limiter: RATE_LIMIT_ENABLED, ...STALL_RECOVERY },
  );

  // escalation: Postgres only (reserves notices; withdraws gate sign-offs); Slack calls happen in the dm/channel queues
  const escalation = new Worker(
    QUEUE_NAMES.escalation,
    async (job: Job) => {
      if (job.name === JOB_NAMES.withdrawSignOffs) return withdrawSignOffsForBlocker(deps, payloads.withdrawSignOffs.parse(job.data).blockerId);
      const { blockerId, version } = payloads.escalate.parse(job.data);
      return escalate(deps, blockerId, version);
    },
    { connection, prefix, concurrency: args.escalationConcurrency ?? 8, ...STALL_RECOVERY },
  );

  const workers = [scheduler, escalation, dm, channel];
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
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
