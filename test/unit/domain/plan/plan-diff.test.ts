import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { describeLadder, diffPlans, type PlanChange, type PlanSide } from '../../../../src/domain/plan/plan-diff.js';
import type { PreviewEvent } from '../../../../src/domain/preview/events.js';

// Hand-built previews: the diff is pure, so fixed instants in a zone without DST at stake (UTC) say all it needs.
const ZONE = 'UTC';
const FROM = DateTime.fromISO('2030-01-07T00:00', { zone: ZONE });
const at = (hhmm: string, day = 0) => FROM.plus({ days: day }).set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) });

const ev = (kind: PreviewEvent['kind'], when: DateTime, over: Partial<PreviewEvent> = {}): PreviewEvent => ({
  at: when,
  kind,
  to: 'U0ANN',
  zone: 'Asia/Tokyo',
  workstreamId: 'web',
  checkinId: 'standup',
  gateId: null,
  blockerId: null,
  localDate: '2030-01-07',
  summary: `Web · Standup: ${kind === 'checkin_prompt' ? 'prompt' : 'reminder'}`,
  condition: kind === 'checkin_reminder' ? 'if not answered by then' : null,
  dst: null,
  window: kind === 'checkin_prompt' ? { remindAt: when.plus({ minutes: 30 }), closeAt: when.plus({ hours: 2 }) } : null,
  ...over,
});

const side = (events: PreviewEvent[], over: Partial<PlanSide> = {}): PlanSide => ({
  preview: { from: FROM, until: FROM.plus({ days: 3 }), programZone: ZONE, events, skipped: [] },
  checkins: [],
  tasks: [],
  gates: [],
  ladders: {},
  people: { U0ANN: 'Asia/Tokyo' },
  ...over,
});

const pick = (changes: PlanChange[], subject: PlanChange['subject']) => changes.filter((c) => c.subject === subject);

