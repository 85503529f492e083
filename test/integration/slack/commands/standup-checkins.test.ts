import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { registerOpenStandupFormAction } from '../../../../src/slack/actions/open-standup-form.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { registerStandupCommand } from '../../../../src/slack/commands/standup.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { uniquePrefix } from '../../../support/db.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Wednesday 4 Feb 2026, New York (UTC-5): at 11:05 U01 is in two open check-ins (the program's 09:00–12:00 and
// Omega's 11:00–12:00); Omega also has a 13:00 checkpoint for its lead and the critical-path people.
const YAML = aConfig({
  program: {
    name: 'Final deployment',
    timezone: 'America/New_York',
    channel: 'C0PROG',
    groups: { critical_path: ['U01'] },
    checkins: [{ id: 'leads', name: 'All team leads', at: '09:00', participants: ['all_leads', 'critical_path'], close_after: '3h' }],
  },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      leads: ['U0OL'],
      members: ['U01', 'U02'],
      checkins: [
        { id: 'morning', name: 'Checkpoint 11:00', at: '11:00', remind_after: '15m', close_after: '1h' },
        { id: 'midday', name: 'Checkpoint 13:00', at: '13:00', participants: ['leads', 'critical_path'], remind_after: '15m', close_after: '1h' },
      ],
    }),
  ],
});

describe('/standup with several check-ins (the command and its buttons in process; real Postgres and Redis, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let slack: ReturnType<typeof boltInProcess>;
  const nocked = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-04T14:00:00Z');
    bot = await h.process();
    redis = new Redis(inject('redisUrl'));
    const ctx = { deps: bot.deps, redis, keyPrefix: uniquePrefix('standup-checkins') };
    slack = boltInProcess((app) => {
      registerStandupCommand(app, ctx);
      registerOpenStandupFormAction(app, ctx);
    });
    await tick(bot.deps);
    h.clock.set('2026-02-04T16:00:00Z');
    await tick(bot.deps);
    await eventually('both runs prompted U01', () => nocked.of('chat.postMessage', (a) => a.channel === 'U01').length === 2);
    h.clock.set('2026-02-04T16:05:00Z');
  });
  afterAll(async () => {
    redis.disconnect();
    await h.cleanup();
    nocked.done();
  });

  it('asks which check-in when two are open, and a button opens that one’s form', async () => {
    const answer = await slack.command('/standup', '', 'U01');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('You have 2 check-ins open. Which one do you want to answer?');
    expect(blockProblems(answer.blocks, 'message')).toEqual([]);
    type Choice = { text: { text: string }; accessory?: { type: string; action_id: string; value: string } };
    const buttons = (answer.blocks as Choice[]).filter((b) => b.accessory?.type === 'button').map((b) => [b.text.text, b.accessory!.action_id, b.accessory!.value] as const);
    expect(buttons.map((b) => b[0])).toEqual(['*Team Omega · Checkpoint 11:00*\n⏳ not answered until 12:00 EST', '*Final deployment · All team leads*\n⏳ not answered until 12:00 EST']);
    await slack.click(buttons[0]![1], buttons[0]![2], 'U01', 'D01');
    await eventually('the form opened', () => nocked.of('views.open').length === 1);
    const view = nocked.of('views.open')[0]!.args.view;
    expect(view.title.text).toBe('Check-in');
    expect(JSON.stringify(view.blocks)).toContain('*Team Omega · Checkpoint 11:00* · Wednesday 4 February');
    // naming the workstream opens its form at once
    await slack.command('/standup', 'omega', 'U01');
    await eventually('a second form', () => nocked.of('views.open').length === 2);
  });

  it('`/standup skip` says which check-ins it skipped', async () => {
    const answer = await slack.command('/standup', 'skip', 'U01');
    expect(answer.text.split('\n')).toEqual([
      '• ⏭️ Skipped *Team Omega*’s check-in *Checkpoint 11:00* on Wed 4 Feb (11:00 your time): no prompt or reminder.',
      '• ⏭️ Skipped *Team Omega*’s check-in *Checkpoint 13:00* on Wed 4 Feb (13:00 your time): no prompt or reminder.',
      '• ⏭️ Skipped *Final deployment*’s check-in *All team leads* on Wed 4 Feb (09:00 your time): no prompt or reminder.',
    ]);
  });

  it('`/standup start <ws>` asks which check-in when there are several; `start <ws> <checkin>` starts it, once', async () => {
    expect((await slack.command('/standup', 'start omega', 'U0OL')).text).toBe('`omega` has several check-ins: say which. Write `/standup start omega <check-in>` with one of: `morning`, `midday`.');
    expect((await slack.command('/standup', 'start omega lunch', 'U0OL')).text).toBe('`omega` has no check-in `lunch`. Write `/standup start omega <check-in>` with one of: `morning`, `midday`.');
    expect((await slack.command('/standup', 'start omega midday', 'U02')).text).toMatch(/Only Team Omega's leads or the PM/);
    expect((await slack.command('/standup', 'start omega midday', 'U0OL')).text).toBe("▶️ Started Team Omega's check-in “Checkpoint 13:00”: prompting 1 member now. The report goes to <#C0OMEGA>.");
    expect((await slack.command('/standup', 'start omega midday', 'U0PM')).text).toMatch(/^Team Omega's check-in “Checkpoint 13:00” already ran today \(run \d+, open\)/);
    expect((await slack.command('/standup', 'start program leads', 'U0OL')).text).toMatch(/Only the PM can start a program check-in/);
  });

  it('`/standup help` lists the check-in forms', async () => {
    const text = JSON.stringify((await slack.command('/standup', 'help', 'U01')).blocks);
    expect(text).toContain('/standup start <workstream> [check-in]');
    expect(text).toContain('asks which when several are open');
  });
});
