import { afterEach, describe, expect, it } from 'vitest';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { queueOutbound, sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { recordDecision } from '../../../../src/services/gonogo/decisions.js';
import { signOffGate, withdrawalsDue, withdrawSignOffsForBlocker } from '../../../../src/services/gonogo/gates.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig } from '../../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  gates: [{ id: 'qa', name: 'QA', due: '2026-02-04T09:00', sign_off: ['U0QA'], unblocks: ['ws1'] }],
  gonogo: { blocking_severities: ['P0'] },
});

/**
 * A crash between two writes, simulated in Postgres itself: a trigger makes the insert of outbound messages
 * fail (all of them, or only thread replies) as a process killed at that point would leave it. What the
 * service wrote before that statement must not survive on its own.
 */
async function crashOnOutboundInsert(h: Awaited<ReturnType<typeof harness>>, only: 'all' | 'replies'): Promise<() => Promise<void>> {
  await h.sql(`CREATE OR REPLACE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$`);
  await h.sql(`CREATE TRIGGER simulated_crash BEFORE INSERT ON outbound_messages FOR EACH ROW ${only === 'replies' ? 'WHEN (NEW.parent_id IS NOT NULL)' : ''} EXECUTE FUNCTION simulated_crash()`);
  return async () => {
    await h.sql('DROP TRIGGER simulated_crash ON outbound_messages');
  };
}

describe('go/no-go writes and the messages announcing them commit together (a crash leaves both or neither)', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('a withdrawal that crashes before its DMs are queued leaves the sign-off standing; the sweep withdraws it again and both DMs go out', async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    expect(await signOffGate(bot.deps, 'qa', 'U0QA', 'passed', null)).toMatchObject({ ok: true });
    h.clock.advance({ minutes: 1 });
    const raised = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'prod is down', severity: 'P0', workstreamId: 'ws1', source: 'command' });
    const blockerId = raised.ok ? raised.blocker.id : 0;

    const recover = await crashOnOutboundInsert(h, 'all');
    await expect(withdrawSignOffsForBlocker(bot.deps, blockerId)).rejects.toThrow(/insert into "outbound_messages"/);
    // nothing half-written: the gate still passed, no audit row, no DM queued; the sweeper still sees it due
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'qa'")).toEqual([{ status: 'passed' }]);
    expect(await h.sql("SELECT id FROM gonogo_audit WHERE kind = 'gate_withdrawn'")).toEqual([]);
    expect(await h.sql('SELECT id FROM outbound_messages')).toEqual([]);
    expect(await withdrawalsDue(bot.deps)).toEqual([blockerId]);

    await recover();
    expect(await withdrawSignOffsForBlocker(bot.deps, blockerId)).toEqual(['qa']);
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'qa'")).toEqual([{ status: 'pending' }]);
    expect(await h.sql("SELECT gate_id FROM gonogo_audit WHERE kind = 'gate_withdrawn'")).toEqual([{ gate_id: 'qa' }]);
    for (const { id } of await h.sql<{ id: number }>('SELECT id FROM outbound_messages ORDER BY id')) expect(await sendOutbound(bot.deps, id)).toBe('sent');
    // what the signer and the PM see: one DM each
    for (const user of ['U0QA', 'U0PM']) {
      expect(slack.of('chat.postMessage', (a) => a.channel === user).map((c) => c.args.text)).toEqual([
        `⚠️ The sign-off of gate “QA” by <@U0QA> was withdrawn: B-${blockerId} (P0) was raised against it afterwards. Sign it off again once that is resolved.`,
      ]);
    }
  });

  it('a decision whose announcements cannot be queued is not recorded; recorded again, it is announced in each channel', async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const recover = await crashOnOutboundInsert(h, 'all');
    await expect(recordDecision(bot.deps, 'U0PM', 'no-go', 'not yet', ['C0WS1'])).rejects.toThrow(/insert into "outbound_messages"/);
    expect(await h.sql("SELECT id FROM gonogo_audit WHERE kind = 'decision'")).toEqual([]);

    await recover();
    expect(await recordDecision(bot.deps, 'U0PM', 'no-go', 'not yet', ['C0WS1'])).toMatchObject({ ok: true });
    expect(await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM gonogo_audit WHERE kind = 'decision'")).toEqual([{ n: 1 }]);
    for (const { id } of await h.sql<{ id: number }>('SELECT id FROM outbound_messages ORDER BY id')) expect(await sendOutbound(bot.deps, id)).toBe('sent');
    expect(
      slack
        .of('chat.postMessage')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual(['C0LAUNCH', 'C0WS1']);
  });

  it('a summary whose thread replies cannot be inserted is not queued either; queued again, it is posted with every reply', async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const item = { kind: 'gonogo_summary' as const, key: 'gonogo-post:crash', channel: 'C0LAUNCH', message: { text: 'NO-GO' }, replies: ['more 1', 'more 2'] };
    const recover = await crashOnOutboundInsert(h, 'replies');
    await expect(queueOutbound(bot.deps, [item])).rejects.toThrow(/insert into "outbound_messages"/);
    expect(await h.sql('SELECT id FROM outbound_messages')).toEqual([]);

    await recover();
    expect(await queueOutbound(bot.deps, [item])).toHaveLength(1);
    for (const { id } of await h.sql<{ id: number }>('SELECT id FROM outbound_messages ORDER BY id')) expect(await sendOutbound(bot.deps, id)).toBe('sent');
    expect(slack.messages.in('C0LAUNCH').map((m) => m.text)).toEqual(['NO-GO', 'more 1', 'more 2']);
  });
});
