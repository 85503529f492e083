import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// issue 8, defect 3: a member a day ahead of the workstream. Pago Pago is UTC−11, Kiritimati UTC+14 (25 h apart).
// The workstream's Tuesday 3 Feb 2026 run prompts the Kiritimati member at Tue 00:30 +14:00 = Mon 2 Feb 10:30 UTC,
// while it is still Sunday 23:30 in Pago Pago.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Pacific/Pago_Pago' },
  workstreams: [
    aWorkstream({
      name: 'Payments',
      timezone: 'Pacific/Pago_Pago',
      members: ['U0PPG', { id: 'U0KIR', timezone: 'Pacific/Kiritimati' }],
      standup: { at: '00:30', remind_after: '30m', close_after: '2h' },
    }),
  ],
});

describe('a member about a day ahead of the workstream is prompted at their own 00:30 (fixed clock, real Postgres and Redis)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const dms = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user);
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-02T10:00:00Z');
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('first, the workstream’s Monday run, still under way for the Pago Pago member, opens; nothing more at 10:15 UTC', async () => {
    // (the workers' own first tick may have opened it already: assert the runs, not who opened them)
    await tick(bot.deps);
    h.clock.set('2026-02-02T10:15:00Z');
    await tick(bot.deps);
    expect(await h.sql('SELECT local_date::text AS date FROM standup_runs')).toEqual([{ date: '2026-02-02' }]);
    expect(dms('U0KIR')).toHaveLength(0); // Monday's prompt for Kiritimati closed on Sunday (UTC)
  });

  it('at 00:30 +14:00 the run of the workstream’s Tuesday opens and the Kiritimati member gets the prompt, not half an hour later', async () => {
    h.clock.set('2026-02-02T10:30:00Z');
    await tick(bot.deps);
    await eventually('the Kiritimati member is prompted', () => dms('U0KIR').length === 1);
    expect(await h.sql('SELECT local_date::text AS date FROM standup_runs ORDER BY local_date')).toEqual([{ date: '2026-02-02' }, { date: '2026-02-03' }]);
    const [prompt] = await h.sql<{ user_id: string; prompt_at: Date }>(
      "SELECT p.user_id, p.prompt_at FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id WHERE p.user_id = 'U0KIR' AND r.local_date = '2026-02-03'",
    );
    expect(prompt!.prompt_at.toISOString()).toBe('2026-02-02T10:30:00.000Z');
    expect(dms('U0PPG')).toHaveLength(0); // their Monday 00:30 is 11:30 UTC
  });
});
