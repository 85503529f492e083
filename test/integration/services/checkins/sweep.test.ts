import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDmReply, submitForm } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

// Tuesday 3 Feb 2026; New York is UTC-5. U03 answers from Chicago (UTC-6): prompted at 10:00 CT = 11:00 ET.
const YAML = aConfig({
  program: { name: 'Phase 11', timezone: 'America/New_York' },
  workstreams: [
    aWorkstream({
      name: 'Broker Integration',
      members: ['U01', 'U02', { id: 'U03', timezone: 'America/Chicago' }],
      standup: { at: '10:00', remind_after: '30m', close_after: '2h' },
    }),
  ],
});

describe('a standup run end to end on real Postgres and Redis (Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const dms = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user);
  const isReport = (a: Record<string, any>) => a.channel === 'C0WS1' && String(a.text).includes('standup');
  const reports = () => slack.of('chat.postMessage', (a) => isReport(a) && !a.thread_ts);
  const reportUpdates = () => slack.of('chat.update', isReport);
  /**
   * Waits until the workers have recorded the prompts of `users` as sent. nock records a DM when Slack receives
   * it, before the worker stores its ts: moving the fixed clock past `reclaim_after` in between would make the
   * tick release a claim that is still in flight (a one-hour stall of that worker, as far as Preflight can tell).
   */
  const promptsRecorded = (...users: string[]) =>
    eventually(`prompts of ${users.join(', ')} recorded as sent`, async () => {
      const rows = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent' AND user_id = ANY($1)`, [users]);
      return rows[0]!.n === users.length;
    });

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T14:59:00Z');
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('does nothing before the standup time', async () => {
    const r = await tick(bot.deps);
    expect(r.opened).toBe(0);
    expect(await h.sql('SELECT * FROM standup_runs')).toHaveLength(0);
  });

  it('at 10:00 local opens one run, DMs the members due, and posts one report', async () => {
    h.clock.set('2026-02-03T15:00:00Z');
    expect((await tick(bot.deps)).opened).toBe(1);
    await eventually('two prompts and a report', () => dms('U01').length === 1 && dms('U02').length === 1 && reports().length === 1);
    await promptsRecorded('U01', 'U02');
    const prompt = dms('U01')[0]!.args;
    expect(JSON.stringify(prompt.blocks)).toContain('*1/5* What did you complete yesterday?');
    expect(JSON.stringify(prompt.blocks)).toContain('open until *12:00 EST*');
    expect(dms('U03')).toHaveLength(0); // 10:00 in Chicago is an hour later
    expect(JSON.stringify(reports()[0]!.args.blocks)).toContain('0/3* answered');
    // ticking again at the same minute changes nothing
    await tick(bot.deps);
    await new Promise((r) => setTimeout(r, 300));
    expect(dms('U01')).toHaveLength(1);
    expect(await h.sql('SELECT * FROM standup_runs')).toHaveLength(1);
  });

  it('U01 answers by DM, one question at a time, with a hint on a bad reply', async () => {
    h.clock.set('2026-02-03T15:05:00Z');
    const replies = ['Wired the OAuth callback', 'Token refresh', 'Waiting on Alpaca API credentials', 'most of it', '60', 'yellow'];
    const kinds = [];
    for (const r of replies) kinds.push((await handleDmReply(bot.deps, 'U01', 'D01', r)).kind);
    expect(kinds).toEqual(['next', 'next', 'next', 'invalid', 'next', 'done']);
    const [row] = await h.sql<{ answers: unknown; complete: boolean; source: string }>("SELECT answers, complete, source FROM standup_answers WHERE user_id = 'U01'");
    expect(row).toMatchObject({
      complete: true,
      source: 'dm',
      answers: { yesterday: 'Wired the OAuth callback', today: 'Token refresh', blockers: 'Waiting on Alpaca API credentials', progress: 60, risk: 'yellow' },
    });
    await eventually(
      'report updated with the blocker',
      () => slack.of('chat.update', (a) => a.channel === 'C0WS1' && JSON.stringify(a.blocks ?? []).includes('Waiting on Alpaca API credentials')).length > 0,
    );
    expect(JSON.stringify(reportUpdates().at(-1)!.args.blocks)).toContain('🟡 <@U01>');
  });

  it('U02 answers with the form; the report shows both and who is missing', async () => {
    const res = await submitForm(bot.deps, 'U02', 1, { yesterday: 'Sync tests', today: 'Reconciliation', blockers: 'none', progress: 90, risk: 'green' });
    expect(res).toMatchObject({ kind: 'saved', late: false, edited: false });
    await eventually('report shows 2/3', () => slack.of('chat.update', (a) => JSON.stringify(a.blocks ?? []).includes('2/3* answered')).length > 0);
    const last = JSON.stringify(reportUpdates().at(-1)!.args.blocks);
    expect(last).toContain('Not answered yet (1):* <@U03>');
    expect(last).toContain('Reconciliation');
  });

  it('U03 is prompted at 10:00 Chicago time and reminded once at 10:30; those who answered are not', async () => {
    h.clock.set('2026-02-03T16:00:00Z');
    await tick(bot.deps);
    await eventually('U03 prompted', () => dms('U03').length === 1);
    await promptsRecorded('U03');
    h.clock.set('2026-02-03T16:30:00Z');
    await tick(bot.deps);
    await tick(bot.deps);
    await eventually('U03 reminded', () => dms('D03').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(dms('D03')[0]!.args.blocks)).toContain('Reminder');
    // U01 and U02 answered: no reminder; U01's DM has only its answer's receipt (issue 25: queued with the answer,
    // sent by the dm queue behind the prompts; U02 answered with the form, so its receipt went to U02)
    const receipt = (a: Record<string, any>) => String(a?.metadata?.event_type ?? '') === 'preflight_answer_receipt';
    expect(dms('D01').filter((c) => !receipt(c.args))).toHaveLength(0);
    expect(dms('D01').filter((c) => receipt(c.args))).toHaveLength(1);
    expect(dms('D02')).toHaveLength(0);
    expect(dms('D03')).toHaveLength(1);
  });

  it('closes after the last member window; the report says who did not answer', async () => {
    h.clock.set('2026-02-03T18:00:00Z');
    expect((await tick(bot.deps)).closed).toBe(1);
    await eventually('closed report', () => slack.of('chat.update', (a) => JSON.stringify(a.blocks ?? []).includes('Did not answer (1):* <@U03>')).length > 0);
    expect(JSON.stringify(reportUpdates().at(-1)!.args.blocks)).toContain('Closed at 13:00 EST');
    expect(reports()).toHaveLength(1); // one report message, always updated in place
    // U01's standup blocker was raised as B-1 and carried into the blockers channel (here the workstream's)
    const blockerPosts = slack.of('chat.postMessage', (a) => a.channel === 'C0WS1' && String(a.text).startsWith('B-'));
    expect(blockerPosts).toHaveLength(1);
    expect(blockerPosts[0]!.args.text).toContain('Waiting on Alpaca API credentials');
    const [b] = await h.sql<{ source: string; reporter: string }>('SELECT source, reporter FROM blockers');
    expect(b).toEqual({ source: 'standup', reporter: 'U01' });
  });

  it('a late answer goes to the report thread, and the closed report counts it, marked late; an on-time answer can no longer be edited', async () => {
    const res = await submitForm(bot.deps, 'U03', 1, { yesterday: 'x', today: 'Late but here', blockers: '-', progress: 5, risk: 'red' });
    expect(res).toMatchObject({ kind: 'saved', late: true });
    const reportTs =
      reports()[0]!.args &&
      (await h.sql<{ report_ts: string }>("SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts FROM standup_runs"))[0]!.report_ts;
    await eventually('late answer in thread', () => slack.of('chat.postMessage', (a) => a.thread_ts === reportTs).length === 1);
    expect(JSON.stringify(slack.of('chat.postMessage', (a) => a.thread_ts === reportTs)[0]!.args.blocks)).toContain('Late but here');
    // the report itself, still closed, no longer lists U03 as not answered (one edit, coalesced like any answer's)
    await eventually('closed report counts the late answer', () => reportUpdates().some((c) => JSON.stringify(c.args?.blocks ?? []).includes('3/3* answered')), 20_000);
    const last = JSON.stringify(reportUpdates().at(-1)!.args.blocks);
    expect(last).toContain('Closed at 13:00 EST');
    expect(last).toContain('<@U03> _late_');
    expect(last).not.toContain('Did not answer');
    expect(reports()).toHaveLength(1);
    // U03's receipt says where the answer went: the report too, not only its thread
    const says = (text: string) => dms('U03').some((m) => JSON.stringify(m.args?.blocks ?? []).includes(text));
    await eventually('U03’s receipt', () => says('added to the report in <#C0WS1>, marked late, and to its thread.'));
    expect(says("added to the report's thread")).toBe(false);
    await expect(submitForm(bot.deps, 'U02', 1, { yesterday: 'a', today: 'b', blockers: 'none', progress: 1, risk: 'green' })).rejects.toThrow('run closed');
  }, 60_000);

  it('a late answer edited more than 12 h after the close edits its post in the thread, not the closed report', async () => {
    const before = await h.sql<{ report_version: number; report_rendered_version: number }>('SELECT report_version, report_rendered_version FROM standup_runs');
    expect(before).toEqual([{ report_version: before[0]!.report_rendered_version, report_rendered_version: before[0]!.report_rendered_version }]);
    const reportTs = (await h.sql<{ report_ts: string }>("SELECT ts AS report_ts FROM deliveries WHERE kind = 'report'"))[0]?.report_ts;
    expect(reportTs).toBeTruthy();
    const reportEdits = () => slack.of('chat.update', (a) => a.ts === reportTs).length;
    const editsBefore = reportEdits();
    expect(editsBefore).toBeGreaterThan(0);
    h.clock.set('2026-02-04T07:00:01Z'); // the close (18:00Z) + 13 h
    const res = await submitForm(bot.deps, 'U03', 1, { yesterday: 'x', today: 'Later still', blockers: '-', progress: 5, risk: 'red' });
    expect(res).toMatchObject({ kind: 'saved', late: true });
    await eventually('the late answer’s post edited', () => slack.of('chat.update', (a) => a.channel === 'C0WS1' && JSON.stringify(a.blocks ?? []).includes('Later still')).length === 1);
    // a report redrawn now would show today's expected tasks and open blockers: its version is not bumped
    expect(await h.sql('SELECT report_version, report_rendered_version FROM standup_runs')).toEqual(before);
    expect(reportEdits()).toBe(editsBefore);
    // and this version's receipt names the thread only
    await eventually('the receipt of the edit', () => dms('U03').some((m) => JSON.stringify(m.args?.blocks ?? []).includes("so your answer was added to the report's thread in <#C0WS1>.")));
  });

  it('sent each member exactly one prompt and reminded only U03', async () => {
    const prompts = await h.sql<{ user_id: string; status: string; reminder_status: string; attempts: number }>(
      `SELECT user_id, status, reminder_status, attempts FROM ${PROMPT_STATES} p ORDER BY user_id`,
    );
    expect(prompts).toEqual([
      { user_id: 'U01', status: 'sent', reminder_status: 'none', attempts: 1 },
      { user_id: 'U02', status: 'sent', reminder_status: 'none', attempts: 1 },
      { user_id: 'U03', status: 'sent', reminder_status: 'sent', attempts: 1 },
    ]);
  });
});
