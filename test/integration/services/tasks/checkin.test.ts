import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDmReply, submitForm } from '../../../../src/services/checkins/record-answers.js';
import { standupFormModel } from '../../../../src/services/checkins/form.js';
import { runToAnswer } from '../../../../src/services/checkins/run-to-answer.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { applyCheckinProgress, taskProgressFromDm } from '../../../../src/services/tasks/checkin.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

/*
 * Seed 000's Omega checkpoints (Fri 13 Nov 2026, New York): "11:00 AM - First checkpoint (O-3, O-4 should be done)".
 * The 11:00 check-in expects O-3 and O-4; its prompt lists each member's open tasks and asks their progress.
 */
const YAML = aConfig({
  program: { name: 'Final deployment', timezone: 'America/New_York', channel: 'C0PROG' },
  calendar: { workdays: ['fri'] },
  checkins: { questions: [{ id: 'status', prompt: 'Status?', kind: 'text' }] },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      leads: ['U0OL'],
      members: ['U0A', 'U0C', 'U0D'],
      checkins: [{ id: 'first', name: 'First checkpoint', at: '11:00', close_after: '1h', expects: ['O-3', 'O-4'] }],
      tasks: [
        { id: 'O-1', title: 'MongoDB', owner: 'U0A', due: '2026-11-13T14:00', estimate: 3 },
        { id: 'O-3', title: 'Email', owner: 'U0C', due: '2026-11-13T13:00' },
        { id: 'O-4', title: 'VAPID', owner: 'U0D', due: '2026-11-13T12:00', priority: 'P0' },
        { id: 'O-5', title: 'NextAuth', owner: 'U0A', due: '2026-11-13T14:00', requires: ['O-3'] },
      ],
    }),
  ],
});

