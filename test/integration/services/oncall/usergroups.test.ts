import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncUsergroups } from '../../../../src/services/oncall/usergroups.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// issue 22: a rotation's Slack user group follows each hand-off; the clock is injected and moved by hand
const START = '2026-12-01T15:00:00Z';
const YAML = aConfig({
  program: {
    name: 'Launch',
    oncall: { web: { name: 'Web', members: ['U0LEAD', 'U01'], handoff: '09:00', shift: '24h', zone: 'UTC', start: '2026-11-30', usergroup: 'web-oncall' } },
  },
  workstreams: [aWorkstream({ members: ['U01'] })],
});

describe('on-call user groups (usergroups.users.update at hand-off)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const groups = { ok: true, usergroups: [{ id: 'S0WEB', handle: 'web-oncall', name: 'Web on call' }] };
  beforeAll(async () => {
    h = await harness(YAML, START);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });
  const updates = () => slack.of('usergroups.users.update').map((c) => [c.args.usergroup, c.args.users]);

  it('sets the group to whoever is on call, calls Slack again only at the next hand-off', async () => {
    slack.failNext('usergroups.list', 200, groups);
    // Tue 1 Dec 15:00: the second 24 h shift from Mon 30 Nov 09:00, so U01's
    expect(await syncUsergroups(bot.deps)).toEqual([{ rotation: 'web', usergroup: 'web-oncall', outcome: 'updated', users: ['U01'] }]);
    expect(await syncUsergroups(bot.deps)).toMatchObject([{ outcome: 'unchanged' }]);
    expect(updates()).toEqual([['S0WEB', 'U01']]);
    h.clock.set('2026-12-02T09:00:30Z');
    slack.failNext('usergroups.list', 200, groups);
    expect(await syncUsergroups(bot.deps)).toMatchObject([{ outcome: 'updated', users: ['U0LEAD'] }]);
    expect(updates()).toEqual([
      ['S0WEB', 'U01'],
      ['S0WEB', 'U0LEAD'],
    ]);
  });

  it('a handle no group has is reported, not retried into Slack errors', async () => {
    h.clock.set('2026-12-03T09:00:30Z');
    slack.failNext('usergroups.list', 200, { ok: true, usergroups: [] });
    expect(await syncUsergroups(bot.deps)).toMatchObject([{ outcome: 'no-such-usergroup' }]);
    expect(updates()).toHaveLength(2);
  });
});
