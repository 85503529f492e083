import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices, blockers } from '../../../../src/db/schema/index.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { blockerTimeline } from '../../../../src/services/blockers/queries.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 22: a task escalation skips an owner who is away by their Slack status (program.away_statuses, read with
// users.profile.get before the row lock, cached a minute) and goes to their configured delegate.
const YAML = aConfig({
  program: { name: 'Launch', delegates: [{ person: 'U01', delegate: 'U02' }], away_statuses: [':palm_tree:'] },
  calendar: { workdays: ['sun'] },
  workstreams: [aWorkstream({ members: ['U01', 'U02'], tasks: [{ id: 'T-1', title: 'Email templates', owner: 'U01', due: '2026-03-04T12:00' }] })],
});

describe('a task escalation whose owner has an away Slack status (real Postgres, fixed clock, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-03-04T12:01:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('gives the owner’s step to their delegate, and asks Slack once per person within a minute', async () => {
    expect(await sweepTasks(bot.deps)).toMatchObject({ raised: 1 });
    const [b] = await bot.deps.db
      .select()
      .from(blockers)
      .where(and(eq(blockers.taskId, 'T-1'), eq(blockers.source, 'task')));
    // U01's profile (asked first: the step's target) has the status; U02's has none
    slack.failNext('users.profile.get', 200, { ok: true, profile: { status_emoji: ':palm_tree:', status_expiration: 0 } });
    expect(await escalate(bot.deps, b!.id, b!.version)).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, b!.id));
    expect(notices.map((n) => [n.recipient, n.coveringFor])).toEqual([['U02', ['<@U01> is away (Slack status :palm_tree:); <@U02> is covering']]]);
    const events = (await blockerTimeline(bot.deps.db, b!.id)).filter((e) => e.kind === 'escalated');
    expect(events.map((e) => (e.data as { away?: string[] }).away)).toEqual([['<@U01> is away (Slack status :palm_tree:); <@U02> is covering']]);
    // the scripted answer (U01's) is not recorded among the calls nock answered itself: U02's is
    const asked = slack.of('users.profile.get').map((c) => c.args?.user);
    expect(asked).toEqual(['U02']);
    // another look within the minute asks only about the next level's lead: the owner and delegate come from the cache
    h.clock.advance({ seconds: 30 });
    const [again] = await bot.deps.db.select().from(blockers).where(eq(blockers.id, b!.id));
    expect(await escalate(bot.deps, again!.id, again!.version)).toBe('not-due');
    expect(slack.of('users.profile.get').map((c) => c.args?.user)).toEqual(['U02', 'U0LEAD']);
  });
});
