import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WakeupItem, WakeupJob, WakeupName } from '../../../src/jobs/job-definition.js';
import { QUEUES } from '../../../src/jobs/job-definition.js';
import { queueWakeups, type WakeupQueues } from '../../../src/jobs/queues.js';
import { scheduledJobs, wakeupJobs } from '../../../src/jobs/registry.js';
import type { Wakeups } from '../../../src/services/wakeups.js';

/**
 * The job registry without Redis: every wake-up has one job, names and ids are well-formed and distinct,
 * payload schemas accept what the enqueue side writes and reject anything else, and `queueWakeups` puts each
 * job on its declared queue with its id, data and delay (queues replaced by recorders of `add` and `addBulk`).
 */

const rowId = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const version = fc.integer({ min: 1, max: 10_000 });
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms));

/** Items as the services pass them, one arbitrary per Wakeups method (a new method fails the typecheck here). */
const items: { [W in WakeupName]: fc.Arbitrary<WakeupItem<W>> } = {
  sendPrompts: fc.record({ promptId: rowId, attempt: fc.integer({ min: 0, max: 50 }) }),
  sendReminders: rowId,
  sendAnswerReceipts: fc.record({ answerId: rowId, version }),
  renderReports: fc.record({ runId: rowId, version }),
  postLateAnswers: fc.record({ answerId: rowId, version }),
  escalate: fc.record({ blockerId: rowId, version, dueAt: instant, now: instant }),
  sendNotices: rowId,
  renderBlockers: fc.record({ blockerId: rowId, version }),
  postThreadLines: rowId,
  updateNotices: fc.record({ blockerId: rowId, version }),
  withdrawSignOffs: rowId,
  sendOutbound: rowId,
  updateOutbound: fc.record({ messageId: rowId, version }),
  taskDue: fc.record({ taskId: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/), dueAt: instant, now: instant }),
  uploadDigestCharts: fc.record({ digestId: rowId, delayMs: fc.integer({ min: 0, max: 60_000 }) }),
  // a trigger's key names it (one job per trigger: the same key never comes with other data), so the data derive from it
  openWarRooms: fc.record({
    trigger: fc.oneof(
      rowId.map((n) => ({ kind: 'p0_open' as const, key: `p0-${n}`, blockerId: n, text: `blocker ${n}`, workstreamId: 'ws1', owner: null, openForMs: n })),
      rowId.map((n) => ({ kind: 'no_go' as const, key: `no_go-${n}`, reasons: [`reason ${n}`], workstreams: ['ws1'], postKey: null })),
    ),
  }),
  archiveWarRooms: rowId,
  checkP0WarRooms: fc.record({ blockerId: rowId, dueAt: instant, now: instant }),
  refreshBoard: fc.record({ at: instant }),
};

const entries = Object.entries(wakeupJobs) as [WakeupName, WakeupJob][];
const itemsOf = (w: WakeupName) => items[w] as fc.Arbitrary<WakeupItem<WakeupName>>;

/** Queues that record every `add` and `addBulk` instead of talking to Redis; `fail` makes them reject like a dead Redis. */
function recordingQueues(fail = false) {
  const added: { queue: string; name: string; data: unknown; opts: { jobId?: string; delay?: number } }[] = [];
  const queues = Object.fromEntries(
    Object.keys(QUEUES).map((queue) => [
      queue,
      {
        async addBulk(jobs: { name: string; data: unknown; opts?: { jobId?: string; delay?: number } }[]) {
          if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
          for (const j of jobs) added.push({ queue, name: j.name, data: j.data, opts: j.opts ?? {} });
          return [];
        },
        async add(name: string, data: unknown, opts?: { jobId?: string; delay?: number }) {
          if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
          added.push({ queue, name, data, opts: opts ?? {} });
        },
      },
    ]),
  ) as unknown as WakeupQueues;
  return { queues, added };
}

