import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestsFirst } from '../../../src/jobs/requests-first.js';
import { wakeupJobs } from '../../../src/jobs/registry.js';
import { harness, type Process } from '../../support/harness.js';
import { aConfig } from '../../support/config-factories.js';

const YAML = aConfig();

/** Polls `check` every 50 ms until it is true or `ms` pass; returns its last value. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('workers wait for Slack requests in flight (real Redis; the job is a withdraw-signoffs wake-up, no Slack call)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  // long enough that only ending the request releases the job, even on a stalled box
  const gate = new RequestsFirst({ quietMs: 50, maxWaitMs: 60_000, maxRequestMs: 60_000 });
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ requestsFirst: gate });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('a job queued while a request is in flight runs only after it is handled', async () => {
    const end = gate.begin();
    await bot.deps.wakeups.withdrawSignOffs([424242]);
    const jobId = wakeupJobs.withdrawSignOffs.jobId(424242);
    const gone = async () => (await bot.queues.escalation.getJob(jobId)) === undefined;
    // 1.5 s is many times what the job takes on a loaded box; it is still there, held before its handler
    expect(await eventually(gone, 1_500)).toBe(false);
    end();
    // completed jobs are removed: it runs within the quiet time plus a loaded box's slack (5 s)
    expect(await eventually(gone, 5_000)).toBe(true);
  });
});
