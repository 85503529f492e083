import type { Job, Queue } from 'bullmq';

/**
 * Delayed jobs on time, to the millisecond rather than to Redis's clock tick.
 *
 * An idle BullMQ worker waits for a delayed job with a blocking `BZPOPMIN` whose timeout runs to the job's due time.
 * Redis fires blocking timeouts on its cron tick (`hz`, 10 a second by default), so the job starts 0–100 ms after it
 * is due (measured: a 5 ms timeout returns after 76–101 ms at `hz 10`; bench/RESULTS-blockers.md, section 1). For an
 * escalation that was the largest share of its lateness (issue 25: p99 < 100 ms). A job pushed to the wait list, by
 * contrast, wakes the blocked worker at once: Redis serves blocked clients on the write, not on the tick.
 *
 * So this process reads the earliest delayed jobs of a queue, sets a timer for the first one's due time, and at
 * that moment promotes every job due by then (BullMQ's `Job.promote`, which moves it to the wait list with its
 * priority). Every replica may run one: a job another replica promoted first is simply no longer delayed
 * (BullMQ's `JobNotInState`), and the handler re-checks Postgres anyway. Nothing is promoted before its due time.
 * Jobs waiting out a retry's backoff (`attemptsMade > 0`) are left to BullMQ, whose due time for them is not
 * `timestamp + delay`. Without this promoter the jobs still run, through BullMQ's own wake-up, up to a tick late.
 */
export interface DelayedPromoterOptions {
  /** The longest the promoter sleeps between two reads of the queue, ms: how soon it sees a job another process added. Default 1 000. */
  pollMs?: number;
  /** How many of the earliest delayed jobs one read looks at, at most. Default 50. */
  batch?: number;
  /** Told of an error reading or promoting (Redis away); the promoter goes on at its next poll. */
  onError?: (err: Error) => void;
}

export interface DelayedPromoter {
  /** Jobs this process promoted so far. */
  readonly promoted: number;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
}

/** The due time of a delayed job that has not run yet, ms since the epoch (BullMQ scores it `timestamp + delay`). */
export function dueTimeOf(job: Pick<Job, 'timestamp' | 'delay' | 'attemptsMade'>): number | null {
  if (job.attemptsMade > 0) return null;
  return job.timestamp + job.delay;
}

/**
 * Starts promoting `queue`'s delayed jobs at their due time (see the module's comment). Times are `Date.now()`
 * milliseconds, the clock BullMQ schedules delayed jobs by.
 * @returns a handle whose `stop()` ends it; it never throws (errors go to `onError`).
 */
export function startDelayedPromoter(queue: Pick<Queue, 'getDelayed' | 'getDelayedCount'>, opts: DelayedPromoterOptions = {}): DelayedPromoter {
  const pollMs = opts.pollMs ?? 1_000;
  const batch = opts.batch ?? 50;
  let stopped = false;
  let promoted = 0;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
      // the promoter never keeps the process alive by itself (its workers and server do)
      timer.unref();
    });

  /** One read of the earliest delayed jobs; promotes those due. Returns the ms to sleep before the next read. */
  const pass = async (): Promise<number> => {
    // one ZCOUNT while nothing is due before the next read (an idle bot, or timers hours away)
    const dueSoon = await queue.getDelayedCount(Date.now() + pollMs);
    if (dueSoon === 0) return pollMs;
    const jobs = (await queue.getDelayed(0, Math.min(dueSoon, batch) - 1)) as Job[];
    let next = Number.POSITIVE_INFINITY;
    let promotedNow = 0;
    for (const job of jobs) {
      const due = dueTimeOf(job);
      if (due === null) continue;
      if (due > Date.now()) {
        next = Math.min(next, due);
        continue;
      }
      try {
        await job.promote();
        promoted += 1;
        promotedNow += 1;
      } catch (err) {
        // promoted by another replica, taken by BullMQ's own wake-up, or removed: nothing left to do for it
        if (!/not in the delayed state|Missing key|does not exist/i.test((err as Error).message)) throw err;
      }
    }
    // a full batch may hide more due jobs behind it: read again at once
    if (promotedNow > 0 && jobs.length === batch) return 0;
    // the first due time among those read, or the next read (which sees jobs added since by any process)
    return Math.min(pollMs, next - Date.now());
  };

  const loop = (async () => {
    while (!stopped) {
      let ms = pollMs;
      try {
        ms = await pass();
      } catch (err) {
        opts.onError?.(err as Error);
      }
      if (!stopped) await sleep(ms);
    }
  })();

  return {
    get promoted() {
      return promoted;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
