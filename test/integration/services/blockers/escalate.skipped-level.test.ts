import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { blockerTimeline, getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { blockerView } from '../../../../src/services/blockers/view.js';
import { blockerMessage, blockerTimelineMessage, threadLine } from '../../../../src/slack/blocks/blocker.js';
import { registerBlockerCommand } from '../../../../src/slack/commands/blocker.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// issue 8, defect 1: the reproduction, with the ladder in seconds and a fixed clock moved by hand
const YAML = aConfig({
  program: { name: 'Launch', execs: ['U0EXEC'] },
  escalation: {
    stop_when: 'resolved',
    ladders: {
      P0: [
        { after: '3s', notify: 'lead' },
        { after: '6s', notify: 'pm' },
        { after: '9s', notify: 'exec' },
        { after: '12s', notify: 'lead' },
      ],
    },
  },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', 'U02'] })],
});

describe('a ladder level skipped because its only recipient acknowledged (fixed clock, escalation driven by hand)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('is shown as skipped, with the reason, in the blocker message, in /blocker show and in the thread', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Prod payments down', severity: 'P0', source: 'command' });
    const id = r.ok ? r.blocker.id : 0;
    const step = async (atIso: string) => {
      h.clock.set(atIso);
      return escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
    };
    expect(await step('2026-02-03T10:00:03Z')).toBe('notified');
    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'acknowledge' })).ok).toBe(true);
    expect(await step('2026-02-03T10:00:06Z')).toBe('notified');
    expect(await step('2026-02-03T10:00:09Z')).toBe('notified');
    expect(await step('2026-02-03T10:00:12Z')).toBe('skipped');

    const b = (await getBlocker(bot.deps.db, id))!;
    const v = blockerView(bot.deps.config, b, bot.deps.clock.now().toJSDate());
    const events = (await blockerTimeline(bot.deps.db, id)).map((e) => ({ kind: e.kind, actor: e.actor, at: Math.floor(e.at.getTime() / 1000), data: e.data }));
    // the channel message (what the render job posts) and `/blocker show`
    for (const m of [blockerMessage(v), blockerTimelineMessage(v, events)]) {
      const json = JSON.stringify(m.blocks);
      expect(json).toContain('level 4 of 4 (the lead) skipped: already acknowledged');
      expect(json).not.toContain('level 4 of 4 (the lead notified)');
    }
    // `/blocker show B-1` as typed in Slack
    const slack = boltInProcess((app) => registerBlockerCommand(app, { deps: bot.deps, redis: null as never /* the command does not use Redis */, keyPrefix: 'unused' }));
    const shown = JSON.stringify((await slack.command('/blocker', `show B-${id}`, 'U01')).blocks);
    expect(shown).toContain('level 4 of 4 (the lead) skipped: already acknowledged');
    expect(shown).toContain('Level 4 of 4 (the lead) skipped after 12s: already acknowledged');
    // the thread says the same thing
    const lines = events.filter((e) => e.kind === 'escalated' || e.kind === 'skipped').map((e) => threadLine(e.kind, e.actor, e.data));
    expect(lines).toEqual([
      '⏫ Escalated to <@U0LEAD> after 3s (level 1 of 4)',
      '⏫ Escalated to <@U0PM> after 6s (level 2 of 4)',
      '⏫ Escalated to <@U0EXEC> after 9s (level 3 of 4)',
      '⏭️ Level 4 of 4 (the lead) skipped after 12s: already acknowledged',
    ]);
  });
});
