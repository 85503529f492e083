import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Queues. Redis only holds wake-ups: every job names a Postgres row, and the processor re-checks that row
 * (state, version) before doing anything, so a duplicate or stale job is harmless.
 * - scheduler: the job schedulers (standup `tick`, blocker `sweep`).
 * - escalation: one delayed job per blocker's next due time (Postgres only; it reserves notices), and the
 *   withdrawal of the gate sign-offs a new blocker affects.
 * - dm: direct messages to members (prompts, reminders). Rate-limited as a whole on a 429.
 * - channel: channel messages (reports, late answers in threads, blocker messages and thread lines) and
 *   outbound messages (go/no-go posts, sign-off withdrawal notices).
 */
export const QUEUE_NAMES = { scheduler: 'scheduler', escalation: 'escalation', dm: 'dm', channel: 'channel' } as const;

export const payloads = {
  tick: z.object({}),
  sendPrompt: z.object({ promptId: z.number().int().positive() }),
  sendReminder: z.object({ promptId: z.number().int().positive() }),
  renderReport: z.object({ runId: z.number().int().positive() }),
  postLateAnswer: z.object({ answerId: z.number().int().positive() }),
  escalate: z.object({ blockerId: z.number().int().positive(), version: z.number().int().positive() }),
  sendNotice: z.object({ noticeId: z.number().int().positive() }),
  renderBlocker: z.object({ blockerId: z.number().int().positive() }),
  postThreadLine: z.object({ eventId: z.number().int().positive() }),
  withdrawSignOffs: z.object({ blockerId: z.number().int().positive() }),
  sendOutbound: z.object({ messageId: z.number().int().positive() }),
};

export const JOB_NAMES = {
  tick: 'tick',
  sendPrompt: 'send-prompt',
  sendReminder: 'send-reminder',
  renderReport: 'render-report',
  postLateAnswer: 'post-late-answer',
  sweep: 'sweep',
  escalate: 'escalate',
  sendNotice: 'send-notice',
  renderBlocker: 'render-blocker',
  postThreadLine: 'post-thread-line',
  withdrawSignOffs: 'withdraw-signoffs',
  sendOutbound: 'send-outbound',
} as const;

/** Deterministic job ids (BullMQ forbids ':' in custom ids). The attempt/version part lets a later wake-up through. */
export const jobIds = {
  sendPrompt: (promptId: number, attempt: number) => `prompt-${promptId}-${attempt}`,
  sendReminder: (promptId: number) => `reminder-${promptId}`,
  renderReport: (runId: number, version: number) => `report-${runId}-${version}`,
  postLateAnswer: (answerId: number, version: number) => `late-${answerId}-${version}`,
  escalate: (blockerId: number, version: number) => `esc-${blockerId}-${version}`,
  sendNotice: (noticeId: number) => `notice-${noticeId}`,
  renderBlocker: (blockerId: number, version: number) => `blocker-${blockerId}-${version}`,
  postThreadLine: (eventId: number) => `thread-${eventId}`,
  withdrawSignOffs: (blockerId: number) => `withdraw-${blockerId}`,
  sendOutbound: (messageId: number) => `outbound-${messageId}`,
};

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

export interface Queues {
  scheduler: Queue;
  escalation: Queue;
  dm: Queue;
  channel: Queue;
  close(): Promise<void>;
}

/** Creates the producer side of every queue on one shared connection. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const make = (name: string) => new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const scheduler = make(QUEUE_NAMES.scheduler);
  const escalation = make(QUEUE_NAMES.escalation);
  const dm = make(QUEUE_NAMES.dm);
  const channel = make(QUEUE_NAMES.channel);
  return {
    scheduler,
    escalation,
    dm,
    channel,
    async close() {
      await Promise.all([scheduler.close(), escalation.close(), dm.close(), channel.close()]);
    },
  };
}

/**
 * Wake-ups the services ask for. Each names the row to look at; calling twice for the same row and
 * attempt/version adds one job.
 */
export interface Wakeups {
  sendPrompts(items: { promptId: number; attempt: number }[]): Promise<void>;
  sendReminders(promptIds: number[]): Promise<void>;
  renderReports(items: { runId: number; version: number }[]): Promise<void>;
  postLateAnswers(items: { answerId: number; version: number }[]): Promise<void>;
  /** Wake the escalation processor for a blocker at `dueAt` (delayed job; id includes the version). */
  escalate(items: { blockerId: number; version: number; dueAt: Date; now: Date }[]): Promise<void>;
  sendNotices(noticeIds: number[]): Promise<void>;
  renderBlockers(items: { blockerId: number; version: number }[]): Promise<void>;
  postThreadLines(eventIds: number[]): Promise<void>;
  /** Withdraw the gate sign-offs each new blocker affects (escalation queue; one job per blocker). */
  withdrawSignOffs(blockerIds: number[]): Promise<void>;
  /** Deliver queued outbound messages (go/no-go posts, withdrawal notices). */
  sendOutbound(messageIds: number[]): Promise<void>;
}

