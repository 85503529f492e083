import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeModel } from '../../../../src/services/home.js';
import { nextCheckins } from '../../../../src/services/preview/next-checkins.js';
import { setOutOfOffice } from '../../../../src/services/checkins/out-of-office.js';
import { startNow } from '../../../../src/services/checkins/start-now.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Thursday 5 Mar 2026, 08:00 UTC. The workstream is in London (UTC+0), U0SYD answers from Sydney (UTC+11).
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Europe/London', checkins: [{ id: 'pulse', at: '06:40', participants: ['all_leads', 'U0PM'] }] },
  workstreams: [
    aWorkstream({
      id: 'core',
      name: 'Core',
      channel: 'C0CORE',
      timezone: 'Europe/London',
      members: ['U0LON', { id: 'U0SYD', timezone: 'Australia/Sydney' }],
      standup: { at: '10:00' },
      checkins: [{ id: 'sync', at: '15:00', participants: ['U0LON'], remind_after: '15m', close_after: '1h' }],
    }),
  ],
});

describe('App Home: your next check-ins, from the preview (real Postgres)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-03-05T08:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('the next 5 prompts after now, in the viewer’s own zone, both check-ins of the day, weekend left out', async () => {
    expect(await nextCheckins(bot.deps, 'U0LON')).toEqual({
      zone: 'Europe/London',
      items: [
        { when: 'Thu 5 Mar 10:00', title: 'Core · Standup', dst: null },
        { when: 'Thu 5 Mar 15:00', title: 'Core · Sync', dst: null },
        { when: 'Fri 6 Mar 10:00', title: 'Core · Standup', dst: null },
        { when: 'Fri 6 Mar 15:00', title: 'Core · Sync', dst: null },
        { when: 'Mon 9 Mar 10:00', title: 'Core · Standup', dst: null },
      ],
    });
    // 10:00 in Sydney on Thursday was 23:00 UTC on Wednesday: past; Friday's is Thursday 23:00 UTC
    expect((await nextCheckins(bot.deps, 'U0SYD', 2)).items).toEqual([
      { when: 'Fri 6 Mar 10:00', title: 'Core · Standup', dst: null },
      { when: 'Mon 9 Mar 10:00', title: 'Core · Standup', dst: null },
    ]);
  });

  it('the PM, in a program check-in as the README writes it ([all_leads, U0PM]): its next prompts, and App Home renders (issue 18)', async () => {
    expect((await nextCheckins(bot.deps, 'U0PM', 2)).items).toEqual([
      { when: 'Fri 6 Mar 06:40', title: 'Launch · Pulse', dst: null },
      { when: 'Mon 9 Mar 06:40', title: 'Launch · Pulse', dst: null },
    ]);
    const home = await homeModel(bot.deps, 'U0PM');
    expect(home.nextCheckins!.items.map((i) => `${i.when} ${i.title}`)).toEqual([
      'Fri 6 Mar 06:40 Launch · Pulse',
      'Mon 9 Mar 06:40 Launch · Pulse',
      'Tue 10 Mar 06:40 Launch · Pulse',
      'Wed 11 Mar 06:40 Launch · Pulse',
      'Thu 12 Mar 06:40 Launch · Pulse',
    ]);
  });

  it('leaves out days out of office and a check-in already started today', async () => {
    await setOutOfOffice(bot.deps, 'U0LON', '2026-03-06', '2026-03-06');
    expect((await startNow(bot.deps, 'U0LEAD', 'core', 'standup')).kind).toBe('started');
    const { items } = (await homeModel(bot.deps, 'U0LON')).nextCheckins!;
    expect(items.map((i) => `${i.when} ${i.title}`)).toEqual([
      'Thu 5 Mar 15:00 Core · Sync',
      'Mon 9 Mar 10:00 Core · Standup',
      'Mon 9 Mar 15:00 Core · Sync',
      'Tue 10 Mar 10:00 Core · Standup',
      'Tue 10 Mar 15:00 Core · Sync',
    ]);
  });
});
