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

  it('removes a renamed job scheduler (the former blocker-sweep) so only the registry schedulers run', async () => {
    const old = await h.process({ workers: false });
    for (const former of dueWorkSweep.formerSchedulerIds ?? []) {
      await old.queues.scheduler.upsertJobScheduler(former, { every: 60_000 }, { name: dueWorkSweep.name, data: {} });
    }
    await old.stop();
    const bot = await h.process();
    const ids = (await bot.queues.scheduler.getJobSchedulers()).map((s) => s.key).sort();
    expect(ids).toEqual(scheduledJobs.map((job) => job.schedulerId).sort());
  });
});
