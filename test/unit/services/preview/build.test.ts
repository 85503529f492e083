import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { previewToTable } from '../../../../src/cli/preview/table.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import type { Preview } from '../../../../src/domain/preview/events.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import type { LiveState } from '../../../../src/services/preview/live-state.js';

// Mon 7 – Sun 13 Dec 2026 in London (UTC+0, no DST change that week). Fixed dates: the preview takes its span as input.
const YAML = `
program:
  name: Launch
  timezone: Europe/London
  pm: U0PM
  execs: [U0EXEC]
  channel: C0LAUNCH
workstreams:
  api:
    name: API
    channel: C0API
    leads: [U0LEAD]
    members: [U0ANN]
    standup: { at: "09:00" }
    active: { from: "2026-12-09", until: "2026-12-10" }
    tasks:
      - { id: T-1, title: Schema, owner: U0ANN, due: "2026-12-08T12:00" }
      - { id: T-2, title: Rollout, owner: U0ANN, due: "2026-12-08T15:00", requires: [T-1] }
      - { id: T-3, title: Docs, owner: U0ANN }
  web:
    name: Web
    channel: C0WEB
    leads: [U0WLEAD]
    members: [U0BOB]
    standup: { at: "10:00" }
    starts_when: { gate: qa }
gates:
  - { id: qa, name: QA sign-off, due: "2026-12-08T12:00", sign_off: { all_of: [U0QA1, U0QA2] }, unblocks: [web] }
`;
const config = parseWorkspaceConfig(YAML, 'test.yml');
const noLive: LiveState = {
  outOfOffice: [],
  skips: [],
  startedRuns: [],
  gateStatus: new Map(),
  gateSigned: new Map(),
  startGates: new Map(),
  doneIds: new Set(),
  tasksEscalating: new Set(),
  gatesEscalating: new Set(),
  blockers: [],
};
const skips = (p: Preview, ws: string) => p.skipped.filter((s) => s.workstreamId === ws && s.reason !== 'weekend').map((s) => `${s.localDate} ${s.reason}: ${s.detail}`);
const lines = (p: Preview, kinds: string[]) =>
  p.events
    .filter((e) => kinds.includes(e.kind))
    .map((e) => `${e.at.setZone('Europe/London').toFormat('ccc HH:mm')} ${e.kind} ${e.to ?? '-'} ${e.taskId ?? e.gateId ?? ''} ${e.condition ?? ''}`.trim());

