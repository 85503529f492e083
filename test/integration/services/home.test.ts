import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeModel } from '../../../src/services/home.js';
import { raiseBlocker } from '../../../src/services/blockers/raise.js';
import { submitForm } from '../../../src/services/checkins/record-answers.js';
import { setOutOfOffice } from '../../../src/services/checkins/out-of-office.js';
import { skipToday } from '../../../src/services/checkins/skip.js';
import { tick } from '../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../support/harness.js';
import { nockSlack } from '../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: [
    aWorkstream({ name: 'Broker', members: ['U01', 'U02', 'U03', 'U05'], standup: { at: '09:00' } }),
    aWorkstream({ id: 'ws2', name: 'AI', channel: 'C0WS2', leads: ['U0LEAD2'], members: ['U04', 'U01'], standup: { at: '15:00' } }),
  ],
});

describe('the Home tab model (Postgres reads in the service; the listener only renders)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T09:00:00Z'); // a Tuesday, fixed clock
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('says, per workstream, where each member stands today', async () => {
    await setOutOfOffice(bot.deps, 'U05', '2026-02-03', '2026-02-04');
    await tick(bot.deps);
    await submitForm(bot.deps, 'U01', 1, { yesterday: 'a', today: 'b', blockers: 'none', progress: 10, risk: 'green' });
    await skipToday(bot.deps, 'U02', 'ws1');
    const at = async (u: string) => (await homeModel(bot.deps, u)).standups;
    expect(await at('U01')).toEqual([
      { workstreamName: 'Broker', state: 'answered', editableUntil: '11:00 UTC' },
      { workstreamName: 'AI', state: 'no run yet', at: '15:00', zone: 'UTC' },
    ]);
    expect(await at('U02')).toEqual([{ workstreamName: 'Broker', state: 'skipped' }]);
    expect(await at('U03')).toEqual([{ workstreamName: 'Broker', state: 'waiting', closesAt: '11:00 UTC' }]);
    expect(await at('U05')).toEqual([{ workstreamName: 'Broker', state: 'ooo' }]);
    expect(await at('U0PM')).toEqual([]);
    // after the run closes
    h.clock.set('2026-02-03T11:01:00Z');
    await tick(bot.deps);
    expect(await at('U03')).toEqual([{ workstreamName: 'Broker', state: 'closed' }]);
    expect((await at('U01'))[0]).toEqual({ workstreamName: 'Broker', state: 'answered', editableUntil: null });
  });

  it('groups my open blockers: waiting on me, escalated to me, raised by me', async () => {
    await raiseBlocker(bot.deps, { reporter: 'U03', text: 'Need U01', owner: 'U01', workstreamId: 'ws1', source: 'command' });
    await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Mine', workstreamId: 'ws1', source: 'command' });
    const { blockers } = await homeModel(bot.deps, 'U01');
    expect(blockers.map((g) => [g.title, g.items.map((b) => b.text)])).toEqual([
      ['Waiting on you', ['Need U01']],
      ['Escalated to you', []],
      ['Raised by you', ['Mine']],
    ]);
  });
});
