import { eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/clock.js';
import { blockerEvents, blockerNotices } from '../../../../src/db/schema/index.js';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { EARLY_WAKE_MS, escalate } from '../../../../src/services/blockers/escalate.js';
import { getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { rotationStatuses } from '../../../../src/services/oncall/rotations.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 25, escalation lateness: the escalate job runs EARLY_WAKE_MS before the step is due, reads, then waits for
// the due time and writes the step at it. What a user feels: the DM is never early, and an acknowledgement that comes
// while the processor waits stops it. The clock here follows the wall from a chosen instant (the harness's own
// fixed start, not the date the test runs on), so the processor's wait really passes.
const YAML = aConfig({
  program: { name: 'Launch', execs: ['U0EXEC'] },
  escalation: { ladders: { P1: [{ after: '5m', notify: 'lead' }] } },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', leads: ['U0LEAD'], members: ['U01'] })],
});

/** A clock that reads `start` now and then moves with the wall clock (monotonic time). */
function wallClockFrom(start: DateTime): Clock {
  const t0 = performance.now();
  return { now: () => start.plus({ milliseconds: Math.floor(performance.now() - t0) }) };
}

describe('an escalation woken just before its step is due (real Postgres)', () => {
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

  const raise = async () => {
    const raisedAt = h.clock.now();
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Staging cert expired', severity: 'P1', source: 'command' });
    if (!r.ok) throw new Error('raise failed');
    return { id: r.blocker.id, due: raisedAt.plus({ minutes: 5 }) };
  };
  const stepsOf = async (id: number) => bot.deps.db.select().from(blockerEvents).where(eq(blockerEvents.blockerId, id));
  const noticesOf = async (id: number) => bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));

  it('waits for the due time and writes the step at it, never before', async () => {
    const { id, due } = await raise();
    const deps = { ...bot.deps, clock: wallClockFrom(due.minus({ milliseconds: EARLY_WAKE_MS - 20 })) };
    expect(await escalate(deps, id, (await getBlocker(bot.deps.db, id))!.version)).toBe('notified');
    const escalated = (await stepsOf(id)).filter((e) => e.kind === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.at.getTime()).toBeGreaterThanOrEqual(due.toMillis());
    const notices = await noticesOf(id);
    expect(notices.map((n) => n.recipient)).toEqual(['U0LEAD']);
    expect(notices[0]!.notBefore.getTime()).toBe(due.toMillis());
    expect((await getBlocker(bot.deps.db, id))!.lastNotifiedAt!.getTime()).toBeGreaterThanOrEqual(due.toMillis());
  });

  it('does nothing when woken further ahead than EARLY_WAKE_MS (the wake-up at the due time does it)', async () => {
    h.clock.set('2026-02-03T11:00:00Z');
    const { id, due } = await raise();
    const deps = { ...bot.deps, clock: wallClockFrom(due.minus({ milliseconds: EARLY_WAKE_MS + 1_000 })) };
    expect(await escalate(deps, id, (await getBlocker(bot.deps.db, id))!.version)).toBe('not-due');
    expect((await stepsOf(id)).filter((e) => e.kind === 'escalated')).toEqual([]);
    expect(await noticesOf(id)).toEqual([]);
  });

  it('writes nothing when the blocker is acknowledged while it waits for the due time', async () => {
    h.clock.set('2026-02-03T12:00:00Z');
    const { id, due } = await raise();
    const deps = { ...bot.deps, clock: wallClockFrom(due.minus({ milliseconds: EARLY_WAKE_MS })) };
    const version = (await getBlocker(bot.deps.db, id))!.version;
    const woken = escalate(deps, id, version);
    h.clock.set(due.minus({ milliseconds: 50 }));
    expect((await actOnBlocker(bot.deps, id, 'U01', { kind: 'acknowledge' })).ok).toBe(true);
    expect(await woken).toBe('stale');
    expect((await stepsOf(id)).filter((e) => e.kind === 'escalated')).toEqual([]);
    expect(await noticesOf(id)).toEqual([]);
  });
});

// who is on call is the person on call when the step is written, not when it was read ahead: a step due at the
// rotation's handoff goes to the incoming person
const HANDOFF_YAML = aConfig({
  program: { name: 'Launch', execs: ['U0EXEC'], oncall: { omega: { name: 'Omega', members: ['U0DAY', 'U0NIGHT'], handoff: '09:00', shift: '12h', zone: 'UTC', start: '2026-02-01' } } },
  escalation: { ladders: { P0: [{ after: '5m', notify: 'oncall:omega' }] } },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', leads: ['U0LEAD'], members: ['U01'] })],
});

describe('an escalation woken just before a rotation hands over (real Postgres)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack({ now: () => h?.clock.now().toMillis() ?? Date.now() });
  beforeAll(async () => {
    h = await harness(HANDOFF_YAML, '2026-02-03T08:55:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('notifies the person on call at the due time, the incoming one at a handoff', async () => {
    const due = h.clock.now().plus({ minutes: 5 });
    const onCall = async (at: DateTime) => (await rotationStatuses(bot.deps, at)).get('omega')?.now?.userId;
    expect(await onCall(due.minus({ milliseconds: EARLY_WAKE_MS }))).toBe('U0NIGHT');
    expect(await onCall(due)).toBe('U0DAY');
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Payments down', severity: 'P0', source: 'command' });
    if (!r.ok) throw new Error('raise failed');
    const deps = { ...bot.deps, clock: wallClockFrom(due.minus({ milliseconds: EARLY_WAKE_MS - 20 })) };
    expect(await escalate(deps, r.blocker.id, r.blocker.version)).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, r.blocker.id));
    expect(notices.map((n) => n.recipient)).toEqual(['U0DAY']);
  });
});
