import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDmReply, submitForm } from '../../../../src/services/checkins/record-answers.js';
import { runToAnswer } from '../../../../src/services/checkins/run-to-answer.js';
import { skipToday } from '../../../../src/services/checkins/skip.js';
import { homeModel } from '../../../../src/services/home.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

/*
 * A launch day in New York (Wednesday 4 Feb 2026, UTC-5) run by checkpoints, after seed 000: a 09:00 program
 * check-in of all team leads plus the critical-path people (one report in the program channel, a section per team),
 * Beta's 10:00 standup, and Omega's 11:00 and 13:00 checkpoints, whose reports share Omega's channel (the 13:00 one
 * replies in the 11:00 one's thread, and the 11:00 report lists both).
 */
const YAML = aConfig({
  program: {
    name: 'Final deployment',
    timezone: 'America/New_York',
    channel: 'C0PROG',
    groups: { critical_path: ['U01', 'U03'] },
    checkins: [{ id: 'leads', name: 'All team leads', at: '09:00', participants: ['all_leads', 'critical_path'], remind_after: '30m', close_after: '3h' }],
  },
  checkins: {
    questions: [
      { id: 'status', prompt: 'Status?', kind: 'text' },
      { id: 'risk', prompt: 'Risk flag?', kind: 'risk' },
    ],
  },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      leads: ['U0OL'],
      members: ['U01', 'U02', 'U03'],
      checkins: [
        { id: 'morning', name: 'Checkpoint 11:00', at: '11:00', remind_after: '15m', close_after: '1h' },
        { id: 'midday', name: 'Checkpoint 13:00', at: '13:00', participants: ['leads', 'critical_path'], remind_after: '15m', close_after: '1h' },
      ],
    }),
    aWorkstream({ id: 'beta', name: 'Team Beta', channel: 'C0BETA', leads: ['U0BL'], members: ['U0B1'], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } }),
  ],
});

