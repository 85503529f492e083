import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { escalateTaskById, sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { notifyStartableTasks } from '../../../../src/services/tasks/start-notices.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// seed 000's Team Omega (L77-83): O-3 Email due 1 PM, O-4 VAPID due 12 PM, O-5 NextAuth after O-3 and the infra gate.
// Standups only on Sundays, so nothing else DMs anyone on this Friday.
const YAML = aConfig({
  program: { name: 'Final deployment', timezone: 'America/New_York', channel: 'C0PROGRAM' },
  calendar: { workdays: ['sun'] },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      members: ['U0A', 'U0B', 'U0C', 'U0D'],
      checklist: ['Sign-off document'],
      tasks: [
        { id: 'O-3', title: 'Email', owner: 'U0C', due: '2026-11-13T13:00', estimate: 2 },
        { id: 'O-4', title: 'VAPID', owner: 'U0D', due: '2026-11-13T12:00', estimate: 1 },
        { id: 'O-5', title: 'NextAuth', owner: 'U0A', due: '2026-11-13T14:00', estimate: 1, requires: ['O-3', 'infra'] },
        { id: 'O-6', title: 'AI', owner: 'U0B', due: '2026-11-13T18:00', estimate: 4 },
      ],
    }),
  ],
  gates: [{ id: 'infra', name: 'Infrastructure validated', sign_off: ['U0LEAD'] }],
});
const slack = nockSlack();
afterAll(() => slack.done());

const MIN = 60_000;

