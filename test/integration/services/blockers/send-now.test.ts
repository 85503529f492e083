import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices, deliveries } from '../../../../src/db/schema/index.js';
import { wakeupJobs } from '../../../../src/jobs/registry.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { sendNoticesNow } from '../../../../src/services/blockers/send-now.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 25, escalation lateness: the escalation job sends its step's DMs itself. What a user sees: the DM once, at
// the step; when Slack holds posts (a 429's Retry-After) or refuses the call, the DM is handed to its send-notice
// job, never lost and never sent twice.
const YAML = aConfig({
  program: { name: 'Launch', execs: ['U0EXEC'] },
  escalation: { ladders: { P1: [{ after: '5m', notify: ['U0LEAD', 'U0PM'] }] } },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', leads: ['U0LEAD'], members: ['U01'] })],
});

describe('escalation DMs sent from the escalation job (real Postgres and Redis, fixed clock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack({ now: () => h?.clock.now().toMillis() ?? Date.now() });
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  /** Raises a blocker now and runs its first step 5 minutes later with `sendNotices`; the step's notices by recipient. */
  const stepWith = async (sendNotices: typeof sendNoticesNow, deps = bot.deps) => {
    const start = h.clock.now();
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Staging cert expired', severity: 'P1', source: 'command' });
    if (!r.ok) throw new Error('raise failed');
    h.clock.set(start.plus({ minutes: 5 }));
    expect(await escalate(deps, r.blocker.id, (await getBlocker(bot.deps.db, r.blocker.id))!.version, { sendNotices })).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, r.blocker.id));
    return Object.fromEntries(notices.map((n) => [n.recipient, n.id]));
  };
  const dmsTo = (user: string, since: number) => slack.of('chat.postMessage', (a) => a.channel === user && String(a.text ?? '').includes('needs you')).slice(since);
  const statusOf = async (noticeId: number) =>
    (
      await bot.deps.db
        .select({ status: deliveries.status })
        .from(deliveries)
        .where(and(eq(deliveries.kind, 'notice'), eq(deliveries.ownerKey, String(noticeId))))
    )[0]?.status;
  const queued = async (noticeId: number) => (await bot.queues.dm.getJob(wakeupJobs.sendNotices.jobId(noticeId))) !== undefined;

  it('sends each due DM once from the step, and queues no send-notice job for it', async () => {
    const before = { lead: dmsTo('U0LEAD', 0).length, pm: dmsTo('U0PM', 0).length };
    const ids = await stepWith(sendNoticesNow);
    expect(dmsTo('U0LEAD', before.lead)).toHaveLength(1);
    expect(dmsTo('U0PM', before.pm)).toHaveLength(1);
    expect(await statusOf(ids.U0LEAD!)).toBe('sent');
    expect(await statusOf(ids.U0PM!)).toBe('sent');
    expect(await queued(ids.U0LEAD!)).toBe(false);
    expect(await queued(ids.U0PM!)).toBe(false);
  });

  it('hands a DM Slack refused (429) to its send-notice job, its claim given back; none goes twice', async () => {
    h.clock.set('2026-02-03T12:00:00Z');
    const before = { lead: dmsTo('U0LEAD', 0).length, pm: dmsTo('U0PM', 0).length };
    slack.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    const ids = await stepWith(sendNoticesNow);
    // the 429 reached one post; the other went before it was answered, or was held by it and handed over too
    for (const [user, id] of [
      ['U0LEAD', ids.U0LEAD!],
      ['U0PM', ids.U0PM!],
    ] as const) {
      const status = await statusOf(id);
      const sent = dmsTo(user, user === 'U0LEAD' ? before.lead : before.pm).length;
      if (status === 'sent') expect(sent).toBe(1);
      else {
        expect([status, sent]).toEqual(['pending', 0]);
        expect(await queued(id)).toBe(true);
      }
    }
    expect([await statusOf(ids.U0LEAD!), await statusOf(ids.U0PM!)]).toContain('pending');
  });

  it('hands the DMs to their send-notice jobs without calling Slack while a rate limit holds posts', async () => {
    h.clock.set('2026-02-03T13:00:00Z');
    const before = slack.of('chat.postMessage').length;
    // another replica's 429 on the workspace's posting limit, for a minute (real time): this test comes last
    bot.rateLimitGate.heldElsewhere({ key: 'chat.postMessage', retryAfterMs: 60_000 });
    const started = Date.now();
    const ids = await stepWith(sendNoticesNow);
    // handed over at once: the escalation job does not wait out the hold
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(slack.of('chat.postMessage').length).toBe(before);
    expect(await statusOf(ids.U0LEAD!)).toBe('pending');
    expect(await statusOf(ids.U0PM!)).toBe('pending');
    expect(await queued(ids.U0LEAD!)).toBe(true);
    expect(await queued(ids.U0PM!)).toBe(true);
  });
});
