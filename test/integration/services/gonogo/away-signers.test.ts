import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateSignatures, gateStates, outboundMessages } from '../../../../src/db/schema/index.js';
import { setOutOfOffice } from '../../../../src/services/checkins/out-of-office.js';
import { buildSummary, scheduledGonogo } from '../../../../src/services/gonogo/decisions.js';
import { signOffGate } from '../../../../src/services/gonogo/gates.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 22: a gate signer who is away gets no go/no-go reminder; their delegate gets it, and may sign for them,
// only where the gate says `delegate_may_sign: true`; `/gonogo` lists away signers with their return date.
// The clock is fixed (a Wednesday, half an hour before the go/no-go): nothing depends on the real date.
const YAML = aConfig({
  program: {
    name: 'Launch',
    delegates: [
      { person: 'U0ANA', delegate: 'U0BEN' },
      { person: 'U0DEE', delegate: 'U0BEN' },
    ],
  },
  calendar: { workdays: ['sun'] },
  workstreams: [aWorkstream({ members: ['U01', 'U0BEN'] })],
  gates: [
    { id: 'qa', name: 'QA sign-off', sign_off: ['U0ANA'], delegate_may_sign: true },
    { id: 'sec', name: 'Security review', sign_off: ['U0DEE'] },
  ],
  gonogo: { at: '2026-03-04T14:00' },
});

describe('gate sign-off with signers away (real Postgres, fixed clock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-03-04T13:30:00Z');
    bot = await h.process({ workers: false });
    await setOutOfOffice(bot.deps, 'U0ANA', '2026-03-02', '2026-03-06');
    await setOutOfOffice(bot.deps, 'U0DEE', '2026-03-03', '2026-03-05');
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('reminds the delegate of the gate they may sign, and nobody of the gate they may not', async () => {
    expect(await scheduledGonogo(bot.deps)).toBe('reminded');
    const reminders = await bot.deps.db.select().from(outboundMessages).where(eq(outboundMessages.kind, 'gonogo_reminder'));
    expect(reminders.map((r) => [r.channel, r.about?.gates])).toEqual([['U0BEN', ['qa']]]);
  });

  it('lists the away signers with their return date in /gonogo', async () => {
    const s = JSON.stringify((await buildSummary(bot.deps)).blocks);
    expect(s).toContain('🌴 away: <@U0ANA> until 6 Mar');
    expect(s).toContain('🌴 away: <@U0DEE> until 5 Mar');
  });

  it('lets the delegate sign for the away signer under delegate_may_sign, and records it "by @ben for @ana"', async () => {
    expect(await signOffGate(bot.deps, 'sec', 'U0BEN', 'passed', null)).toMatchObject({ ok: false, reason: 'forbidden' });
    // a delegate never fails a gate for someone
    expect(await signOffGate(bot.deps, 'qa', 'U0BEN', 'failed', null)).toMatchObject({ ok: false, reason: 'forbidden' });
    const res = await signOffGate(bot.deps, 'qa', 'U0BEN', 'passed', null);
    expect(res.ok).toBe(true);
    expect(res.ok && res.message).toContain('for <@U0ANA>, who is away');
    const [state] = await bot.deps.db.select().from(gateStates).where(eq(gateStates.gateId, 'qa'));
    expect(state).toMatchObject({ status: 'passed', signedBy: 'U0BEN', signedFor: 'U0ANA' });
    expect(await bot.deps.db.select({ userId: gateSignatures.userId, delegate: gateSignatures.delegate }).from(gateSignatures).where(eq(gateSignatures.gateId, 'qa'))).toEqual([
      { userId: 'U0ANA', delegate: 'U0BEN' },
    ]);
    const s = JSON.stringify((await buildSummary(bot.deps)).blocks);
    expect(s).toContain('passed by <@U0BEN> for <@U0ANA>');
    // a passed gate no longer lists its away signers
    expect(s).not.toContain('<@U0ANA> until 6 Mar');
  });
});