describe('job registry', () => {
  it('has one job per Wakeups method, and queueWakeups implements every method', () => {
    expectTypeOf<keyof typeof wakeupJobs>().toEqualTypeOf<keyof Wakeups>();
    const wakeups = queueWakeups(recordingQueues().queues);
    expect(Object.keys(wakeups).sort()).toEqual(Object.keys(wakeupJobs).sort());
    for (const method of Object.keys(wakeupJobs)) expect(typeof wakeups[method as WakeupName]).toBe('function');
  });

  it('gives every job a distinct BullMQ name and every job scheduler a distinct id', () => {
    const names = [...entries.map(([, job]) => job.name), ...scheduledJobs.map((job) => job.name)];
    expect(new Set(names).size).toBe(names.length);
    const schedulerIds = scheduledJobs.map((job) => job.schedulerId);
    expect(new Set(schedulerIds).size).toBe(schedulerIds.length);
    for (const id of schedulerIds) expect(id).not.toContain(':');
  });

  it('gives the scheduler queue a slot per job scheduler, so a tick slower than its interval cannot hold back the sweep', () => {
    // BullMQ puts an overdue iteration ahead of the jobs already waiting: with fewer slots than job schedulers, a
    // slow tick ran tick after tick and the due-work sweep never ran (the launch-day bench at 2,000 people)
    expect(QUEUES.scheduler.concurrency).toBeGreaterThanOrEqual(scheduledJobs.length);
  });

  it('runs wake-up jobs on a queue that has a worker, never on the scheduler queue', () => {
    for (const [, job] of entries) {
      expect(Object.keys(QUEUES)).toContain(job.queue);
      expect(job.queue).not.toBe('scheduler');
    }
  });

  for (const [method, job] of entries) {
    describe(`${method} (${job.name})`, () => {
      it('derives a job id without ":" (BullMQ forbids it), the same for the same item', () => {
        fc.assert(
          fc.property(itemsOf(method), (item) => {
            const id = job.jobId(item);
            expect(id).not.toContain(':');
            expect(id.length).toBeGreaterThan(0);
            expect(job.jobId(structuredClone(item))).toBe(id);
          }),
        );
      });

      it('gives items with different data different job ids (no wake-up swallowed by another)', () => {
        fc.assert(
          fc.property(itemsOf(method), itemsOf(method), (a, b) => {
            if (JSON.stringify(job.data(a)) !== JSON.stringify(job.data(b))) expect(job.jobId(a)).not.toBe(job.jobId(b));
          }),
        );
      });

      it('coalesces only items about the same row (same data), under a key without ":"', () => {
        fc.assert(
          fc.property(itemsOf(method), itemsOf(method), (a, b) => {
            const [ka, kb] = [job.coalesce?.(a), job.coalesce?.(b)];
            if (ka) expect(ka).not.toContain(':');
            if (ka && JSON.stringify(job.data(a)) !== JSON.stringify(job.data(b))) expect(kb).not.toBe(ka);
          }),
        );
      });

      it('writes data its payload schema accepts unchanged', () => {
        fc.assert(
          fc.property(itemsOf(method), (item) => {
            const data = job.data(item);
            expect(job.payload.parse(data)).toEqual(data);
          }),
        );
      });

      it('rejects junk payloads', () => {
        const valid = job.data(fc.sample(itemsOf(method), { numRuns: 1, seed: 42 })[0]!) as Record<string, unknown>;
        for (const junk of [null, undefined, 'x', 42, [], {}]) expect(job.payload.safeParse(junk).success, JSON.stringify(junk)).toBe(false);
        for (const key of Object.keys(valid)) {
          for (const bad of [0, -1, 1.5, '7', null, undefined, Number.NaN]) {
            expect(job.payload.safeParse({ ...valid, [key]: bad }).success, `${key}: ${String(bad)}`).toBe(false);
          }
        }
      });

      it('queues one job per item on its queue, under its id and name, with its data', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(itemsOf(method), { minLength: 1, maxLength: 5 }), async (batch) => {
            const { queues, added } = recordingQueues();
            await (queueWakeups(queues)[method] as (items: unknown[]) => Promise<void>)(batch);
            expect(added).toEqual(
              batch.map((item) => ({
                queue: job.queue,
                name: job.name,
                data: job.data(item),
                opts: {
                  jobId: job.jobId(item),
                  ...(job.delay ? { delay: job.delay(item) } : {}),
                  ...(job.priority ? { priority: job.priority } : {}),
                  ...(job.coalesce?.(item) ? { deduplication: { id: job.coalesce(item), keepLastIfActive: true } } : {}),
                },
              })),
            );
          }),
          { numRuns: 20 },
        );
      });
    });
  }
});

