import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dueWorkSweep, scheduledJobs, standupTick } from '../../../src/jobs/registry.js';
import { harness } from '../../support/harness.js';
import { aConfig } from '../../support/config-factories.js';

const YAML = aConfig();

describe('startWorkers and the job schedulers (real Redis)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('removes a renamed job scheduler (the former blocker-sweep), at start and on each keeper pass, so only the registry schedulers run', async () => {
    const old = await h.process({ workers: false });
    for (const former of dueWorkSweep.formerSchedulerIds ?? []) {
      await old.queues.scheduler.upsertJobScheduler(former, { every: 60_000 }, { name: dueWorkSweep.name, data: {} });
    }
    await old.stop();
    const bot = await h.process({ keeperMs: 200 });
    const ids = async () => (await bot.queues.scheduler.getJobSchedulers()).map((s) => s.key).sort();
    expect(await ids()).toEqual(scheduledJobs.map((job) => job.schedulerId).sort());
    // a process still on the old code (a rolling deploy) asserts it again: the keeper removes it again
    for (const former of dueWorkSweep.formerSchedulerIds ?? []) {
      await bot.queues.scheduler.upsertJobScheduler(former, { every: 60_000 }, { name: dueWorkSweep.name, data: {} });
    }
    const until = Date.now() + 10_000;
    while ((await ids()).length !== scheduledJobs.length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await ids()).toEqual(scheduledJobs.map((job) => job.schedulerId).sort());
  });
  it('with a tick due every 5 ms the due-work sweep still runs each interval, and ticks still run', async () => {
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const events = new QueueEvents('scheduler', { connection, prefix: h.prefix });
    const finished: { job: string; skipped: boolean }[] = [];
    events.on('completed', ({ jobId, returnvalue }) => {
      const job = jobId.startsWith(`repeat:${dueWorkSweep.schedulerId}:`) ? 'sweep' : jobId.startsWith('repeat:standup-tick:') ? 'tick' : 'other';
      finished.push({ job, skipped: JSON.stringify(returnvalue ?? '').includes('still running') });
    });
    await events.waitUntilReady();
    // a tick every 5 ms is always overdue (each takes longer): with one scheduler slot, BullMQ ran tick after tick
    const bot = await h.process({ tickMs: 5, sweepMs: 300 });
    try {
      const until = Date.now() + 30_000;
      // both are waited for: on a loaded box two sweeps may end before the first tick that was not skipped does
      const ticked = () => finished.some((f) => f.job === 'tick' && !f.skipped);
      while ((finished.filter((f) => f.job === 'sweep').length < 2 || !ticked()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(finished.filter((f) => f.job === 'sweep').length).toBeGreaterThanOrEqual(2);
      expect(finished.some((f) => f.job === 'tick' && !f.skipped)).toBe(true);
    } finally {
      await bot.stop();
      await events.close();
      await connection.quit();
    }
  });
});

describe('holdFirstIteration: a job scheduler whose first iteration waits one interval (real Redis)', () => {
  /** Each job scheduler's next iteration (epoch ms) and how many iterations BullMQ has produced, by scheduler id. */
  const schedulersOf = async (bot: Awaited<ReturnType<Awaited<ReturnType<typeof harness>>['process']>>) =>
    Object.fromEntries((await bot.queues.scheduler.getJobSchedulers()).map((s) => [s.key, { next: Number(s.next ?? Number.NaN), iterations: s.iterationCount ?? 0 }]));

  it('the harness holds the tick and the sweep an hour; the other schedulers and a tick the test asked for run at once', async () => {
    const held = await harness(YAML, '2026-02-03T10:00:00Z');
    const given = await harness(YAML, '2026-02-03T10:00:00Z');
    try {
      const before = Date.now();
      const a = await held.process();
      const b = await given.process({ tickMs: 3_600_000, sweepMs: 3_600_000 });
      // not held, so their first iteration came at once and BullMQ produced the next one after it: the tick of the
      // process whose test gave the intervals, and the on-call user groups (every minute) of the held one
      const ranAtOnce = async () => (await schedulersOf(b))[standupTick.schedulerId]?.iterations === 2 && (await schedulersOf(a))['oncall-usergroups']?.iterations === 2;
      const until = Date.now() + 20_000;
      while (!(await ranAtOnce()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect((await schedulersOf(b))[standupTick.schedulerId]?.iterations).toBe(2);
      expect((await schedulersOf(a))['oncall-usergroups']?.iterations).toBe(2);
      // held: the only iteration so far is the first, one interval after start
      const heldNow = await schedulersOf(a);
      for (const id of [standupTick.schedulerId, dueWorkSweep.schedulerId]) {
        expect(heldNow[id]?.iterations).toBe(1);
        expect(heldNow[id]?.next).toBeGreaterThanOrEqual(before + 3_600_000);
      }
    } finally {
      await held.cleanup();
      await given.cleanup();
    }
  });
});
