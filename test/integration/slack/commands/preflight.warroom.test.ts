import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarRoom } from '../../../../src/services/warroom/rooms.js';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// issue 23: `/preflight warroom close`, as the PM and as anyone else
const YAML = aConfig({
  program: { name: 'Launch', war_room: { when: ['gate_failed'] } },
  workstreams: [aWorkstream({ leads: ['U0LEAD'] })],
  gates: [{ id: 'qa', name: 'QA', sign_off: ['UQA'] }],
});

describe('/preflight warroom close', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-05-04T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });
  const app = () => boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused' }));

  it('with no room open says so; a lead is told who can; the PM closes it and is shown the summary', async () => {
    expect(await app().command('/preflight', 'warroom close', 'U0PM')).toMatchObject({ response_type: 'ephemeral', text: 'No war room is open.' });
    const opened = await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k1', gateId: 'qa', gateName: 'QA', actor: 'UQA', note: null, workstreams: ['ws1'] });
    if (opened.outcome !== 'opened') throw new Error('not opened');
    h.clock.advance({ minutes: 45 });
    const refused = await app().command('/preflight', 'warroom close', 'U0LEAD');
    expect(refused.text).toContain('Only the PM can close the war room');
    const closed = await app().command('/preflight', 'warroom close', 'U0PM');
    expect(closed.text).toBe(
      `Closing the war room <#${opened.channel}>: its summary goes in, then it is archived.\n🏁 <@U0PM> closed the war room: open for 45m, opened by gate “QA” failed; 0 blockers resolved since.`,
    );
    expect(await h.sql('SELECT closed_by FROM war_rooms')).toEqual([{ closed_by: 'U0PM' }]);
  });
});