describe('queueWakeups', () => {
  it('adds nothing for an empty list', async () => {
    const { queues, added } = recordingQueues();
    const wakeups = queueWakeups(queues);
    await wakeups.sendPrompts([]);
    await wakeups.escalate([]);
    expect(added).toEqual([]);
  });

  it('reports a failed add by method name and does not throw (the sweeper re-derives the wake-up)', async () => {
    const errors: [string, string][] = [];
    const wakeups = queueWakeups(recordingQueues(true).queues, (what, err) => errors.push([what, err.message]));
    await expect(wakeups.sendNotices([7])).resolves.toBeUndefined();
    await expect(wakeups.renderReports([{ runId: 1, version: 2 }])).resolves.toBeUndefined();
    expect(errors).toEqual([
      ['sendNotices', 'connect ECONNREFUSED 127.0.0.1:6379'],
      ['renderReports', 'connect ECONNREFUSED 127.0.0.1:6379'],
    ]);
  });

  it('delays escalation until just before the level is due (EARLY_WAKE_MS, 100 ms ahead), never negative', async () => {
    const { queues, added } = recordingQueues();
    const now = new Date(Date.UTC(2030, 0, 1, 12));
    await queueWakeups(queues).escalate([
      { blockerId: 1, version: 3, dueAt: new Date(now.getTime() + 9_000), now },
      { blockerId: 2, version: 1, dueAt: new Date(now.getTime() - 5_000), now },
      { blockerId: 3, version: 1, dueAt: new Date(now.getTime() + 60), now },
    ]);
    expect(added.map((a) => [a.queue, a.opts])).toEqual([
      ['escalation', { jobId: 'esc-1-3', delay: 8_900 }],
      ['escalation', { jobId: 'esc-2-1', delay: 0 }],
      ['escalation', { jobId: 'esc-3-1', delay: 0 }],
    ]);
  });

  it('posts the first report version at once and coalesces later ones per report, 5 s apart; blocker messages by 300 ms', async () => {
    const { queues, added } = recordingQueues();
    const wakeups = queueWakeups(queues);
    await wakeups.renderReports([
      { runId: 4, version: 1 },
      { runId: 4, version: 2 },
      { runId: 4, version: 3 },
    ]);
    await wakeups.renderBlockers([{ blockerId: 9, version: 5 }]);
    const coalesced = { deduplication: { id: 'report-4', keepLastIfActive: true } };
    expect(added.map((a) => [a.queue, a.name, a.data, a.opts])).toEqual([
      ['channel', 'render-report', { runId: 4 }, { jobId: 'report-4-1', delay: 0 }],
      ['channel', 'render-report', { runId: 4 }, { jobId: 'report-4-2', delay: 5_000, ...coalesced }],
      ['channel', 'render-report', { runId: 4 }, { jobId: 'report-4-3', delay: 5_000, ...coalesced }],
      ['channel', 'render-blocker', { blockerId: 9 }, { jobId: 'blocker-9-5', delay: 300 }],
    ]);
  });

  it('keeps the job ids existing Redis data uses (a deploy must not re-send what is queued)', async () => {
    const { queues, added } = recordingQueues();
    const w = queueWakeups(queues);
    await w.sendPrompts([{ promptId: 11, attempt: 2 }]);
    await w.sendReminders([12]);
    await w.postLateAnswers([{ answerId: 13, version: 4 }]);
    await w.sendNotices([14]);
    await w.postThreadLines([15]);
    expect(added.map((a) => [a.queue, a.name, a.opts.jobId])).toEqual([
      ['dm', 'send-prompt', 'prompt-11-2'],
      ['dm', 'send-reminder', 'reminder-12'],
      ['channel', 'post-late-answer', 'late-13-4'],
      ['dm', 'send-notice', 'notice-14'],
      ['channel', 'post-thread-line', 'thread-15'],
    ]);
  });
});