describe('a task not done by its due time escalates owner → lead → PM, once per step with two processes, stopped when done', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let a: Process;
  let b: Process;
  // DMs whose text is an escalation ping about one task
  const pings = (user: string, task: string) => slack.of('chat.postMessage', (x) => x.channel === user && String(x.text).includes('needs you') && JSON.stringify(x.blocks ?? x.text).includes(task));
  /**
   * Both processes run the escalation of every open task escalation at once, as their `escalate` jobs would (the
   * fixed clock moves, so the real delayed jobs in Redis are not due: the test runs their handler itself).
   */
  const escalateBoth = async () => {
    const open = await h.sql<{ id: number; version: number }>("SELECT id, version FROM blockers WHERE source = 'task' AND status <> 'resolved'");
    await Promise.all(open.flatMap((o) => [escalate(a.deps, o.id, o.version), escalate(b.deps, o.id, o.version)]));
  };
  beforeAll(async () => {
    // Fri 13 Nov 2026, 13:01 in New York: O-4 (12:00) and O-3 (13:00) are overdue, O-5 waits, O-6 is due at 18:00
    h = await harness(YAML, '2026-11-13T18:01:00Z');
    a = await h.process();
    b = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('two processes sweeping at once raise one escalation per overdue task, never for a waiting one; the owner is pinged once', async () => {
    const [ra, rb] = await Promise.all([sweepTasks(a.deps), sweepTasks(b.deps)]);
    expect(ra.raised + rb.raised).toBe(2);
    expect((await Promise.all([sweepTasks(a.deps), sweepTasks(b.deps)])).map((r) => r.raised)).toEqual([0, 0]);
    const rows = await h.sql<{ task_id: string; source: string; owner: string; status: string }>("SELECT task_id, source, owner, status FROM blockers WHERE source = 'task' ORDER BY task_id");
    expect(rows).toEqual([
      { task_id: 'O-3', source: 'task', owner: 'U0C', status: 'open' },
      { task_id: 'O-4', source: 'task', owner: 'U0D', status: 'open' },
    ]);
    await eventually('the owners are pinged', () => pings('U0C', 'O-3').length === 1 && pings('U0D', 'O-4').length === 1);
    // the wake-up at the due time is a no-op once the escalation exists (and never for a task still waiting)
    expect(await escalateTaskById(a.deps, 'O-3')).toBe(false);
    expect(await escalateTaskById(a.deps, 'O-5')).toBe(false);
    // a task's escalation is not one of the workstream's blockers in the go/no-go facts
    const facts = await verdictInput(a.deps);
    expect(facts.workstreams[0]!.openBlockers).toEqual({ P0: 0, P1: 0, P2: 0 });
    expect(facts.workstreams[0]!.progress).toEqual({ percent: 0, tasksDone: 0, tasksTotal: 4, tasksOverdue: 2 });
  });

  it('30 minutes later the lead is pinged once per task, even with both processes sweeping', async () => {
    h.clock.advance(30 * MIN);
    await escalateBoth();
    await eventually('the lead is pinged about both tasks', () => pings('U0LEAD', 'O-3').length === 1 && pings('U0LEAD', 'O-4').length === 1);
    await escalateBoth();
    await new Promise((r) => setTimeout(r, 500));
    expect(pings('U0LEAD', 'O-3').length).toBe(1);
    expect(pings('U0C', 'O-3').length).toBe(1);
  });

  it('someone else cannot mark a task done and is told who can; the owner can, which stops its ladder (no PM ping)', async () => {
    const refused = await updateTask(a.deps, 'O-3', 'U0B', { kind: 'done' });
    expect(refused).toEqual({ ok: false, reason: 'forbidden', refusal: { allowed: false, who: ['U0C', 'U0LEAD', 'U0PM'], rule: "Only O-3's owner, Team Omega's leads or the PM can update it" } });
    const done = await updateTask(a.deps, 'O-3', 'U0C', { kind: 'done' });
    expect(done).toMatchObject({ ok: true, message: '✅ O-3 “Email” is done.' });
    if (!done.ok) throw new Error('unreachable');
    await done.after();
    expect(await updateTask(b.deps, 'O-3', 'U0LEAD', { kind: 'done' })).toMatchObject({ ok: false, reason: 'noop' });
    const [esc] = await h.sql<{ status: string }>("SELECT status FROM blockers WHERE task_id = 'O-3' AND source = 'task'");
    expect(esc).toEqual({ status: 'resolved' });
    h.clock.advance(40 * MIN); // past the PM's level (60 min after the due time)
    await escalateBoth();
    await eventually('the PM is pinged about O-4, still open', () => pings('U0PM', 'O-4').length === 1);
    expect(pings('U0PM', 'O-3')).toEqual([]);
  });

  it('a task waiting on a task and a gate: its owner is DM’d once when both are done, however many sweeps run', async () => {
    expect(await notifyStartableTasks(a.deps)).toEqual([]); // O-5 still waits on the infra gate
    await h.sql("INSERT INTO gate_states (gate_id, status, signed_by, signed_at, updated_at) VALUES ('infra', 'passed', 'U0LEAD', now(), now())");
    const [x, y] = await Promise.all([notifyStartableTasks(a.deps), notifyStartableTasks(b.deps)]);
    expect([...x, ...y]).toEqual(['O-5']);
    expect(await notifyStartableTasks(a.deps)).toEqual([]);
    await eventually('U0A is told O-5 can start', () => slack.of('chat.postMessage', (m) => m.channel === 'U0A' && String(m.text).includes('O-5')).length === 1);
    const dm = slack.of('chat.postMessage', (m) => m.channel === 'U0A')[0]!;
    expect(String(dm.args.text)).toBe('▶️ *O-5* “NextAuth” can start now: O-3, infra are done. `/task` shows your queue.');
    // O-5 was due at 14:00 while it waited; now that it can start, it escalates like any overdue task
    expect((await sweepTasks(b.deps)).raised).toBe(1);
  });

  it('progress counts toward % complete: estimate-weighted tasks plus the checklist', async () => {
    const res = await updateTask(b.deps, 'O-6', 'U0B', { kind: 'progress', percent: 50 });
    expect(res).toMatchObject({ ok: true, message: '📈 O-6 “AI” at 50%.' });
    const facts = await verdictInput(a.deps);
    // O-3 2 h done, O-6 4 h at 50%, O-4 and O-5 at 0, one unticked checklist item: (2 + 2) / (2 + 1 + 1 + 4 + 1) = 44%
    expect(facts.workstreams[0]!.progress).toEqual({ percent: 44, tasksDone: 1, tasksTotal: 4, tasksOverdue: 2 });
    const events = await h.sql<{ task_id: string; kind: string; progress: number; actor: string }>('SELECT task_id, kind, progress, actor FROM task_events ORDER BY id');
    expect(events).toEqual([
      { task_id: 'O-3', kind: 'done', progress: 100, actor: 'U0C' },
      { task_id: 'O-6', kind: 'progress', progress: 50, actor: 'U0B' },
    ]);
  });

  it('the task-due wake-up (a job on the escalation queue) raises the escalation at the due time', async () => {
    h.clock.set('2026-11-13T23:00:00Z'); // 18:00 in New York: O-6 is due
    const dueAt = new Date(h.clock.now().toMillis());
    await a.deps.wakeups.taskDue([{ taskId: 'O-6', dueAt, now: dueAt }]);
    await eventually('the worker raised O-6’s escalation', async () => (await h.sql("SELECT 1 FROM blockers WHERE task_id = 'O-6' AND source = 'task'")).length === 1);
    await eventually('the owner of O-6 is pinged', () => pings('U0B', 'O-6').length === 1);
  });
});
