import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices } from '../../../../src/db/schema/index.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// issue 22: a P0 at 02:00 on the night US DST ends (Sun 1 Nov 2026, 02:00 EDT → 01:00 EST), with a rotation written
// in preflight.yml (hand-offs 09:00 and 21:00 New York time); the clock is injected and moved by hand
const RAISED = '2026-11-01T05:55:00Z'; // 01:55 EDT, the first 01:55 of the night
const YAML = aConfig({
  program: {
    name: 'Launch',
    timezone: 'America/New_York',
    oncall: { omega: { name: 'Omega', members: ['U0DAY', 'U0NIGHT'], handoff: '09:00', shift: '12h', start: '2026-10-26' } },
  },
  escalation: {
    ladders: {
      P0: [
        { after: '5m', notify: 'oncall:omega' },
        { after: '2h', notify: ['pm', 'oncall:omega'] },
      ],
    },
  },
  workstreams: [aWorkstream({ members: ['U01', { id: 'U0NIGHT', timezone: 'America/New_York' }] })],
});

describe('an on-call level on a DST night', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, RAISED);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('reaches the night person once, never early, whose shift ends at 09:00 EST, 13 hours after it began', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Payments down', severity: 'P0', source: 'command' });
    const id = r.ok ? r.blocker.id : 0;
    const step = async (iso: string) => {
      h.clock.set(iso);
      return escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
    };
    expect(await step('2026-11-01T05:59:59Z')).toBe('not-due');
    expect(await step('2026-11-01T06:00:00Z')).toBe('notified'); // 02:00 EDT, which the clocks then turn back to 01:00 EST
    expect(await step('2026-11-01T06:00:00Z')).toBe('not-due');
    expect(await step('2026-11-01T07:55:00Z')).toBe('notified'); // 2 h after the raise: 02:55 EST
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));
    expect(notices.map((n) => [n.level, n.recipient])).toEqual([
      [0, 'U0NIGHT'],
      [1, 'U0PM'],
      [1, 'U0NIGHT'],
    ]);
    // the night shift Sat 21:00 EDT (01:00Z) → Sun 09:00 EST (14:00Z)
    expect(notices[0]!.oncall).toMatchObject({ userId: 'U0NIGHT', until: Date.parse('2026-11-01T14:00:00Z') / 1000, source: 'the rotation in preflight.yml', zone: 'America/New_York' });
  });
});