describe('diffPlans', () => {
  it('two equal plans: no changes', () => {
    const events = [ev('checkin_prompt', at('01:00')), ev('checkin_reminder', at('01:30'))];
    expect(diffPlans(side(events), side(events)).changes).toEqual([]);
  });

  it('a prompt at another time the same local date is a move, old → new, in the person’s zone, with its new answer close', () => {
    const old = side([ev('checkin_prompt', at('01:00')), ev('checkin_reminder', at('01:30'))]);
    const next = side([ev('checkin_prompt', at('02:00')), ev('checkin_reminder', at('02:30'))]);
    const [prompt, reminder] = diffPlans(old, next).changes;
    expect(prompt).toMatchObject({
      change: 'moved',
      subject: 'prompt',
      person: 'U0ANN',
      workstreamId: 'web',
      checkinId: 'standup',
      localDate: '2030-01-07',
      zone: 'Asia/Tokyo',
      oldValue: '12:00',
      newValue: '13:00',
    });
    expect(prompt?.old?.setZone(prompt.zone).toFormat('HH:mm')).toBe('10:00');
    expect(prompt?.new?.setZone(prompt.zone).toFormat('HH:mm')).toBe('11:00');
    expect(reminder).toMatchObject({ change: 'moved', subject: 'reminder', note: 'if not answered by then' });
  });

  it('another local date is not a move: one removed, one added', () => {
    const old = side([ev('checkin_prompt', at('01:00'))]);
    const next = side([ev('checkin_prompt', at('01:00', 1), { localDate: '2030-01-08' })]);
    expect(diffPlans(old, next).changes.map((c) => [c.change, c.localDate])).toEqual([
      ['removed', '2030-01-07'],
      ['added', '2030-01-08'],
    ]);
  });

  it('a new check-in: its prompts are added to each participant and the check-in to its workstream', () => {
    const checkin = { workstreamId: 'web', checkinId: 'signoff', label: 'Web · Sign-off', at: '16:00', zone: 'Asia/Tokyo', participants: ['U0ANN'] };
    const next = side([ev('checkin_prompt', at('07:00'), { checkinId: 'signoff', summary: 'Web · Sign-off: prompt' })], { checkins: [checkin] });
    const changes = diffPlans(side([]), next).changes;
    expect(pick(changes, 'prompt')).toMatchObject([{ change: 'added', person: 'U0ANN', checkinId: 'signoff', summary: 'Web · Sign-off', old: null }]);
    expect(pick(changes, 'checkin')).toMatchObject([{ change: 'added', person: null, workstreamId: 'web', newValue: '16:00', oldValue: null }]);
  });

  it('a check-in whose `at` moves, and whose participants change', () => {
    const c = { workstreamId: 'web', checkinId: 'standup', label: 'Web · Standup', at: '10:00', zone: 'Asia/Tokyo', participants: ['U0ANN', 'U0BOB'] };
    const changes = diffPlans(side([], { checkins: [c] }), side([], { checkins: [{ ...c, at: '11:00', participants: ['U0ANN'] }] })).changes;
    expect(changes.map((x) => [x.change, x.oldValue, x.newValue])).toEqual([
      ['moved', '10:00', '11:00'],
      ['changed', 'U0ANN, U0BOB', 'U0ANN'],
    ]);
  });

  it('a person removed: listed first under them, then each DM they no longer get', () => {
    const old = side([ev('checkin_prompt', at('01:00'), { to: 'U0BOB', zone: 'UTC' })], { people: { U0ANN: 'Asia/Tokyo', U0BOB: 'UTC' } });
    const changes = diffPlans(old, side([])).changes;
    expect(changes.map((c) => [c.person, c.subject, c.change])).toEqual([
      ['U0BOB', 'person', 'removed'],
      ['U0BOB', 'prompt', 'removed'],
    ]);
  });

  it('a task re-owned and re-dated, with its escalation steps old → new; added and removed tasks', () => {
    const task = { id: 'W-1', title: 'Email', workstreamId: 'web', owner: 'U0ANN', dueAt: at('04:00'), zone: ZONE };
    const step = (when: DateTime, to: string): PreviewEvent =>
      ev('task_escalation', when, { to, zone: ZONE, checkinId: null, localDate: null, taskId: 'W-1', summary: 'Task W-1 “Email” not done: escalation level 1', condition: 'if still not done' });
    const old = side([step(at('04:00'), 'U0ANN')], { tasks: [task, { ...task, id: 'W-2', title: 'Gone', dueAt: null }] });
    const next = side([step(at('06:00'), 'U0BOB')], {
      tasks: [
        { ...task, owner: 'U0BOB', dueAt: at('06:00') },
        { ...task, id: 'W-3', title: 'New', dueAt: null },
      ],
    });
    const tasks = pick(diffPlans(old, next).changes, 'task');
    expect(tasks.map((t) => [t.taskId, t.change, t.oldValue, t.newValue])).toEqual([
      ['W-1', 're-dated', null, null],
      ['W-1', 're-owned', 'U0ANN', 'U0BOB'],
      ['W-2', 'removed', 'U0ANN', null],
      ['W-3', 'added', null, 'U0ANN'],
    ]);
    expect(tasks[0]?.steps?.map((s) => [s.to, s.old?.toFormat('HH:mm') ?? null, s.new?.toFormat('HH:mm') ?? null])).toEqual([
      ['U0ANN', '04:00', null],
      ['U0BOB', null, '06:00'],
    ]);
    // the DMs themselves, per person
    expect(pick(diffPlans(old, next).changes, 'task_escalation').map((c) => [c.person, c.change])).toEqual([
      ['U0ANN', 'removed'],
      ['U0BOB', 'added'],
    ]);
  });

  it('a gate re-dated: its due time and each escalation step, old → new, under the program', () => {
    const gate = { id: 'qa', name: 'QA', dueAt: at('06:00'), signOff: ['U0QA'] };
    const step = (when: DateTime, to: string, level: number): PreviewEvent =>
      ev('gate_escalation', when, { to, zone: ZONE, workstreamId: null, checkinId: null, localDate: null, gateId: 'qa', summary: `Gate “QA” not signed off: escalation level ${level}` });
    const old = side([step(at('06:00'), 'U0QA', 1), step(at('06:30'), 'U0PM', 2)], { gates: [gate] });
    const next = side([step(at('07:00'), 'U0QA', 1), step(at('07:30'), 'U0PM', 2)], { gates: [{ ...gate, dueAt: at('07:00') }] });
    const changes = diffPlans(old, next).changes;
    const [g] = pick(changes, 'gate');
    expect(g).toMatchObject({ change: 're-dated', gateId: 'qa', person: null, workstreamId: null });
    expect(g?.steps?.map((s) => `${s.to} ${s.old?.toFormat('HH:mm')} → ${s.new?.toFormat('HH:mm')}`)).toEqual(['U0QA 06:00 → 07:00', 'U0PM 06:30 → 07:30']);
    expect(pick(changes, 'gate_escalation').map((c) => [c.person, c.change])).toEqual([
      ['U0PM', 'moved'],
      ['U0QA', 'moved'],
    ]);
    // the gate (program) comes after the people
    expect(changes.at(-1)?.subject).toBe('gate');
  });

  it('the go/no-go post moves under the program, its reminder under each person', () => {
    const post = (when: DateTime) => ev('gonogo_post', when, { to: 'C0LAUNCH', zone: ZONE, workstreamId: null, checkinId: null, localDate: null, summary: 'Go/no-go summary posted' });
    const remind = (when: DateTime) => ev('gonogo_reminder', when, { to: 'U0QA', zone: ZONE, workstreamId: null, checkinId: null, localDate: null, summary: 'Go/no-go in an hour' });
    const changes = diffPlans(side([remind(at('08:00')), post(at('09:00'))]), side([remind(at('09:00')), post(at('10:00'))])).changes;
    expect(changes.map((c) => [c.subject, c.person, c.change])).toEqual([
      ['gonogo_reminder', 'U0QA', 'moved'],
      ['gonogo_post', null, 'moved'],
    ]);
  });

  it('a ladder changed: for new blockers only, old and new levels in one line', () => {
    const policy = { ladder: [{ afterMs: 15 * 60_000, notify: 'lead' as const }], stopWhen: 'resolved' as const };
    const changes = diffPlans(
      side([], { ladders: { P0: policy, tasks: null } }),
      side([], { ladders: { P0: { ...policy, ladder: [...policy.ladder, { afterMs: 30 * 60_000, notify: ['U0CTO'] }] }, tasks: null } }),
    ).changes;
    expect(changes).toMatchObject([
      { change: 'changed', subject: 'ladder', summary: 'P0 ladder', oldValue: '15 min: lead; until resolved', newValue: '15 min: lead → 30 min: U0CTO; until resolved', note: 'for new blockers only' },
    ]);
    expect(describeLadder(null)).toBeNull();
  });
});