describe('buildPreview: the lifecycle rule (issue 9) decides which days a workstream holds check-ins', () => {
  it('before `active.from` "not active yet", after `active.until` "ended", inside the span the check-ins', () => {
    const p = buildPreview(config, null, '2026-12-07', 5);
    expect(skips(p, 'api')).toEqual([
      '2026-12-07 not_active_yet: not active yet (from 2026-12-09 00:00 Europe/London)',
      '2026-12-08 not_active_yet: not active yet (from 2026-12-09 00:00 Europe/London)',
      '2026-12-11 ended: ended (2026-12-11 00:00 Europe/London)',
    ]);
    expect(lines(p, ['checkin_prompt']).filter((l) => l.includes('U0ANN'))).toEqual(['Wed 09:00 checkin_prompt U0ANN', 'Thu 09:00 checkin_prompt U0ANN']);
  });

  it('without a database every start gate is pending: "waiting on gate <name>" every day', () => {
    const p = buildPreview(config, null, '2026-12-07', 2);
    expect(skips(p, 'web')).toEqual(['2026-12-07 waiting_on_gate: waiting on gate QA sign-off', '2026-12-08 waiting_on_gate: waiting on gate QA sign-off']);
    expect(p.events.some((e) => e.to === 'U0BOB')).toBe(false);
  });

  it('a gate passed (live state) opens the check-ins whose window was still open then, as the scheduler does (issue 18)', () => {
    const at = (t: string) => DateTime.fromISO(t, { zone: 'Europe/London' }).toMillis();
    const passed = (passedAt: number): LiveState => ({ ...noLive, gateStatus: new Map([['qa', 'passed']]), startGates: new Map([['qa', { status: 'passed', passedAt }]]) });
    // Tuesday's 10:00 standup closes at 12:00: a gate passed at 10:30 opens it at 10:30 (the scheduler's next tick),
    // and Bob's prompt goes out then, its reminder at 10:30 too (30 minutes after 10:00: due as the prompt is sent)
    const during = buildPreview(config, passed(at('2026-12-08T10:30')), '2026-12-07', 3);
    expect(skips(during, 'web')).toEqual(['2026-12-07 waiting_on_gate: waiting on gate QA sign-off']);
    expect(lines(during, ['checkin_prompt', 'checkin_reminder', 'checkin_close']).filter((l) => l.includes('U0BOB'))).toEqual([
      'Tue 10:30 checkin_prompt U0BOB  opens late: at 10:00, waiting on gate QA sign-off',
      'Tue 10:30 checkin_reminder U0BOB  if not answered by then',
      'Tue 12:00 checkin_close U0BOB',
      'Wed 10:00 checkin_prompt U0BOB',
      'Wed 10:30 checkin_reminder U0BOB  if not answered by then',
      'Wed 12:00 checkin_close U0BOB',
    ]);
    // passed at 10:10: the prompt at 10:10, the reminder at its own time
    const early = buildPreview(config, passed(at('2026-12-08T10:10')), '2026-12-08', 1);
    expect(lines(early, ['checkin_prompt', 'checkin_reminder']).filter((l) => l.includes('U0BOB'))).toEqual([
      'Tue 10:10 checkin_prompt U0BOB  opens late: at 10:00, waiting on gate QA sign-off',
      'Tue 10:30 checkin_reminder U0BOB  if not answered by then',
    ]);
    // passed once the window had closed: that day is skipped
    const after = buildPreview(config, passed(at('2026-12-08T12:00')), '2026-12-07', 3);
    expect(skips(after, 'web')).toEqual(['2026-12-07 waiting_on_gate: waiting on gate QA sign-off', '2026-12-08 waiting_on_gate: waiting on gate QA sign-off']);
    expect(lines(after, ['checkin_prompt']).filter((l) => l.includes('U0BOB'))).toEqual(['Wed 10:00 checkin_prompt U0BOB']);
  });

  it('an `active.from` inside a check-in’s window opens it at that instant, as the scheduler does (issue 18)', () => {
    const late = parseWorkspaceConfig(YAML.replace('active: { from: "2026-12-09", until: "2026-12-10" }', 'active: { from: "2026-12-09T09:20" }'), 'test.yml');
    const p = buildPreview(late, null, '2026-12-08', 2);
    expect(skips(p, 'api')).toEqual(['2026-12-08 not_active_yet: not active yet (from 2026-12-09 09:20 Europe/London)']);
    expect(lines(p, ['checkin_prompt']).filter((l) => l.includes('U0ANN'))).toEqual(['Wed 09:20 checkin_prompt U0ANN  opens late: at 09:00, not active yet (from 2026-12-09 09:20 Europe/London)']);
  });
});

describe('buildPreview: a joint (all_of) gate escalates to the signers still missing', () => {
  it('from the config alone: both signers at the due time, then the PM', () => {
    const p = buildPreview(config, null, '2026-12-08', 1);
    expect(lines(p, ['gate_due', 'gate_escalation'])).toEqual([
      'Tue 12:00 gate_due - qa',
      'Tue 12:00 gate_escalation U0QA1 qa if still not signed off',
      'Tue 12:00 gate_escalation U0QA2 qa if still not signed off',
      'Tue 12:30 gate_escalation U0PM qa if still not signed off',
    ]);
  });

  it('half-signed (live state): only the missing signer, then the PM', () => {
    const p = buildPreview(config, { ...noLive, gateSigned: new Map([['qa', ['U0QA1']]]) }, '2026-12-08', 1);
    expect(lines(p, ['gate_escalation'])).toEqual(['Tue 12:00 gate_escalation U0QA2 qa if still not signed off', 'Tue 12:30 gate_escalation U0PM qa if still not signed off']);
  });
});

