/**
 * Slack requests first, background jobs after. A bot process serves Slack's requests (slash commands, buttons,
 * events: each must be acked within 3 s, and users feel every millisecond) and runs the jobs those requests ask
 * for (renders, DMs, escalations) on the same event loop. Under a burst of requests the jobs' CPU delayed the
 * acks: at 200 `/blocker`/s the render jobs alone needed more than a core (bench/RESULTS-blockers.md, section 3).
 * The jobs are wake-ups stored in Redis, so they can wait without losing anything; the acks cannot.
 *
 * So a job starts only once the process has been quiet for {@link RequestsFirstOptions.quietMs}: no Slack
 * request in flight and none arrived within that time. While requests come faster than
 * {@link RequestsFirstOptions.busyPerSecond}, the quiet needed is the longer
 * {@link RequestsFirstOptions.busyQuietMs}: at 50 `/blocker`/s the jobs run in the gaps between requests and the
 * blocker messages keep up (queues empty 0.3–3.0 s after a 20 s phase, against 6.4–7.5 s with 50 ms always, for
 * an ack p99 about 1.45× higher), while at 200/s, where they do not fit beside the acks on 2 cores, a 10 ms quiet
 * let renders start in the odd gap and the acks' p99 rose 2.1–2.3× in two runs (bench/RESULTS-blockers.md,
 * section 6). A job never waits longer than {@link RequestsFirstOptions.maxWaitMs},
 * so a steady stream of requests slows the jobs down without starving them. A job already running is not
 * interrupted. Times are milliseconds of `performance.now()`.
 */

export interface RequestsFirstOptions {
  /**
   * How long after the last request arrived (and none is in flight) jobs may start again, ms, while requests come
   * at most `busyPerSecond` a second. Default 10.
   */
  quietMs?: number;
  /** The arrival rate (requests a second, from a moving average of the gaps between them) above which jobs need `busyQuietMs` of quiet. Default 100. */
  busyPerSecond?: number;
  /** The quiet time jobs need while requests come faster than `busyPerSecond`, ms. Default 50. */
  busyQuietMs?: number;
  /** The longest a job waits for quiet before it starts anyway, ms. Default 2 000 (well under BullMQ's 15 s lock). */
  maxWaitMs?: number;
  /**
   * How long one request counts as in flight at most, ms. Default 3 000: Slack's ack deadline. A listener stuck on
   * a call that never returns then stops holding the jobs after that, instead of slowing them for good.
   */
  maxRequestMs?: number;
}

/** Weight of the newest gap in the moving average of the gaps between requests (about the last 10 count). */
const GAP_WEIGHT = 0.2;
/** Gaps longer than this count as this much in the average (ms): one quiet minute must not outweigh a burst. */
const GAP_CAP_MS = 1_000;

/** Tracks the Slack requests in flight and lets background jobs wait for a quiet moment. */
export class RequestsFirst {
  readonly quietMs: number;
  readonly busyPerSecond: number;
  readonly busyQuietMs: number;
  readonly maxWaitMs: number;
  readonly maxRequestMs: number;
  private inFlight = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** Moving average of the gaps between request arrivals, ms (GAP_CAP_MS before any). */
  private meanGapMs = GAP_CAP_MS;
  private waiters: { resolve: () => void; deadline: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: RequestsFirstOptions = {}) {
    this.quietMs = opts.quietMs ?? 10;
    this.busyPerSecond = opts.busyPerSecond ?? 100;
    this.busyQuietMs = opts.busyQuietMs ?? 50;
    this.maxWaitMs = opts.maxWaitMs ?? 2_000;
    this.maxRequestMs = opts.maxRequestMs ?? 3_000;
  }

  /**
   * A Slack request arrived. Call the returned function once it is handled (acked and its listener done); calling
   * it again does nothing. A request not ended within `maxRequestMs` is ended then.
   */
  begin(): () => void {
    this.inFlight += 1;
    const now = performance.now();
    this.meanGapMs += GAP_WEIGHT * (Math.min(now - this.lastArrival, GAP_CAP_MS) - this.meanGapMs);
    this.lastArrival = now;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(expiry);
      this.inFlight -= 1;
      this.schedule();
    };
    const expiry = setTimeout(end, this.maxRequestMs);
    expiry.unref();
    return end;
  }

  /** The quiet time jobs need now, ms: `busyQuietMs` while requests come faster than `busyPerSecond`, else `quietMs`. */
  currentQuietMs(): number {
    return this.meanGapMs < 1_000 / this.busyPerSecond ? this.busyQuietMs : this.quietMs;
  }

  /** True when no request is in flight and none arrived within {@link currentQuietMs}. */
  isQuiet(now = performance.now()): boolean {
    return this.inFlight === 0 && now - this.lastArrival >= this.currentQuietMs();
  }

  /** Resolves at once when the process is quiet, else when it becomes quiet or after `maxWaitMs`, whichever is first. */
  idle(): Promise<void> {
    const now = performance.now();
    if (this.isQuiet(now)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push({ resolve, deadline: now + this.maxWaitMs });
      this.schedule();
    });
  }

  /** Releases the waiters that may go now, and sets one timer for the next moment one may. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiters.length === 0) return;
    const now = performance.now();
    const quiet = this.isQuiet(now);
    const waiting = this.waiters.filter((w) => !quiet && w.deadline > now);
    for (const w of this.waiters) if (!waiting.includes(w)) w.resolve();
    this.waiters = waiting;
    if (waiting.length === 0) return;
    const nextDeadline = Math.min(...waiting.map((w) => w.deadline));
    // while a request is in flight its end re-schedules; otherwise quiet comes the quiet time after the last arrival
    const quietAt = this.inFlight === 0 ? this.lastArrival + this.currentQuietMs() : Number.POSITIVE_INFINITY;
    this.timer = setTimeout(() => this.schedule(), Math.max(0, Math.min(nextDeadline, quietAt) - now));
    this.timer.unref();
  }
}