describe('a check-in asks each member for progress on their open tasks; its report leads with expected tasks not done', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const dms = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user);
  beforeAll(async () => {
    h = await harness(YAML, '2026-11-13T16:00:00Z'); // 11:00 in New York
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('the prompt lists the member’s open tasks (waiting ones say on what) and how to report them in one line', async () => {
    await tick(bot.deps);
    await eventually('three prompts', () => ['U0A', 'U0C', 'U0D'].every((u) => dms(u).length === 1));
    await eventually('prompts recorded as sent', async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent'`))[0]!.n === 3);
    const prompt = JSON.stringify(dms('U0A')[0]!.args.blocks);
    expect(prompt).toContain('*Your open tasks*');
    expect(prompt).toContain('• *O-1* MongoDB · 0% · due Fri 13 Nov 14:00');
    expect(prompt).toContain('• *O-5* NextAuth · 0% · due Fri 13 Nov 14:00 · waiting on O-3');
    expect(prompt).toContain('Reply `tasks: O-1 75, O-5 done` here');
    expect(JSON.stringify(dms('U0OL'))).toBe('[]'); // the lead owns no task and is not a member: no prompt
  });

  it('a DM progress line updates the tasks without answering the current question; a bad one names the problem and takes nothing', async () => {
    expect(await taskProgressFromDm(bot.deps, 'U0A', 'tasks: O-1 75, O-9 done')).toEqual({ ok: false, message: '“O-9” is not one of your tasks (O-1, O-5).' });
    const res = await taskProgressFromDm(bot.deps, 'U0A', 'O-1 75');
    expect(res).toMatchObject({ ok: true, lines: ['📈 O-1 “MongoDB” at 75%.'] });
    // an ordinary answer is not mistaken for task progress
    expect(await taskProgressFromDm(bot.deps, 'U0A', 'Finished the O-1 migration script')).toBeNull();
    const reply = await handleDmReply(bot.deps, 'U0A', (await h.sql<{ dm_channel: string }>(`SELECT dm_channel FROM ${PROMPT_STATES} p WHERE user_id = 'U0A'`))[0]!.dm_channel, 'Migrating');
    expect(reply.kind).toBe('done');
    const [state] = await h.sql<{ progress: number; status: string }>("SELECT progress, status FROM task_states WHERE task_id = 'O-1'");
    expect(state).toEqual({ progress: 75, status: 'open' });
    const [event] = await h.sql<{ via: string; actor: string }>("SELECT via, actor FROM task_events WHERE task_id = 'O-1'");
    expect(event).toEqual({ via: 'checkin', actor: 'U0A' });
  });

  it('the form has the tasks with their last percent; 100 marks a task done; the report leads with the expected task not done', async () => {
    const found = await runToAnswer(bot.deps, 'U0C', {});
    if (!found.ok) throw new Error('U0C has a run to answer');
    const model = await standupFormModel(bot.deps, 'U0C', found);
    expect(model.tasks.map((t) => [t.id, t.progress])).toEqual([['O-3', 0]]);
    const progress = await applyCheckinProgress(bot.deps, 'U0C', [{ task: 'O-3', percent: 100 }]);
    expect(progress.lines).toEqual(['✅ O-3 “Email” is done.']);
    await progress.after();
    await submitForm(bot.deps, 'U0C', found.run.id, { status: 'Email sent' });
    await eventually('the report shows O-4 expected and not done', () => slack.of('chat.update', (a) => a.channel === 'C0OMEGA' && JSON.stringify(a.blocks ?? []).includes('Email sent')).length > 0);
    const report = JSON.stringify(slack.of('chat.update', (a) => a.channel === 'C0OMEGA').at(-1)!.args.blocks);
    expect(report).toContain('*🎯 Expected by now, not done (1 of 2)*\\n• *O-4* VAPID · <@U0D> · 0%');
    expect(report.indexOf('Expected by now')).toBeLessThan(report.indexOf('Blockers'));
    // O-5 waited on O-3: its owner is told once it can start
    await eventually('U0A is told O-5 can start', () => dms('U0A').some((m) => String(m.args.text).includes('*O-5* “NextAuth” can start now')));
  });

  it('the closed report keeps the tasks expected at the close: O-4 done after it and a late answer leave “1 of 2” as it was', async () => {
    const runId = (await h.sql<{ id: number }>("SELECT id FROM standup_runs WHERE checkin_id = 'first'"))[0]!.id;
    const reportEdits = () => slack.of('chat.update', (a) => a.channel === 'C0OMEGA');
    h.clock.set('2026-11-13T17:00:00Z'); // 12:00 in New York: the check-in closes
    await tick(bot.deps);
    await eventually('the report shows the close', () => reportEdits().some((c) => JSON.stringify(c.args.blocks ?? []).includes('Closed at')));
    const closed = JSON.stringify(reportEdits().at(-1)!.args.blocks);
    expect(closed).toContain('*🎯 Expected by now, not done (1 of 2)*\\n• *O-4* VAPID · <@U0D> · 0%');
    // after the close U0D finishes O-4, then answers late (within the 12 h a late answer still edits the report)
    h.clock.set('2026-11-13T17:20:00Z');
    const done = await applyCheckinProgress(bot.deps, 'U0D', [{ task: 'O-4', percent: 100 }]);
    expect(done.lines).toEqual(['✅ O-4 “VAPID” is done.']);
    await done.after();
    await submitForm(bot.deps, 'U0D', runId, { status: 'VAPID shipped after the checkpoint' });
    await eventually('the closed report counts U0D, late', () => reportEdits().some((c) => JSON.stringify(c.args.blocks ?? []).includes('VAPID shipped after the checkpoint')));
    const late = JSON.stringify(reportEdits().at(-1)!.args.blocks);
    expect(late).toContain('<@U0D> _late_');
    expect(late).toContain('Closed at 12:00');
    expect(late).toContain('*🎯 Expected by now, not done (1 of 2)*\\n• *O-4* VAPID · <@U0D> · 0%');
  });
});