describe('buildPreview: tasks (issue 10) — due time, then owner → lead (30 min) → PM (1 h)', () => {
  it('lists each open task with a due time and its ladder; a task without `due` has none', () => {
    const p = buildPreview(config, null, '2026-12-08', 1);
    expect(lines(p, ['task_due', 'task_escalation'])).toEqual([
      'Tue 12:00 task_due - T-1',
      'Tue 12:00 task_escalation U0ANN T-1 if still not done',
      'Tue 12:30 task_escalation U0LEAD T-1 if still not done',
      'Tue 13:00 task_escalation U0PM T-1 if still not done',
      'Tue 15:00 task_due - T-2',
      'Tue 15:00 task_escalation U0ANN T-2 if still not done, and once T-1 done',
      'Tue 15:30 task_escalation U0LEAD T-2 if still not done, and once T-1 done',
      'Tue 16:00 task_escalation U0PM T-2 if still not done, and once T-1 done',
    ]);
  });

  it('the table names the task and its workstream, and says what the step is and when it is sent', () => {
    const text = previewToTable(buildPreview(config, null, '2026-12-08', 1), 'Launch', '');
    const lead = text.split('\n').find((l) => l.includes('task escalation') && l.includes('U0LEAD') && l.includes('T-1'))!;
    expect(lead.split(/\s{2,}/)).toEqual(['12:30', 'Tue 12:30 Europe/London', 'task escalation', 'task T-1 (api)', 'U0LEAD', 'Task T-1 “Schema” not done: escalation level 2; if still not done']);
  });

  it('a task done has no line; one whose escalation is under way shows its due time only (its steps come from its blocker)', () => {
    const p = buildPreview(config, { ...noLive, doneIds: new Set(['T-1']), tasksEscalating: new Set(['T-2']) }, '2026-12-08', 1);
    expect(lines(p, ['task_due', 'task_escalation'])).toEqual(['Tue 15:00 task_due - T-2']);
  });

  it('--person: the owner sees their task’s due time and their own notices; the lead only their step', () => {
    const ann = buildPreview(config, null, '2026-12-08', 1, { userId: 'U0ANN' });
    expect(lines(ann, ['task_due', 'task_escalation'])).toEqual([
      'Tue 12:00 task_due - T-1',
      'Tue 12:00 task_escalation U0ANN T-1 if still not done',
      'Tue 15:00 task_due - T-2',
      'Tue 15:00 task_escalation U0ANN T-2 if still not done, and once T-1 done',
    ]);
    const lead = buildPreview(config, null, '2026-12-08', 1, { userId: 'U0LEAD' });
    expect(lines(lead, ['task_due', 'task_escalation'])).toEqual([
      'Tue 12:30 task_escalation U0LEAD T-1 if still not done',
      'Tue 15:30 task_escalation U0LEAD T-2 if still not done, and once T-1 done',
    ]);
  });
});

