import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipToday } from '../../../../src/services/checkins/skip.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { standupSkipText } from '../../../../src/slack/blocks/standup-skip.js';
import { registerStandupCommand } from '../../../../src/slack/commands/standup.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

// issue 8, defect 5: Monday 2 Feb 2026, 18:00 in New York (UTC−5) = Tuesday 08:00 in Tokyo (UTC+9).
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York' },
  workstreams: [aWorkstream({ name: 'Payments', members: ['U0NY', { id: 'U0TYO', timezone: 'Asia/Tokyo' }], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } })],
});

describe('/standup skip says which run it skips (fixed clock, real Postgres and Redis)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const dms = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user);
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-02T23:00:00Z');
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('after Monday’s standup, both members skip the Tuesday run, each told its date and their own prompt time', async () => {
    const tokyo = await skipToday(bot.deps, 'U0TYO', 'ws1');
    expect(tokyo).toMatchObject([{ outcome: 'skip-recorded', localDate: '2026-02-03' }]);
    expect(standupSkipText(tokyo)).toBe('• ⏭️ Skipped *Payments*’s standup on Tue 3 Feb (10:00 your time): no prompt or reminder.');
    // `/standup skip` as typed in Slack by the New York member: Monday's window has closed, so it is Tuesday's run
    const slack = boltInProcess((app) => registerStandupCommand(app, { deps: bot.deps, redis: null as never /* the command does not use Redis */, keyPrefix: 'unused' }));
    const answer = await slack.command('/standup', 'skip', 'U0NY');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: '• ⏭️ Skipped *Payments*’s standup on Tue 3 Feb (10:00 your time): no prompt or reminder.' });
  });

  it('the skipped run opens without prompting the Tokyo member at their 10:00', async () => {
    h.clock.set('2026-02-03T01:00:00Z'); // 10:00 Tue in Tokyo
    await tick(bot.deps);
    expect(await h.sql('SELECT local_date::text AS date FROM standup_runs')).toEqual([{ date: '2026-02-03' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(dms('U0TYO')).toHaveLength(0);
    const prompts = await h.sql<{ user_id: string; status: string }>(`SELECT user_id, status FROM ${PROMPT_STATES} p ORDER BY user_id`);
    expect(prompts).toEqual([
      { user_id: 'U0NY', status: 'skipped' },
      { user_id: 'U0TYO', status: 'skipped' },
    ]);
  });

  it('during Wednesday’s open run a skip names that run and marks the prompt skipped', async () => {
    h.clock.set('2026-02-04T15:00:00Z'); // Wed 10:00 in New York; Tokyo's Wednesday prompt closed at 03:00 UTC
    await tick(bot.deps);
    await eventually('the New York member is prompted', () => dms('U0NY').length === 1);
    const res = await skipToday(bot.deps, 'U0NY', 'ws1');
    expect(res).toMatchObject([{ outcome: 'skipped', localDate: '2026-02-04' }]);
    expect(standupSkipText(res)).toBe('• ⏭️ Skipped *Payments*’s standup on Wed 4 Feb (10:00 your time): no prompt or reminder.');
    // for Tokyo, Wednesday's run is over for them: the skip goes to Thursday's, and says so
    expect(standupSkipText(await skipToday(bot.deps, 'U0TYO', 'ws1'))).toBe('• ⏭️ Skipped *Payments*’s standup on Thu 5 Feb (10:00 your time): no prompt or reminder.');
  });
});
