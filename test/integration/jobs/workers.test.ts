import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueWorkSweep, scheduledJobs } from '../../../src/jobs/registry.js';
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
});
