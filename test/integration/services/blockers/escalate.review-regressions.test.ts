import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { sendNotice } from '../../../../src/services/blockers/delivery.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { escalateOverdueGates, signOffGate, withdrawalsDue, withdrawSignOffsForBlocker } from '../../../../src/services/gonogo/gates.js';
import { wakeupJobs } from '../../../../src/jobs/registry.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig } from '../../../support/config-factories.js';

const YAML = aConfig({
  escalation: {
    ladders: {
      P1: [
        { after: '10m', notify: ['U0NAMED'] },
        { after: '20m', notify: 'pm' },
      ],
    },
  },
  gates: [{ id: 'qa', name: 'QA', due: '2026-02-03T09:00', sign_off: ['U0QA'], unblocks: ['ws1'] }],
  gonogo: { blocking_severities: ['P0'] },
});

describe('regressions from the code review (fixed clock, no workers: each step driven by hand)', () => {
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

  it('someone the ladder names by user id may act on the blocker that pings them', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'needs the named reviewer', severity: 'P1', source: 'command' });
    const id = r.ok ? r.blocker.id : 0;
    expect(await actOnBlocker(bot.deps, id, 'U0NAMED', { kind: 'acknowledge' })).toMatchObject({ ok: true });
    expect(await actOnBlocker(bot.deps, id, 'U0NOBODY', { kind: 'acknowledge' })).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('a snooze holds a notice that was already reserved', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'snooze me', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    h.clock.set('2026-02-03T10:10:00Z');
    expect(await escalate(bot.deps, b!.id, b!.version)).toBe('notified');
    const [notice] = await h.sql<{ id: number }>('SELECT id FROM blocker_notices WHERE blocker_id = $1', [b!.id]);
    await actOnBlocker(bot.deps, b!.id, 'U01', { kind: 'snooze', ms: 3_600_000 });
    expect(await sendNotice(bot.deps, notice!.id)).toBe('not-due');
    const [row] = await h.sql<{ status: string; not_before: Date }>(
      "SELECT d.status, n.not_before FROM blocker_notices n JOIN deliveries d ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE n.id = $1",
      [notice!.id],
    );
    expect(row).toEqual({ status: 'pending', not_before: new Date('2026-02-03T11:10:00Z') });
    // a job that comes before the snooze ends (a stale one): nothing sent, the delivery as it was, no claim counted
    // (a counted claim would make the send at 11:10 search Slack for a message that was never posted)
    h.clock.set('2026-02-03T10:30:00Z');
    expect(await sendNotice(bot.deps, notice!.id)).toBe('not-due');
    const [early] = await h.sql<{ status: string; claims: number }>("SELECT status, claims FROM deliveries WHERE kind = 'notice' AND owner_key = $1", [String(notice!.id)]);
    expect(early).toEqual({ status: 'pending', claims: 0 });
    h.clock.set('2026-02-03T11:10:00Z');
    const before = slack.calls.length;
    expect(await sendNotice(bot.deps, notice!.id)).toBe('sent');
    // sent once, to the lead, without looking in Slack for an earlier attempt first (none was ever posted)
    const sent = slack.calls.slice(before);
    expect(sent.filter((c) => c.method === 'chat.postMessage').length).toBe(1);
    expect(sent.filter((c) => c.method === 'conversations.history')).toEqual([]);
  });

  it('a gate whose sign-off is withdrawn after its due time escalates again', async () => {
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    await signOffGate(bot.deps, 'qa', 'U0QA', 'passed', null);
    expect(await escalateOverdueGates(bot.deps)).toBe(0);
    const p0 = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'prod is down', severity: 'P0', workstreamId: 'ws1', source: 'command' });
    // raise asks for the withdrawal as a job (no workers here): run the queued job's handler by hand
    const id = p0.ok ? p0.blocker.id : 0;
    const job = await bot.queues.escalation.getJob(wakeupJobs.withdrawSignOffs.jobId(id));
    expect(job?.name).toBe(wakeupJobs.withdrawSignOffs.name);
    expect(await withdrawSignOffsForBlocker(bot.deps, (wakeupJobs.withdrawSignOffs.payload.parse(job!.data) as { blockerId: number }).blockerId)).toEqual(['qa']);
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    // a P1 against the same workstream cannot withdraw anything (P0 blocks here): no job is queued for it
    const p1 = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'slow build', severity: 'P1', workstreamId: 'ws1', source: 'command' });
    expect(await bot.queues.escalation.getJob(wakeupJobs.withdrawSignOffs.jobId(p1.ok ? p1.blocker.id : 0))).toBeUndefined();
    const [gateBlocker] = await h.sql<{ status: string; levels_done: number }>("SELECT status, levels_done FROM blockers WHERE source = 'gate'");
    expect(gateBlocker).toEqual({ status: 'open', levels_done: 0 });
  });

  it('a withdrawal job that runs late never undoes a newer sign-off, nor withdraws for a resolved blocker', async () => {
    const gate = async () => (await h.sql<{ status: string }>("SELECT status FROM gate_states WHERE gate_id = 'qa'"))[0]!.status;
    const raiseP0 = async (text: string) => {
      const r = await raiseBlocker(bot.deps, { reporter: 'U01', text, severity: 'P0', workstreamId: 'ws1', source: 'command' });
      return r.ok ? r.blocker.id : 0;
    };
    // raised, then the gate signed again (a minute later) before the job ran: the newer sign-off stands
    const late = await raiseP0('flaky deploy');
    h.clock.set('2026-02-03T12:01:00Z');
    expect(await signOffGate(bot.deps, 'qa', 'U0QA', 'passed', 'checked again')).toMatchObject({ ok: true });
    expect(await withdrawSignOffsForBlocker(bot.deps, late)).toEqual([]);
    expect(await gate()).toBe('passed');
    // raised and resolved before the job ran: nothing to withdraw for
    const gone = await raiseP0('false alarm');
    await actOnBlocker(bot.deps, gone, 'U01', { kind: 'resolve' });
    expect(await withdrawSignOffsForBlocker(bot.deps, gone)).toEqual([]);
    expect(await gate()).toBe('passed');
    // and a blocker raised after the sign-off does withdraw it; were its wake-up lost (Redis down), the sweep
    // asks for it again, and only for it (the older open blockers predate the sign-off that stands)
    expect(await withdrawalsDue(bot.deps)).toEqual([]);
    h.clock.set('2026-02-03T12:02:00Z');
    const outage = await raiseP0('real outage');
    expect(await withdrawalsDue(bot.deps)).toEqual([outage]);
    expect(await withdrawSignOffsForBlocker(bot.deps, outage)).toEqual(['qa']);
    expect(await gate()).toBe('pending');
    expect(await withdrawalsDue(bot.deps)).toEqual([]);
  });

  it('a job that comes before its notice is due sends nothing and claims nothing; the notice goes out at its time', async () => {
    h.clock.set('2026-02-03T13:00:00Z');
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'deferred ping', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    h.clock.set('2026-02-03T13:10:00Z');
    expect(await escalate(bot.deps, b!.id, b!.version)).toBe('notified');
    const [notice] = await h.sql<{ id: number }>('SELECT id FROM blocker_notices WHERE blocker_id = $1', [b!.id]);
    // deferred to 14:00, as the recipient's quiet hours defer a notice (escalate.ts quietUntil); no snooze holds it
    await h.sql('UPDATE blocker_notices SET not_before = $2 WHERE id = $1', [notice!.id, new Date('2026-02-03T14:00:00Z')]);
    const dmsTo = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args?.channel === 'U0NAMED').length;
    const before = dmsTo();
    h.clock.set('2026-02-03T13:30:00Z');
    expect(await sendNotice(bot.deps, notice!.id)).toBe('not-due');
    expect(dmsTo()).toBe(before);
    const [early] = await h.sql<{ status: string; claims: number; attempts: number }>("SELECT status, claims, attempts FROM deliveries WHERE kind = 'notice' AND owner_key = $1", [String(notice!.id)]);
    expect(early).toEqual({ status: 'pending', claims: 0, attempts: 0 });
    h.clock.set('2026-02-03T14:00:00Z');
    expect(await sendNotice(bot.deps, notice!.id)).toBe('sent');
    expect(dmsTo()).toBe(before + 1);
  });
});
