import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { blockerTimeline, listOpenBlockers } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { submitForm } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { publishHome } from '../../../../src/slack/events/app-home.js';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { blockerView } from '../../../../src/services/blockers/view.js';
import { blockerListMessage } from '../../../../src/slack/blocks/blocker.js';
import { registerBlockerCommand } from '../../../../src/slack/commands/blocker.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { uniquePrefix } from '../../../support/db.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: [
    aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', 'U02'], standup: { at: '09:00' } }),
    aWorkstream({ id: 'ws2', name: 'AI', channel: 'C0WS2', leads: ['U0LEAD2'], members: ['U03'] }),
  ],
});

describe('blocker lists, timeline, standup carry-over and the Home tab', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('a standup answer with a blocker raises one blocker; "none" raises nothing', async () => {
    await tick(bot.deps);
    await submitForm(bot.deps, 'U01', 1, { yesterday: 'a', today: 'b', blockers: 'No VPN access to the broker sandbox', progress: 10, risk: 'red' });
    await submitForm(bot.deps, 'U02', 1, { yesterday: 'a', today: 'b', blockers: 'None.', progress: 10, risk: 'green' });
    // editing the answer does not raise a second blocker
    await submitForm(bot.deps, 'U01', 1, { yesterday: 'a', today: 'b', blockers: 'No VPN access, still', progress: 10, risk: 'red' });
    const rows = await h.sql<{ id: number; text: string; source: string; workstream_id: string }>('SELECT id, text, source, workstream_id FROM blockers');
    expect(rows).toEqual([{ id: 1, text: 'No VPN access to the broker sandbox', source: 'standup', workstream_id: 'ws1' }]);
  });

  it('the next standup report carries still-open blockers over with their age', async () => {
    await raiseBlocker(bot.deps, { reporter: 'U03', text: 'GPU quota', workstreamId: 'ws2', source: 'command' });
    h.clock.set('2026-02-04T09:00:00Z');
    await tick(bot.deps);
    await eventually(
      'Wednesday report with the carried blocker',
      () => slack.of('chat.postMessage', (a) => a.channel === 'C0WS1' && JSON.stringify(a.blocks ?? []).includes('Still open from before (1)')).length === 1,
    );
    const report = JSON.stringify(slack.of('chat.postMessage', (a) => a.channel === 'C0WS1' && JSON.stringify(a.blocks ?? []).includes('Still open from before'))[0]!.args.blocks);
    expect(report).toContain('*B-1* P1 · raised <!date^');
    expect(report).toContain('{ago}');
    expect(report).not.toContain('GPU quota'); // ws2's blocker stays in ws2's report
  });

  it('lists mine / my workstream / all, oldest first, and shows the whole timeline', async () => {
    await raiseBlocker(bot.deps, { reporter: 'U02', text: 'Waiting on U01', owner: 'U01', workstreamId: 'ws1', source: 'command' });
    const mine = await listOpenBlockers(bot.deps, 'U01', 'mine');
    expect(mine.map((g) => [g.title, g.items.map((b) => b.id)])).toEqual([
      ['Raised by you or waiting on you', [1, 3]],
      ['Your workstream (Broker)', [1, 3]],
    ]);
    // what `/blocker list` answers: the two blockers in both groups are two open blockers, not four
    const now = bot.deps.clock.now().toJSDate();
    const listed = blockerListMessage(mine.map((g) => ({ title: g.title, items: g.items.map((b) => blockerView(bot.deps.config, b, now)) })));
    expect(listed.text).toBe('2 open blockers');
    expect(JSON.stringify(listed.blocks)).toContain('2 open blockers in all');
    const slack = boltInProcess((app) => registerBlockerCommand(app, { deps: bot.deps, redis: null as never /* the command does not use Redis */, keyPrefix: 'unused' }));
    const answer = await slack.command('/blocker', 'list', 'U01');
    expect(answer.text).toBe('2 open blockers');
    expect(JSON.stringify(answer.blocks)).toContain('2 open blockers in all');
    expect((await listOpenBlockers(bot.deps, 'U0LEAD2', 'workstream'))[0]!.items.map((b) => b.id)).toEqual([2]);
    expect((await listOpenBlockers(bot.deps, 'U0PM', 'all'))[0]!.items.map((b) => b.id)).toEqual([1, 2, 3]);
    await actOnBlocker(bot.deps, 1, 'U0LEAD', { kind: 'acknowledge' });
    await actOnBlocker(bot.deps, 1, 'U0LEAD', { kind: 'reassign', owner: 'U02' });
    await actOnBlocker(bot.deps, 1, 'U01', { kind: 'snooze', ms: 3_600_000 });
    await actOnBlocker(bot.deps, 1, 'U0PM', { kind: 'resolve' });
    const timeline = await blockerTimeline(bot.deps.db, 1);
    // the day-old blocker was overdue: the ladder runs alongside (its lead level is skipped: the lead had acknowledged)
    expect(timeline.filter((e) => e.actor === null).every((e) => e.kind === 'skipped' || e.kind === 'escalated')).toBe(true);
    expect(timeline.filter((e) => e.actor !== null).map((e) => [e.kind, e.actor])).toEqual([
      ['raised', 'U01'],
      ['acknowledged', 'U0LEAD'],
      ['reassigned', 'U0LEAD'],
      ['snoozed', 'U01'],
      ['resolved', 'U0PM'],
    ]);
    expect((await listOpenBlockers(bot.deps, 'U0PM', 'all'))[0]!.items.map((b) => b.id)).toEqual([2, 3]);
  });

  it('the Home tab shows my standup today and my open blockers with their actions', async () => {
    const ctx = { deps: bot.deps, redis: new Redis(inject('redisUrl')), keyPrefix: uniquePrefix('home') };
    await publishHome(ctx, bot.deps.slack, 'U01');
    ctx.redis.disconnect();
    const publish = slack.of('views.publish').at(-1)!.args;
    expect(publish.user_id).toBe('U01');
    const json = JSON.stringify(publish.view);
    expect(json).toContain('⏳ *Broker*: waiting for your answer until 11:00 UTC');
    expect(json).toContain('*Waiting on you* (1)');
    expect(json).toContain('Waiting on U01');
    expect(json).toContain('"action_id":"blocker_ack"');
  });

  it('the go/no-go facts take each workstream’s latest standup (risk flags, participation)', async () => {
    const [wed] = await h.sql<{ id: number }>("SELECT id FROM standup_runs WHERE workstream_id = 'ws1' AND local_date = '2026-02-04'");
    expect(await submitForm(bot.deps, 'U02', wed!.id, { yesterday: 'a', today: 'b', blockers: 'none', progress: 50, risk: 'yellow' })).toMatchObject({ kind: 'saved' });
    const ws1 = (await verdictInput(bot.deps)).workstreams.find((w) => w.id === 'ws1')!;
    expect(ws1.standup).toEqual({ localDate: '2026-02-04', red: 0, yellow: 1, answered: 1, expected: 2 });
    expect(ws1.openBlockers).toEqual({ P0: 0, P1: 1, P2: 0 });
  });
});
