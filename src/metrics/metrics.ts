import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Observer } from '../services/observer.js';

/** Outcome of one Web API call as Slack answered it: `ok`, HTTP 429 (rate limited) or anything else. */
export type SlackCallOutcome = 'ok' | '429' | 'error';

/** What a Bolt ack answered: a slash command, an interactive action, a view submission/close, or an event. */
export type AckKind = 'command' | 'action' | 'view' | 'event' | 'options' | 'shortcut' | 'other';

/** How a job ended: `completed`, `failed` (BullMQ retries while attempts remain) or put back after a 429. */
export type JobOutcome = 'completed' | 'failed' | 'rate_limited';

/** Values read from Postgres and Redis on each scrape (cheap queries: one GROUP BY, one LLEN-style count per queue). */
export interface ScrapeSources {
  /** Open (unresolved) blockers by severity, e.g. `{ P1: 2 }`. */
  openBlockersBySeverity(): Promise<Record<string, number>>;
  /** Jobs per queue and state (waiting, delayed, active, prioritized), e.g. `{ dm: { waiting: 3, … } }`. */
  queueDepths(): Promise<Record<string, Record<string, number>>>;
}

/** Slack's ack deadline is 3 s: buckets up to it, finer where a healthy bot lives (5–250 ms). */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Escalation pings: a healthy bot pings within a second or two of due; minutes mean it fell behind. */
const LATENESS_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Preflight's Prometheus metrics on their own registry (names `preflight_*`, plus prom-client's default
 * process metrics: RSS, CPU, event-loop lag, heap). Labels hold only method/command/queue/job names and
 * severities, never tokens, user ids or message text.
 * Per-process counters and histograms (sum them across replicas); the `preflight_open_blockers` and
 * `preflight_queue_jobs` gauges are read from the shared Postgres/Redis on scrape, so every replica reports the
 * same value (use `max`, not `sum`, across replicas).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly ack: Histogram<'kind' | 'name'>;
  private readonly slackCalls: Counter<'method' | 'outcome'>;
  private readonly pauses: Counter<'queue'>;
  private readonly pauseSeconds: Counter<'queue'>;
  private readonly jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  private readonly lateness: Histogram<'severity'>;
  private readonly promptsSent: Counter<'kind'>;
  private readonly promptsAnswered: Counter<'timing'>;
  private readonly reloadFailures: Counter;
  private readonly versionInfo: Gauge<'version'>;

  /**
   * @param sources read on each scrape; a source that fails (Postgres or Redis down) leaves its gauge out of that
   *   scrape and is reported to `onScrapeError` (the scrape itself still answers).
   */
  constructor(sources?: ScrapeSources, onScrapeError: (what: string, err: Error) => void = () => {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.ack = new Histogram({
      name: 'preflight_slack_ack_duration_seconds',
      help: 'Time from receiving a Slack request to acking it, by kind (command, action, view, event) and name (/blocker, blocker_ack…)',
      labelNames: ['kind', 'name'],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.reloadFailures = new Counter({
      name: 'preflight_config_reload_failures_total',
      help: 'Reloads of PREFLIGHT_CONFIG that changed nothing because the file did not validate (or its people could not be resolved)',
      registers,
    });
    this.versionInfo = new Gauge({ name: 'preflight_config_version_info', help: 'The plan version this replica runs (1 for its version)', labelNames: ['version'], registers });
    this.slackCalls = new Counter({
      name: 'preflight_slack_api_calls_total',
      help: 'Slack Web API HTTP requests by method and outcome (ok, 429, error)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.pauses = new Counter({
      name: 'preflight_slack_rate_limit_pauses_total',
      help: 'Times a queue was paused for Slack Retry-After after a 429, by the queue whose job hit it',
      labelNames: ['queue'],
      registers,
    });
    this.pauseSeconds = new Counter({
      name: 'preflight_slack_rate_limit_pause_seconds_total',
      help: 'Seconds of Retry-After the Slack queues were paused for, by the queue whose job hit the 429',
      labelNames: ['queue'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'preflight_job_duration_seconds',
      help: 'Job run time in the worker, by queue, job name and outcome (completed, failed, rate_limited)',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.lateness = new Histogram({
      name: 'preflight_escalation_lateness_seconds',
      help: 'Escalation ping posted − due (ladder due time, or end of quiet hours / snooze), by blocker severity',
      labelNames: ['severity'],
      buckets: LATENESS_BUCKETS,
      registers,
    });
    this.promptsSent = new Counter({ name: 'preflight_standup_prompts_sent_total', help: 'Standup DMs posted, by kind (prompt, reminder)', labelNames: ['kind'], registers });
    this.promptsAnswered = new Counter({
      name: 'preflight_standup_prompts_answered_total',
      help: 'Standup answers completed, by timing (on_time, late)',
      labelNames: ['timing'],
      registers,
    });
    if (!sources) return;
    new Gauge({
      name: 'preflight_open_blockers',
      help: 'Unresolved blockers by severity (read from Postgres on scrape)',
      labelNames: ['severity'],
      registers,
      async collect() {
        try {
          const counts = await sources.openBlockersBySeverity();
          this.reset();
          for (const [severity, n] of Object.entries(counts)) this.set({ severity }, n);
        } catch (err) {
          this.reset();
          onScrapeError('open blockers', err as Error);
        }
      },
    });
    new Gauge({
      name: 'preflight_queue_jobs',
      help: 'Jobs per BullMQ queue and state (waiting, delayed, active, prioritized; read from Redis on scrape)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        try {
          const depths = await sources.queueDepths();
          this.reset();
          for (const [queue, states] of Object.entries(depths)) for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
        } catch (err) {
          this.reset();
          onScrapeError('queue depths', err as Error);
        }
      },
    });
  }

  /** A Slack request was acked `seconds` after it arrived. */
  ackObserved(kind: AckKind, name: string, seconds: number): void {
    this.ack.observe({ kind, name }, seconds);
  }

  /** One Web API HTTP request (`method` such as `chat.postMessage`) ended with `outcome`. */
  slackCall(method: string, outcome: SlackCallOutcome): void {
    this.slackCalls.inc({ method, outcome });
  }

  /** A job of `queue` hit a 429: the Slack queues pause for `seconds` (Retry-After). */
  rateLimitPause(queue: string, seconds: number): void {
    this.pauses.inc({ queue });
    this.pauseSeconds.inc({ queue }, seconds);
  }

  /** A job ran for `seconds` and ended with `outcome`. */
  jobFinished(queue: string, job: string, outcome: JobOutcome, seconds: number): void {
    this.jobDuration.observe({ queue, job, outcome }, seconds);
  }

  /** A reload of PREFLIGHT_CONFIG failed; the running plan stays (services/plan/reload.ts). */
  configReloadFailed(): void {
    this.reloadFailures.inc();
  }

  /** This replica now runs plan `version` (services/plan/version.ts): the only series of the version gauge. */
  configVersion(version: string): void {
    this.versionInfo.reset();
    this.versionInfo.set({ version }, 1);
  }

  /** The {@link Observer} the use cases report to (given to them in `Deps`). */
  readonly observer: Observer = {
    promptSent: (kind) => this.promptsSent.inc({ kind }),
    promptAnswered: (late) => this.promptsAnswered.inc({ timing: late ? 'late' : 'on_time' }),
    escalationPinged: (severity, lateMs) => this.lateness.observe({ severity }, Math.max(0, lateMs) / 1_000),
  };

  /** The Prometheus text exposition (version 0.0.4) and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