/**
 * {@link Wakeups} on BullMQ queues. Wake-ups are asked for after the Postgres commit that made them due, so a
 * failure to queue one (Redis down) is logged and swallowed: the sweeper re-derives it from Postgres within a
 * tick, and the user's request (already written) does not fail.
 */
export function queueWakeups(queues: Queues, onError: (what: string, err: Error) => void = () => {}): Wakeups {
  const raw = rawWakeups(queues);
  const guard =
    <A extends unknown[]>(what: string, fn: (...a: A) => Promise<void>) =>
    async (...a: A) => {
      try {
        await fn(...a);
      } catch (err) {
        onError(what, err as Error);
      }
    };
  return {
    sendPrompts: guard('sendPrompts', raw.sendPrompts),
    sendReminders: guard('sendReminders', raw.sendReminders),
    renderReports: guard('renderReports', raw.renderReports),
    postLateAnswers: guard('postLateAnswers', raw.postLateAnswers),
    escalate: guard('escalate', raw.escalate),
    sendNotices: guard('sendNotices', raw.sendNotices),
    renderBlockers: guard('renderBlockers', raw.renderBlockers),
    postThreadLines: guard('postThreadLines', raw.postThreadLines),
    withdrawSignOffs: guard('withdrawSignOffs', raw.withdrawSignOffs),
    sendOutbound: guard('sendOutbound', raw.sendOutbound),
  };
}

function rawWakeups(queues: Queues): Wakeups {
  return {
    async sendPrompts(items) {
      if (items.length === 0) return;
      await queues.dm.addBulk(items.map((i) => ({ name: JOB_NAMES.sendPrompt, data: { promptId: i.promptId }, opts: { jobId: jobIds.sendPrompt(i.promptId, i.attempt) } })));
    },
    async sendReminders(ids) {
      if (ids.length === 0) return;
      await queues.dm.addBulk(ids.map((promptId) => ({ name: JOB_NAMES.sendReminder, data: { promptId }, opts: { jobId: jobIds.sendReminder(promptId) } })));
    },
    async renderReports(items) {
      if (items.length === 0) return;
      // a short delay lets a burst of answers collapse into one chat.update (Tier 3: ~50/min); the first
      // version goes at once, so the report is posted before the run's prompts use up the posting cap
      await queues.channel.addBulk(
        items.map((i) => ({ name: JOB_NAMES.renderReport, data: { runId: i.runId }, opts: { jobId: jobIds.renderReport(i.runId, i.version), delay: i.version === 1 ? 0 : 500 } })),
      );
    },
    async postLateAnswers(items) {
      if (items.length === 0) return;
      await queues.channel.addBulk(items.map((i) => ({ name: JOB_NAMES.postLateAnswer, data: { answerId: i.answerId }, opts: { jobId: jobIds.postLateAnswer(i.answerId, i.version) } })));
    },
    async escalate(items) {
      if (items.length === 0) return;
      await queues.escalation.addBulk(
        items.map((i) => ({
          name: JOB_NAMES.escalate,
          data: { blockerId: i.blockerId, version: i.version },
          opts: { jobId: jobIds.escalate(i.blockerId, i.version), delay: Math.max(0, i.dueAt.getTime() - i.now.getTime()) },
        })),
      );
    },
    async sendNotices(ids) {
      if (ids.length === 0) return;
      await queues.dm.addBulk(ids.map((noticeId) => ({ name: JOB_NAMES.sendNotice, data: { noticeId }, opts: { jobId: jobIds.sendNotice(noticeId) } })));
    },
    async renderBlockers(items) {
      if (items.length === 0) return;
      await queues.channel.addBulk(items.map((i) => ({ name: JOB_NAMES.renderBlocker, data: { blockerId: i.blockerId }, opts: { jobId: jobIds.renderBlocker(i.blockerId, i.version), delay: 300 } })));
    },
    async postThreadLines(ids) {
      if (ids.length === 0) return;
      await queues.channel.addBulk(ids.map((eventId) => ({ name: JOB_NAMES.postThreadLine, data: { eventId }, opts: { jobId: jobIds.postThreadLine(eventId) } })));
    },
    async withdrawSignOffs(ids) {
      if (ids.length === 0) return;
      await queues.escalation.addBulk(ids.map((blockerId) => ({ name: JOB_NAMES.withdrawSignOffs, data: { blockerId }, opts: { jobId: jobIds.withdrawSignOffs(blockerId) } })));
    },
    async sendOutbound(ids) {
      if (ids.length === 0) return;
      await queues.channel.addBulk(ids.map((messageId) => ({ name: JOB_NAMES.sendOutbound, data: { messageId }, opts: { jobId: jobIds.sendOutbound(messageId) } })));
    },
  };
}