describe('buildPreview: a task’s ladder (issue 18, defect 10) is the one its escalation will climb', () => {
  // seed 000: "Team member → Team lead (5 min)", "Team lead → Managing Engineer (5 min)", "… escalates to exec (15 min)"
  const SEED_000 = '[{ after: 5m, notify: lead }, { after: 10m, notify: pm }, { after: 25m, notify: exec }]';
  const tasksYaml = (extra: string) => `
program: { name: Launch, timezone: Europe/London, pm: U0PM, execs: [U0EXEC], channel: C0LAUNCH }
${extra}
workstreams:
  api:
    name: API
    channel: C0API
    leads: [U0LEAD]
    members: [U0ANN]
    tasks:
      - { id: T-1, title: Schema, owner: U0ANN, due: "2026-12-08T09:00" }
      - { id: T-2, title: Rollout, owner: U0ANN, due: "2026-12-08T12:00", priority: P0 }
      - { id: T-3, title: Docs, owner: U0ANN, due: "2026-12-08T15:00", priority: P2 }
`;
  const taskLines = (yaml: string) =>
    buildPreview(parseWorkspaceConfig(yaml, 'test.yml'), null, '2026-12-08', 1)
      .events.filter((e) => e.kind === 'task_due' || e.kind === 'task_escalation')
      .map((e) => `${e.at.setZone('Europe/London').toFormat('HH:mm')} ${e.taskId} ${e.to ?? e.summary}`);

  it('by priority through escalation.ladders, like a blocker’s (the config’s ladder, else the default one); a task with no priority keeps owner → lead 30 min → PM 1 h', () => {
    expect(taskLines(tasksYaml(`escalation: { ladders: { P0: ${SEED_000} } }`))).toEqual([
      '09:00 T-1 Task T-1 “Schema” due (ladder: the default task ladder)',
      '09:00 T-1 U0ANN',
      '09:30 T-1 U0LEAD',
      '10:00 T-1 U0PM',
      '12:00 T-2 Task T-2 “Rollout” due (ladder: escalation.ladders.P0)',
      '12:00 T-2 U0ANN',
      '12:05 T-2 U0LEAD',
      '12:10 T-2 U0PM',
      '12:25 T-2 U0EXEC',
      // no P2 ladder in the config: the default one (lead 1 h, PM 4 h after the due time)
      '15:00 T-3 Task T-3 “Docs” due (ladder: the default P2 ladder)',
      '15:00 T-3 U0ANN',
      '16:00 T-3 U0LEAD',
      '19:00 T-3 U0PM',
    ]);
  });

  it('tasks.escalation, when given, is every task’s ladder whatever its priority (the owner is still told at the due time)', () => {
    expect(taskLines(tasksYaml(`tasks: { escalation: ${SEED_000} }`))).toEqual([
      '09:00 T-1 Task T-1 “Schema” due (ladder: tasks.escalation)',
      '09:00 T-1 U0ANN',
      '09:05 T-1 U0LEAD',
      '09:10 T-1 U0PM',
      '09:25 T-1 U0EXEC',
      '12:00 T-2 Task T-2 “Rollout” due (ladder: tasks.escalation)',
      '12:00 T-2 U0ANN',
      '12:05 T-2 U0LEAD',
      '12:10 T-2 U0PM',
      '12:25 T-2 U0EXEC',
      '15:00 T-3 Task T-3 “Docs” due (ladder: tasks.escalation)',
      '15:00 T-3 U0ANN',
      '15:05 T-3 U0LEAD',
      '15:10 T-3 U0PM',
      '15:25 T-3 U0EXEC',
    ]);
  });

  it('the escalation is raised at the task’s priority: quiet hours hold a P1 task’s notices, not a P0 task’s when P0 is excepted', () => {
    const yaml = tasksYaml(`escalation: { quiet_hours: { from: "08:00", to: "13:00", except: [P0] } }`);
    const lines = taskLines(yaml).filter((l) => !l.includes('due (ladder'));
    // T-1 (no priority, P1): everything held until 13:00; T-2 (P0): on time
    expect(lines.filter((l) => l.includes(' T-1 '))).toEqual(['13:00 T-1 U0ANN', '13:00 T-1 U0LEAD', '13:00 T-1 U0PM']);
    expect(lines.filter((l) => l.includes(' T-2 '))).toEqual(['12:00 T-2 U0ANN', '12:05 T-2 U0LEAD', '12:15 T-2 U0PM', '12:30 T-2 U0EXEC']);
  });
});
