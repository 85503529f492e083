import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices, blockers } from '../../../../src/db/schema/index.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { sendNotice } from '../../../../src/services/blockers/delivery.js';
import { blockerTimeline, getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { endOutOfOffice, setOutOfOffice } from '../../../../src/services/checkins/out-of-office.js';
import { threadLine } from '../../../../src/slack/blocks/blocker.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { nextTransition } from '../../../support/dst.js';

// Issue 22, "Time off and delegates": a lead who is away is skipped on the ladder; their delegate gets the step
// (once), else the next level goes at once. The blocker is raised at 02:00 local on the next DST night of the
// lead's zone, found from the zone's own rules at test time (never a fixed date).
const ZONE = 'America/New_York';

const transition = nextTransition(ZONE, DateTime.now());
// 02:00 local on the transition's date (on a spring-forward night luxon moves a 02:00 that does not exist to 03:00)
const raisedAt = DateTime.fromObject({ year: transition.year, month: transition.month, day: transition.day, hour: 2 }, { zone: ZONE }).toUTC();
const localDate = raisedAt.setZone(ZONE);
const span = { from: localDate.minus({ days: 1 }).toISODate()!, until: localDate.plus({ days: 2 }).toISODate()! };

const YAML = aConfig({
  program: { name: 'Launch', timezone: ZONE, execs: ['U0EXEC'] },
  calendar: { workdays: ['mon'], holidays: [] },
  escalation: {
    ladders: {
      P0: [
        { after: '5m', notify: 'lead' },
        { after: '15m', notify: ['U0PM', 'U0BEN'] },
        { after: '30m', notify: 'exec' },
      ],
    },
  },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', timezone: ZONE, leads: ['U0LEAD'], members: ['U01', 'U0BEN'] })],
});

describe('time off on the blocker ladder (real Postgres, fixed clock at 02:00 on a DST night, escalation driven by hand)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack({ now: () => h?.clock.now().toMillis() ?? Date.now() });
  beforeAll(async () => {
    h = await harness(YAML, raisedAt.toISO()!);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  const noticesOf = async (id: number) =>
    (await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id))).map((n) => ({ level: n.level, recipient: n.recipient, coveringFor: n.coveringFor }));
  const step = async (id: number, at: DateTime) => {
    h.clock.set(at);
    return escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
  };
  const lines = async (id: number) =>
    (await blockerTimeline(bot.deps.db, id)).filter((e) => e.kind === 'escalated' || e.kind === 'skipped').map((e) => threadLine(e.kind, e.actor, e.data as Record<string, unknown>));

  it('gives the away lead’s step to their delegate once, never early; the timeline and the DM say so', async () => {
    h.clock.set(raisedAt);
    await setOutOfOffice(bot.deps, 'U0LEAD', span.from, span.until, 'U0BEN');
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Prod payments down', severity: 'P0', source: 'command' });
    const id = r.ok ? r.blocker.id : 0;
    // not early: a minute before the lead's 5 minutes nothing goes out
    expect(await step(id, raisedAt.plus({ minutes: 4, seconds: 59 }))).toBe('not-due');
    expect(await step(id, raisedAt.plus({ minutes: 5 }))).toBe('notified');
    // a duplicate wake-up of the same step does nothing
    expect(await escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version - 1)).toBe('stale');
    const until = DateTime.fromISO(span.until).toFormat('d LLL');
    expect(await noticesOf(id)).toEqual([{ level: 0, recipient: 'U0BEN', coveringFor: [`<@U0LEAD> is away until ${until}; <@U0BEN> is covering`] }]);
    expect(await lines(id)).toEqual([`⏫ Escalated to <@U0BEN> after 5m (level 1 of 3)\n🌴 <@U0LEAD> is away until ${until}; <@U0BEN> is covering`]);
    // the next level keeps its delay (the step was covered, not skipped)
    expect((await getBlocker(bot.deps.db, id))!.nextDueAt?.toISOString()).toBe(raisedAt.plus({ minutes: 15 }).toJSDate().toISOString());

    // the DM to the delegate says whom they cover
    const [n] = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));
    expect(await sendNotice(bot.deps, n!.id)).toBe('sent');
    const dm = slack.of('chat.postMessage', (a) => a.channel === 'U0BEN').at(-1);
    expect(JSON.stringify(dm?.args?.blocks ?? '')).toContain(`🌴 <@U0LEAD> is away until ${until}; <@U0BEN> is covering`);

    // level 2 names the PM and the delegate: the delegate is pinged once on it
    expect(await step(id, raisedAt.plus({ minutes: 15 }))).toBe('notified');
    expect((await noticesOf(id)).filter((x) => x.level === 1)).toEqual([
      { level: 1, recipient: 'U0PM', coveringFor: null },
      { level: 1, recipient: 'U0BEN', coveringFor: null },
    ]);
  });

  it('without a delegate, skips the away lead and fires the next level at once, noted in the timeline', async () => {
    await endOutOfOffice(bot.deps, 'U0LEAD');
    h.clock.set(raisedAt);
    await setOutOfOffice(bot.deps, 'U0LEAD', span.from, span.until);
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Checkout 500s', severity: 'P0', source: 'command' });
    const id = r.ok ? r.blocker.id : 0;
    const fiveMin = raisedAt.plus({ minutes: 5 });
    expect(await step(id, fiveMin)).toBe('skipped');
    const b = (await getBlocker(bot.deps.db, id))!;
    // the next level is due now, not 10 minutes later
    expect(b.nextDueAt?.toISOString()).toBe(fiveMin.toJSDate().toISOString());
    expect(await step(id, fiveMin)).toBe('notified');
    expect((await noticesOf(id)).map((x) => [x.level, x.recipient])).toEqual([
      [1, 'U0PM'],
      [1, 'U0BEN'],
    ]);
    const until = DateTime.fromISO(span.until).toFormat('d LLL');
    expect(await lines(id)).toEqual([
      `⏭️ Level 1 of 3 (the lead) skipped after 5m: away, nobody covering; the next level goes at once\n🌴 <@U0LEAD> is away until ${until}; no delegate is covering`,
      '⏫ Escalated to <@U0PM>, <@U0BEN> after 5m (level 2 of 3)',
    ]);
    // the level after that is not pulled forward: still 30 minutes after the raise
    const [row] = await bot.deps.db.select().from(blockers).where(eq(blockers.id, id));
    expect(row!.nextDueAt?.toISOString()).toBe(raisedAt.plus({ minutes: 30 }).toJSDate().toISOString());
  });
});