describe('several check-ins in one day on real Postgres and Redis (Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let other: Process;
  const slack = nockSlack();
  const posts = (channel: string) => slack.of('chat.postMessage', (a) => a.channel === channel);
  // an answer's receipt ("Thanks! …", issue 25: queued with the answer) is not a prompt: counted apart
  const isReceipt = (a: Record<string, any>) => String(a?.metadata?.event_type ?? '') === 'preflight_answer_receipt';
  const dms = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user && !isReceipt(a));
  const runId = async (ws: string, checkin: string) => (await h.sql<{ id: number }>('SELECT id FROM standup_runs WHERE workstream_id = $1 AND checkin_id = $2', [ws, checkin]))[0]!.id;
  const recorded = (...users: string[]) =>
    eventually(`prompts of ${users.join(', ')} recorded as sent`, async () => {
      const rows = await h.sql<{ n: number }>(`SELECT count(DISTINCT user_id)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent' AND user_id = ANY($1)`, [users]);
      return rows[0]!.n === users.length;
    });

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-04T13:59:00Z');
    bot = await h.process();
    other = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('09:00: the program check-in prompts every lead and the critical-path people, and posts ONE report in the program channel', async () => {
    h.clock.set('2026-02-04T14:00:00Z');
    await Promise.all([tick(bot.deps), tick(other.deps)]);
    await eventually('four prompts and the program report', () => ['U0OL', 'U0BL', 'U01', 'U03'].every((u) => dms(u).length === 1) && posts('C0PROG').length === 1);
    await recorded('U0OL', 'U0BL', 'U01', 'U03');
    expect(JSON.stringify(dms('U0OL')[0]!.args.blocks)).toContain('Time for the *Final deployment · All team leads* check-in');
    const run = await runId('_program', 'leads');
    await submitForm(bot.deps, 'U0OL', run, { status: 'Omega on track', risk: 'green' });
    await submitForm(bot.deps, 'U0BL', run, { status: 'Beta waiting on gate 2', risk: 'yellow' });
    await eventually(
      'the report shows a section per team',
      () => slack.of('chat.update', (a) => a.channel === 'C0PROG' && JSON.stringify(a.blocks ?? []).includes('Beta waiting on gate 2')).length > 0,
    );
    const blocks = JSON.stringify(slack.of('chat.update', (a) => a.channel === 'C0PROG').at(-1)!.args.blocks);
    expect(blocks).toContain('Final deployment · All team leads Wed 4 Feb');
    expect(blocks).toMatch(/▸ Team Omega\* · 1\/3 answered[^▸]*Omega on track[^▸]*▸ Team Beta\* · 1\/1 answered[^▸]*Beta waiting on gate 2/);
    expect(posts('C0PROG')).toHaveLength(1);
  });

  it('11:00: Omega’s first checkpoint reports at the top of its channel; U01, in two open check-ins, is asked which', async () => {
    h.clock.set('2026-02-04T15:00:00Z');
    await tick(bot.deps); // Beta's standup, in its own channel
    h.clock.set('2026-02-04T16:00:00Z');
    await Promise.all([tick(bot.deps), tick(other.deps), tick(bot.deps)]);
    await eventually('morning prompts and report', () => dms('U02').length === 1 && dms('U01').length === 2 && posts('C0OMEGA').length === 1);
    await recorded('U02');
    expect(posts('C0OMEGA')[0]!.args.thread_ts).toBeUndefined();
    expect(String(posts('C0OMEGA')[0]!.args.text)).toContain('Team Omega Checkpoint 11:00 2026-02-04');
    const found = await runToAnswer(bot.deps, 'U01', {});
    expect(found).toMatchObject({ ok: false, reason: 'several-open' });
    if (found.ok || found.reason !== 'several-open') throw new Error('expected a chooser');
    expect(found.choices.map((c) => [c.workstreamName, c.checkinName, c.closesAtLocal, c.answered])).toEqual([
      ['Team Omega', 'Checkpoint 11:00', '12:00 EST', false],
      ['Final deployment', 'All team leads', '12:00 EST', false],
    ]);
    // naming the workstream picks one
    expect(await runToAnswer(bot.deps, 'U01', { workstreamId: 'omega' })).toMatchObject({ ok: true, run: { checkinId: 'morning' } });
  });

  it('DM replies answer the check-in U01 has not finished: the latest first, then the other one still open', async () => {
    const morning = await runId('omega', 'morning');
    const program = await runId('_program', 'leads');
    const replies = [];
    for (const text of ['Deploying the 11:00 build', 'green', 'All fine for the leads', 'yellow']) replies.push(await handleDmReply(bot.deps, 'U01', 'D01', text));
    expect(replies.map((r) => [r.kind, 'runId' in r ? r.runId : null])).toEqual([
      ['next', morning],
      ['done', morning],
      ['next', program],
      ['done', program],
    ]);
    expect((await handleDmReply(bot.deps, 'U01', 'D01', 'thanks')).kind).toBe('already-answered');
  });

  it('/standup skip names each check-in it skips: the two open now and Omega’s 13:00 later today', async () => {
    h.clock.set('2026-02-04T16:10:00Z');
    const skipped = await skipToday(bot.deps, 'U03');
    expect(skipped.map((s) => [s.workstream, s.checkin, s.localDate, s.outcome])).toEqual([
      ['Team Omega', 'Checkpoint 11:00', '2026-02-04', 'skipped'],
      ['Team Omega', 'Checkpoint 13:00', '2026-02-04', 'skip-recorded'],
      ['Final deployment', 'All team leads', '2026-02-04', 'skipped'],
    ]);
  });

  it('13:00: the second checkpoint replies in the first report’s thread, whose index lists both, once with two processes', async () => {
    h.clock.set('2026-02-04T17:00:00Z');
    await tick(bot.deps); // morning and the program check-in close
    h.clock.set('2026-02-04T18:00:00Z');
    await Promise.all([tick(bot.deps), tick(other.deps), tick(bot.deps), tick(other.deps)]);
    await eventually('midday report in the thread', () => posts('C0OMEGA').length === 2);
    const firstTs = (
      await h.sql<{ report_ts: string }>(
        "SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts FROM standup_runs WHERE checkin_id = 'morning'",
      )
    )[0]!.report_ts;
    const reply = posts('C0OMEGA')[1]!.args;
    expect(reply.thread_ts).toBe(firstTs);
    expect(String(reply.text)).toContain('Team Omega Checkpoint 13:00 2026-02-04');
    await eventually(
      'the index on the first report lists both check-ins',
      () =>
        slack.of(
          'chat.update',
          (a) => a.channel === 'C0OMEGA' && a.ts === firstTs && JSON.stringify(a.blocks ?? []).includes("Today's check-ins: 🔒 *Checkpoint 11:00* 11:00  ·  🟢 Checkpoint 13:00 13:00"),
        ).length > 0,
    );
    // U03 skipped it ahead of time: only the lead and U01 are prompted
    await eventually('midday prompts', () => dms('U0OL').length === 2 && dms('U01').length === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(dms('U03')).toHaveLength(2); // 09:00 program and 11:00 morning, not 13:00
    const [{ status }] = (await h.sql<{ status: string }>(`SELECT p.status FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id WHERE r.checkin_id = 'midday' AND p.user_id = 'U03'`)) as [
      { status: string },
    ];
    expect(status).toBe('skipped');
    expect(await h.sql("SELECT id FROM standup_runs WHERE workstream_id = 'omega'")).toHaveLength(2);
  });

  it('13:15: one reminder per unanswered participant of the second checkpoint, naming it; a restarted process sends nothing again', async () => {
    h.clock.set('2026-02-04T18:15:00Z');
    await Promise.all([tick(bot.deps), tick(other.deps)]);
    const reminders = () => slack.of('chat.postMessage', (a) => /^D/.test(a.channel) && String(a.text).startsWith('Reminder: your Team Omega · Checkpoint 13:00'));
    await eventually('two reminders', () => reminders().length === 2);
    expect(
      reminders()
        .map((r) => r.args.channel)
        .sort(),
    ).toEqual(['D01', 'D0OL']);
    expect(reminders().map((r) => r.args.text)).toEqual([
      'Reminder: your Team Omega · Checkpoint 13:00 check-in closes at 14:00 EST.',
      'Reminder: your Team Omega · Checkpoint 13:00 check-in closes at 14:00 EST.',
    ]);
    await other.stop();
    other = await h.process();
    h.clock.set('2026-02-04T18:20:00Z');
    await Promise.all([tick(bot.deps), tick(other.deps)]);
    await new Promise((r) => setTimeout(r, 500));
    expect(reminders()).toHaveLength(2);
    expect(dms('U01')).toHaveLength(3);
  });

  it('App Home lists where U01 stands in each of today’s check-ins', async () => {
    const home = await homeModel(bot.deps, 'U01');
    expect(home.standups).toEqual([
      { workstreamName: 'Team Omega · Checkpoint 11:00', state: 'answered', editableUntil: null },
      { workstreamName: 'Team Omega · Checkpoint 13:00', state: 'waiting', closesAt: '14:00 EST' },
      { workstreamName: 'Final deployment · All team leads', state: 'answered', editableUntil: null },
    ]);
  });

  it('a late answer to the second checkpoint joins the day’s thread (never a thread of a thread)', async () => {
    h.clock.set('2026-02-04T19:00:00Z');
    expect((await tick(bot.deps)).closed).toBe(1);
    const midday = await runId('omega', 'midday');
    await submitForm(bot.deps, 'U0OL', midday, { status: 'late but fine', risk: 'green' });
    const firstTs = (
      await h.sql<{ report_ts: string }>(
        "SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts FROM standup_runs WHERE checkin_id = 'morning'",
      )
    )[0]!.report_ts;
    await eventually('late answer posted', () => slack.of('chat.postMessage', (a) => a.channel === 'C0OMEGA' && JSON.stringify(a.blocks ?? '').includes('late but fine')).length === 1);
    expect(slack.of('chat.postMessage', (a) => a.channel === 'C0OMEGA' && JSON.stringify(a.blocks ?? '').includes('late but fine'))[0]!.args.thread_ts).toBe(firstTs);
  });

  it('sent every prompt once: one run per (workstream, check-in, date), one top-level message per report channel', async () => {
    const runs = await h.sql<{ workstream_id: string; checkin_id: string; local_date: string }>(
      "SELECT workstream_id, checkin_id, to_char(local_date, 'YYYY-MM-DD') AS local_date FROM standup_runs ORDER BY id",
    );
    expect(runs.map((r) => `${r.workstream_id}/${r.checkin_id}/${r.local_date}`)).toEqual([
      '_program/leads/2026-02-04',
      'beta/standup/2026-02-04',
      'omega/morning/2026-02-04',
      'omega/midday/2026-02-04',
    ]);
    const perUser = new Map<string, number>();
    for (const c of slack.of('chat.postMessage', (a) => /^U/.test(a.channel) && !isReceipt(a))) perUser.set(c.args.channel, (perUser.get(c.args.channel) ?? 0) + 1);
    expect(Object.fromEntries(perUser)).toEqual({ U0OL: 2, U0BL: 1, U01: 3, U03: 2, U0B1: 1, U02: 1 });
    // one receipt per complete answer: the form answers (the leads' two, U0OL's late one) to the member, U01's two
    // DM answers in the DM conversation
    await eventually('every answer’s receipt sent', () => slack.of('chat.postMessage', isReceipt).length >= 5);
    const receipts = new Map<string, number>();
    for (const c of slack.of('chat.postMessage', isReceipt)) receipts.set(c.args.channel, (receipts.get(c.args.channel) ?? 0) + 1);
    expect(Object.fromEntries(receipts)).toEqual({ U0OL: 2, U0BL: 1, D01: 2 });
    for (const ch of ['C0PROG', 'C0BETA', 'C0OMEGA']) expect(slack.of('chat.postMessage', (a) => a.channel === ch && !a.thread_ts && String(a.text).includes('2026-02-04'))).toHaveLength(1);
  });
});
