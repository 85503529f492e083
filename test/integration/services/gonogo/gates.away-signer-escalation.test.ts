import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices, blockers } from '../../../../src/db/schema/index.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { blockerTimeline, getBlocker } from '../../../../src/services/blockers/queries.js';
import { setOutOfOffice } from '../../../../src/services/checkins/out-of-office.js';
import { escalateOverdueGates } from '../../../../src/services/gonogo/gates.js';
import { threadLine } from '../../../../src/slack/blocks/blocker.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// Issue 22, "Time off and delegates": a gate's own "not signed off" escalation goes to an away signer's delegate only
// when the gate says `delegate_may_sign: true`; otherwise the step goes on as for nobody covering (skipped, the next
// level, the PM, at once, noted). Both signers are away with the same delegate; the clock is fixed at the gates' due
// time and escalation is driven by hand (no workers).
const DUE = '2026-03-04T10:00:00Z';
const YAML = aConfig({
  program: {
    name: 'Launch',
    delegates: [
      { person: 'U0ANA', delegate: 'U0BEN' },
      { person: 'U0DEE', delegate: 'U0BEN' },
    ],
  },
  workstreams: [aWorkstream({ members: ['U01', 'U0BEN'] })],
  gates: [
    { id: 'qa', name: 'QA sign-off', due: '2026-03-04T10:00', sign_off: ['U0ANA'], delegate_may_sign: true },
    { id: 'sec', name: 'Security review', due: '2026-03-04T10:00', sign_off: ['U0DEE'] },
  ],
});

describe('a gate’s "not signed off" escalation with its signer away (real Postgres, fixed clock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, DUE);
    bot = await h.process({ workers: false });
    await setOutOfOffice(bot.deps, 'U0ANA', '2026-03-02', '2026-03-06');
    await setOutOfOffice(bot.deps, 'U0DEE', '2026-03-03', '2026-03-05');
    expect(await escalateOverdueGates(bot.deps)).toBe(2);
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  const gateBlocker = async (gateId: string) =>
    (
      await bot.deps.db
        .select()
        .from(blockers)
        .where(and(eq(blockers.source, 'gate'), eq(blockers.gateId, gateId)))
    )[0]!;
  const step = async (id: number) => escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
  const noticesOf = async (id: number) =>
    (await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id))).map((n) => ({ level: n.level, recipient: n.recipient, coveringFor: n.coveringFor }));
  const lines = async (id: number) =>
    (await blockerTimeline(bot.deps.db, id)).filter((e) => e.kind === 'escalated' || e.kind === 'skipped').map((e) => threadLine(e.kind, e.actor, e.data as Record<string, unknown>));

  it('under delegate_may_sign: true, goes to the away signer’s delegate, who may sign for them', async () => {
    const b = await gateBlocker('qa');
    expect(await step(b.id)).toBe('notified');
    expect(await noticesOf(b.id)).toEqual([{ level: 0, recipient: 'U0BEN', coveringFor: ['<@U0ANA> is away until 6 Mar; <@U0BEN> is covering'] }]);
    // the PM level keeps its 30 minutes
    expect((await getBlocker(bot.deps.db, b.id))!.nextDueAt?.toISOString()).toBe(new Date(Date.parse(DUE) + 30 * 60_000).toISOString());
  });

  it('without it, reaches no delegate: the signer’s step is skipped, noted, and the PM is pinged at once', async () => {
    const b = await gateBlocker('sec');
    expect(await step(b.id)).toBe('skipped');
    // the next level is due now, not 30 minutes later
    expect((await getBlocker(bot.deps.db, b.id))!.nextDueAt?.toISOString()).toBe(DUE.replace('Z', '.000Z'));
    expect(await step(b.id)).toBe('notified');
    expect(await noticesOf(b.id)).toEqual([{ level: 1, recipient: 'U0PM', coveringFor: null }]);
    const [skipped, escalated] = await lines(b.id);
    expect(skipped).toContain('skipped');
    expect(skipped).toContain('<@U0DEE> is away until 5 Mar; the gate’s sign-off is not delegated (delegate_may_sign is off)');
    expect(skipped).not.toContain('U0BEN');
    expect(escalated).toContain('Escalated to <@U0PM>');
  });
});
