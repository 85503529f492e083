import { afterEach, describe, expect, it } from 'vitest';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { sendNotice } from '../../../../src/services/blockers/delivery.js';
import { sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { escalateFailedGates } from '../../../../src/services/gonogo/gate-outcome.js';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { escalateOverdueGates, signOffGate, withdrawSignOffsForBlocker } from '../../../../src/services/gonogo/gates.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { homeModel } from '../../../../src/services/home.js';
import { gonogoSummaryMessage } from '../../../../src/slack/blocks/gonogo.js';
import { homeView } from '../../../../src/slack/blocks/home.js';
import { verdict } from '../../../../src/domain/gonogo/verdict.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

// seed 000: Gate 4 needs both the Alpha and the Beta lead; Team Sigma waits for a gate; "If fails: delay Sigma/Pi
// by 1+ day, escalate to exec" (/work/shared/seeds/000, as reproduced in examples/final-deployment-five-teams)
/** The seed-000 program; `gate4` adds keys to Gate 4 (on_fail, due). */
const config = (gate4: Record<string, unknown> = {}) =>
  aConfig({
    program: { name: 'Launch', execs: ['U0EXEC'] },
    calendar: { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    standup: { at: '09:00', remind_after: '30m', close_after: '2h' },
    workstreams: [
      aWorkstream({ id: 'alpha', name: 'Alpha', channel: 'C0ALPHA', leads: ['UALPHA'], members: ['UALPHA'] }),
      aWorkstream({ id: 'beta', name: 'Beta', channel: 'C0BETA', leads: ['UBETA'], members: ['UBETA'] }),
      aWorkstream({ id: 'pi', name: 'Pi', channel: 'C0PI', leads: ['UPI'], members: ['UPI'] }),
      aWorkstream({ id: 'sigma', name: 'Sigma', channel: 'C0SIGMA', leads: ['USIGMA'], members: ['USIGMA', { id: 'UKOL', timezone: 'Asia/Kolkata' }], starts_when: { gate: 'gate4' } }),
    ],
    gates: [{ id: 'gate4', name: 'Gate 4', sign_off: { all_of: ['UALPHA', 'UBETA'] }, unblocks: ['pi'], ...gate4 }],
    gonogo: { blocking_severities: ['P0'] },
  });
const YAML = config();

type H = Awaited<ReturnType<typeof harness>>;

async function deliverAll(h: H, bot: Awaited<ReturnType<H['process']>>) {
  for (const { id } of await h.sql<{ id: number }>("SELECT m.id FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE d.status = 'pending' ORDER BY m.id"))
    expect(await sendOutbound(bot.deps, id)).toBe('sent');
}

describe('gate pass/fail and joint sign-off on real Postgres and Redis', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('a waiting workstream holds no check-in; the second signature passes the joint gate once (two processes), the workstream is told and each member DMed once with their first check-in; then it opens', async () => {
    h = await harness(YAML, '2026-02-04T09:10:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    const other = await h.process({ workers: false });

    await tick(bot.deps);
    expect(await h.sql("SELECT workstream_id FROM standup_runs WHERE workstream_id = 'sigma'")).toEqual([]);
    expect((await h.sql<{ workstream_id: string }>('SELECT workstream_id FROM standup_runs ORDER BY workstream_id')).map((r) => r.workstream_id)).toEqual(['alpha', 'beta', 'pi']);

    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', 'alpha ready')).toEqual({ ok: true, message: '✍️ You signed “Gate 4”. It passes when <@UBETA> signs too.' });
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'gate4'")).toEqual([{ status: 'pending' }]);
    // the summary shows who signed and who is pending, and Sigma waiting for the gate
    const input = await verdictInput(bot.deps);
    const summary = JSON.stringify(gonogoSummaryMessage({ programName: 'Launch', zone: 'UTC', input, verdict: verdict(input), pm: 'U0PM', now: h.clock.now().toMillis() }).blocks);
    expect(summary).toContain('sign-off all of: ✅ <@UALPHA>, ⏳ <@UBETA>');
    expect(summary).toContain('*Sigma* · ⏸️ waiting for “Gate 4”');
    expect(summary).toContain('Sign off “Gate 4” (all of them): <@UBETA> (signed: <@UALPHA>)');
    // App Home tells a Sigma member why there is no check-in
    expect(JSON.stringify(homeView(await homeModel(bot.deps, 'USIGMA')).blocks)).toContain('⏸️ *Sigma*: waiting for “Gate 4”: no check-ins until it passes');
    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null)).toMatchObject({ ok: false, reason: 'noop', message: 'You already signed “Gate 4”; still waiting for <@UBETA>.' });

    // UBETA's click reaches two processes at once: one transition
    const results = await Promise.all([signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', null), signOffGate(other.deps, 'gate4', 'UBETA', 'passed', null)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, message: '✅ “Gate 4” signed off.' }]);
    expect(await h.sql("SELECT status, signed_by FROM gate_states WHERE gate_id = 'gate4'")).toEqual([{ status: 'passed', signed_by: 'UBETA' }]);
    expect(await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM gonogo_audit WHERE kind = 'gate_passed'")).toEqual([{ n: 1 }]);
    await deliverAll(h, bot);
    await deliverAll(h, other);

    const posted = (channel: string) => slack!.of('chat.postMessage', (a) => a.channel === channel).map((c) => c.args.text as string);
    expect(posted('C0SIGMA')).toEqual(['🟢 Gate “Gate 4” passed: Sigma is no longer waiting for it. First check-in: now.']);
    // USIGMA's 09:00 UTC window is open (till 11:00): now. UKOL's 09:00 IST window closed at 05:30 UTC: tomorrow's,
    // whose fallback text is in UKOL's own zone, like the date it stands for (issue 18, defect 6)
    expect(posted('USIGMA')).toEqual(['🟢 Gate “Gate 4” passed, so Sigma starts. Your first check-in: now (you get a DM with the questions then).']);
    const tomorrowIst = Math.floor(Date.parse('2026-02-05T03:30:00Z') / 1000);
    expect(posted('UKOL')).toEqual([
      `🟢 Gate “Gate 4” passed, so Sigma starts. Your first check-in: <!date^${tomorrowIst}^{date_short_pretty} at {time}|Thu 5 Feb at 09:00 GMT+5:30> (you get a DM with the questions then).`,
    ]);
    // nothing was told to the unblocked workstream on a pass, nothing twice, and the next sweep adds nothing
    expect(posted('C0PI')).toEqual([]);
    expect(await escalateFailedGates(bot.deps)).toEqual([]);
    expect(await h.sql("SELECT m.id FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE d.status <> 'sent'")).toEqual([]);

    h.clock.advance({ seconds: 5 });
    const report = await tick(bot.deps);
    expect(report.opened).toBe(1);
    expect(await h.sql(`SELECT p.user_id, p.status FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id WHERE r.workstream_id = 'sigma' ORDER BY p.user_id`)).toEqual([
      { user_id: 'UKOL', status: 'expired' },
      { user_id: 'USIGMA', status: 'pending' },
    ]);
  });

  it('a signature whose pass cannot queue its notices (a crash) is not recorded; signed again, the gate passes and the notices go out once', async () => {
    h = await harness(YAML, '2026-02-04T12:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    expect(await signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', null)).toMatchObject({ ok: true });
    await h.sql(`CREATE OR REPLACE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$`);
    await h.sql('CREATE TRIGGER simulated_crash BEFORE INSERT ON outbound_messages FOR EACH ROW EXECUTE FUNCTION simulated_crash()');
    await expect(signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null)).rejects.toThrow(/outbound_messages/);
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'gate4'")).toEqual([{ status: 'pending' }]);
    expect(await h.sql("SELECT user_id FROM gate_signatures WHERE gate_id = 'gate4'")).toEqual([{ user_id: 'UBETA' }]);
    await h.sql('DROP TRIGGER simulated_crash ON outbound_messages');
    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null)).toMatchObject({ ok: true, message: '✅ “Gate 4” signed off.' });
    await deliverAll(h, bot);
    // 12:00 UTC: today's 09:00 check-in has closed for everyone, so tomorrow's is the first
    const tomorrow = Math.floor(Date.parse('2026-02-05T09:00:00Z') / 1000);
    expect(slack.of('chat.postMessage', (a) => a.channel === 'C0SIGMA').map((c) => c.args.text)).toEqual([
      `🟢 Gate “Gate 4” passed: Sigma is no longer waiting for it. First check-in: <!date^${Math.floor(Date.parse('2026-02-05T03:30:00Z') / 1000)}^{date_short_pretty} at {time}|Thu 5 Feb at 03:30 UTC>.`,
    ]);
    expect(slack.of('chat.postMessage', (a) => a.channel === 'USIGMA').map((c) => c.args.text)).toEqual([
      `🟢 Gate “Gate 4” passed, so Sigma starts. Your first check-in: <!date^${tomorrow}^{date_short_pretty} at {time}|Thu 5 Feb at 09:00 UTC> (you get a DM with the questions then).`,
    ]);
    // the day that closed while Sigma waited is not recorded as missed
    await tick(bot.deps);
    expect(await h.sql("SELECT id FROM standup_runs WHERE workstream_id = 'sigma'")).toEqual([]);
  });

  it('a fail by one of the joint signers fails the gate: the downstream workstreams are told they are delayed, and the exec is escalated to through the ladder, once', async () => {
    h = await harness(YAML, '2026-02-04T12:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null)).toMatchObject({ ok: true });
    expect(await signOffGate(bot.deps, 'gate4', 'UBETA', 'failed', 'perf regression')).toEqual({ ok: true, message: '❌ “Gate 4” marked failed.' });
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'gate4'")).toEqual([{ status: 'failed' }]);
    expect(await h.sql("SELECT user_id FROM gate_signatures WHERE gate_id = 'gate4'")).toEqual([]);
    await deliverAll(h, bot);
    for (const [channel, name] of [
      ['C0SIGMA', 'Sigma'],
      ['C0PI', 'Pi'],
    ]) {
      expect(slack.of('chat.postMessage', (a) => a.channel === channel).map((c) => c.args.text)).toEqual([`🔴 Gate “Gate 4” failed (<@UBETA>: perf regression): ${name} is delayed until it passes.`]);
    }
    // who failed it is the reporter (shown as a mention), not markup in the text (shown escaped)
    const [b] = await h.sql<{ id: number; version: number; severity: string; channel: string; text: string; reporter: string }>(
      "SELECT id, version, severity, channel, text, reporter FROM blockers WHERE source = 'gate'",
    );
    expect(b).toMatchObject({ severity: 'P0', channel: 'C0LAUNCH', text: 'Gate “Gate 4” failed: perf regression. Delayed: Sigma, Pi.', reporter: 'UBETA' });
    expect(await escalate(bot.deps, b!.id, b!.version)).toBe('notified');
    for (const { id } of await h.sql<{ id: number }>('SELECT id FROM blocker_notices')) expect(await sendNotice(bot.deps, id)).toBe('sent');
    const dms = slack.of('chat.postMessage', (a) => a.channel === 'U0EXEC').map((c) => c.args.text as string);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain('Gate “Gate 4” failed');
    // the sweep finds nothing more to escalate for this failure
    expect(await escalateFailedGates(bot.deps)).toEqual([]);
    expect(await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM blockers WHERE source = 'gate'")).toEqual([{ n: 1 }]);

    // both sign after the fix: the gate passes and its failure escalation is resolved
    h.clock.advance({ hours: 1 });
    expect(await signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', 'fixed')).toMatchObject({ ok: true, message: expect.stringContaining('It passes when <@UALPHA> signs too') });
    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null)).toEqual({ ok: true, message: '✅ “Gate 4” signed off.' });
    expect(await h.sql("SELECT status, resolved_by FROM blockers WHERE source = 'gate'")).toEqual([{ status: 'resolved', resolved_by: 'UALPHA' }]);
  });

  it('a signer’s note is shown as text in the delay notices: it can never ping @channel or form a link', async () => {
    h = await harness(YAML, '2026-02-04T12:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    expect(await signOffGate(bot.deps, 'gate4', 'UBETA', 'failed', '<!channel> see <http://evil|this> & more')).toMatchObject({ ok: true });
    await deliverAll(h, bot);
    expect(slack.of('chat.postMessage', (a) => a.channel === 'C0PI').map((c) => c.args.text)).toEqual([
      '🔴 Gate “Gate 4” failed (<@UBETA>: &lt;!channel&gt; see &lt;http://evil|this&gt; &amp; more): Pi is delayed until it passes.',
    ]);
  });

  it('on_fail: notify_downstream false tells no channel; escalate_to [lead] escalates to the downstream leads; [] escalates to nobody', async () => {
    h = await harness(config({ on_fail: { escalate_to: ['lead'], notify_downstream: false } }), '2026-02-04T12:00:00Z');
    const bot = await h.process({ workers: false });
    expect(await signOffGate(bot.deps, 'gate4', 'UALPHA', 'failed', null)).toMatchObject({ ok: true });
    expect(await h.sql('SELECT id FROM outbound_messages')).toEqual([]);
    expect(await h.sql("SELECT policy -> 'ladder' AS ladder FROM blockers WHERE source = 'gate'")).toEqual([{ ladder: [{ afterMs: 0, notify: ['USIGMA', 'UPI'] }] }]);
    await h.cleanup();

    h = await harness(config({ on_fail: { escalate_to: [] } }), '2026-02-04T12:00:00Z');
    const quiet = await h.process({ workers: false });
    expect(await signOffGate(quiet.deps, 'gate4', 'UALPHA', 'failed', null)).toMatchObject({ ok: true });
    expect(await h.sql("SELECT id FROM blockers WHERE source = 'gate'")).toEqual([]);
    expect(await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM outbound_messages')).toEqual([{ n: 2 }]);
  });

  it('one escalation row per gate across episodes: overdue → failed → passed → withdrawn and overdue again, each escalating to its own people', async () => {
    h = await harness(config({ due: '2026-02-04T10:00' }), '2026-02-04T12:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    const escalateNow = async () => {
      const [b] = await h!.sql<{ id: number; version: number }>("SELECT id, version FROM blockers WHERE source = 'gate'");
      expect(await escalate(bot.deps, b!.id, b!.version)).toBe('notified');
      for (const { id } of await h!.sql<{ id: number }>("SELECT n.id FROM blocker_notices n JOIN deliveries d ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE d.status = 'pending'"))
        expect(await sendNotice(bot.deps, id)).toBe('sent');
    };
    const dmsTo = (user: string) => slack!.of('chat.postMessage', (a) => a.channel === user && !String(a.text).startsWith('⚠️')).length;

    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    await escalateNow();
    expect([dmsTo('UALPHA'), dmsTo('UBETA'), dmsTo('U0EXEC')]).toEqual([1, 1, 0]);

    h.clock.advance({ minutes: 5 });
    await signOffGate(bot.deps, 'gate4', 'UBETA', 'failed', 'broken');
    await escalateNow();
    expect([dmsTo('UALPHA'), dmsTo('UBETA'), dmsTo('U0EXEC')]).toEqual([1, 1, 1]);

    h.clock.advance({ minutes: 5 });
    await signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', null);
    await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null);
    h.clock.advance({ minutes: 1 });
    const raised = await raiseBlocker(bot.deps, { reporter: 'UPI', text: 'regressed', severity: 'P0', gateId: 'gate4', workstreamId: 'pi', source: 'command' });
    expect(await withdrawSignOffsForBlocker(bot.deps, raised.ok ? raised.blocker.id : 0)).toEqual(['gate4']);
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    expect(await h.sql("SELECT severity, text, status, reporter, due_at FROM blockers WHERE source = 'gate'")).toEqual([
      { severity: 'P1', text: 'Gate “Gate 4” is not signed off.', status: 'open', reporter: 'U0PM', due_at: new Date('2026-02-04T10:00:00Z') },
    ]);
    await escalateNow();
    // the signers are pinged again (not swallowed by the first episode's notices); the exec is not
    expect([dmsTo('UALPHA'), dmsTo('UBETA'), dmsTo('U0EXEC')]).toEqual([2, 2, 1]);

    // and once more: signed, withdrawn, overdue: pinged a third time
    h.clock.advance({ minutes: 5 });
    await signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', null);
    await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null);
    h.clock.advance({ minutes: 1 });
    const again = await raiseBlocker(bot.deps, { reporter: 'UPI', text: 'regressed again', severity: 'P0', gateId: 'gate4', workstreamId: 'pi', source: 'command' });
    expect(await withdrawSignOffsForBlocker(bot.deps, again.ok ? again.blocker.id : 0)).toEqual(['gate4']);
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    await escalateNow();
    expect([dmsTo('UALPHA'), dmsTo('UBETA'), dmsTo('U0EXEC')]).toEqual([3, 3, 1]);
  });

  it('a withdrawal (a P0 blocker against the gate) clears every signature, of a passed joint gate and of one half-signed, and DMs every signer and the PM', async () => {
    h = await harness(YAML, '2026-02-04T12:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null);
    await signOffGate(bot.deps, 'gate4', 'UBETA', 'passed', null);
    await deliverAll(h, bot);
    h.clock.advance({ minutes: 1 });
    const raised = await raiseBlocker(bot.deps, { reporter: 'UPI', text: 'prod down', severity: 'P0', workstreamId: 'pi', source: 'command' });
    const blockerId = raised.ok ? raised.blocker.id : 0;
    expect(await withdrawSignOffsForBlocker(bot.deps, blockerId)).toEqual(['gate4']);
    expect(await h.sql("SELECT status FROM gate_states WHERE gate_id = 'gate4'")).toEqual([{ status: 'pending' }]);
    expect(await h.sql("SELECT user_id FROM gate_signatures WHERE gate_id = 'gate4'")).toEqual([]);
    await deliverAll(h, bot);
    const text = `⚠️ The sign-offs of gate “Gate 4” (<@UALPHA>, <@UBETA>) were withdrawn: B-${blockerId} (P0) was raised against it afterwards. It needs every signature again (<@UALPHA>, <@UBETA>) once that is resolved.`;
    for (const user of ['UALPHA', 'UBETA', 'U0PM']) {
      expect(slack.of('chat.postMessage', (a) => a.channel === user && String(a.text).startsWith('⚠️')).map((c) => c.args.text)).toEqual([text]);
    }
    // the withdrawal runs again (a duplicate job): nothing more
    expect(await withdrawSignOffsForBlocker(bot.deps, blockerId)).toEqual([]);

    // half-signed: one signature given before a new blocker is cleared too, and both signers hear of it
    h.clock.advance({ minutes: 1 });
    await signOffGate(bot.deps, 'gate4', 'UALPHA', 'passed', null);
    h.clock.advance({ minutes: 1 });
    const second = await raiseBlocker(bot.deps, { reporter: 'UPI', text: 'again', severity: 'P0', gateId: 'gate4', workstreamId: 'pi', source: 'command' });
    const secondId = second.ok ? second.blocker.id : 0;
    expect(await withdrawSignOffsForBlocker(bot.deps, secondId)).toEqual(['gate4']);
    expect(await h.sql("SELECT user_id FROM gate_signatures WHERE gate_id = 'gate4'")).toEqual([]);
    await deliverAll(h, bot);
    for (const user of ['UALPHA', 'UBETA', 'U0PM']) {
      expect(slack.of('chat.postMessage', (a) => a.channel === user && String(a.text).includes(`B-${secondId}`)).map((c) => c.args.text)).toEqual([
        `⚠️ The sign-offs of gate “Gate 4” (<@UALPHA>) were withdrawn: B-${secondId} (P0) was raised against it afterwards. It needs every signature again (<@UALPHA>, <@UBETA>) once that is resolved.`,
      ]);
    }
  });
});
