import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { emailRefs, withUserIds } from '../../../src/config/user-refs.js';

const base = `
program:
  name: Launch
  timezone: America/New_York
  pm: U0PM
  channel: C0LAUNCH
workstreams:
  omega:
    name: Team Omega
    channel: C0OMEGA
    leads: [U0LEAD]
    members: [U01, U02]
    checkins:
      - { id: first, at: "11:00", close_after: 1h, expects: [O-3, O-4] }
    tasks:
      - { id: O-3, title: Email, owner: U01, due: "2026-11-13T13:00", estimate: 2, priority: P0 }
      - { id: O-4, title: VAPID, owner: U02, due: "2026-11-13T12:00" }
      - { id: O-5, title: NextAuth, owner: U01, requires: [O-3, infra] }
gates:
  - { id: infra, name: Infrastructure validated, sign_off: [U0LEAD] }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('preflight.yml tasks', () => {
  it('parses tasks with defaults (estimate 1 h, priority P1, no requires) and a check-in’s expects', () => {
    const cfg = parseWorkspaceConfig(base, 'preflight.yml');
    const tasks = cfg.workstreams.omega!.tasks;
    expect(tasks.map((t) => [t.id, t.estimate, t.priority, t.requires])).toEqual([
      ['O-3', 2, 'P0', []],
      ['O-4', 1, 'P1', []],
      ['O-5', 1, 'P1', ['O-3', 'infra']],
    ]);
    expect(cfg.workstreams.omega!.checkins![0]!.expects).toEqual(['O-3', 'O-4']);
  });

  it('names the key path of a task id used twice, an unknown requirement, a self-requirement and a cycle', () => {
    const bad = base
      .replace('{ id: O-4, title: VAPID, owner: U02, due: "2026-11-13T12:00" }', '{ id: O-3, title: VAPID, owner: U02, requires: [O-9] }')
      .replace('requires: [O-3, infra]', 'requires: [O-5]');
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^workstreams\.omega\.tasks\.1\.id: task id "O-3" is already used/),
        expect.stringMatching(/^workstreams\.omega\.tasks\.1\.requires\.0: no task or gate with id "O-9"/),
        expect.stringMatching(/^workstreams\.omega\.tasks\.2\.requires\.0: a task cannot require itself/),
      ]),
    );
    const cycle = base.replace('due: "2026-11-13T13:00", estimate: 2, priority: P0 }', 'due: "2026-11-13T13:00", estimate: 2, priority: P0, requires: [O-5] }');
    expect(problems(cycle)).toEqual(expect.arrayContaining([expect.stringMatching(/^workstreams\.omega\.tasks\.0\.requires: task "O-3" requires itself through other tasks/)]));
  });

  it('rejects a bad owner, due, estimate and priority', () => {
    const bad = base.replace('owner: U02, due: "2026-11-13T12:00"', 'owner: person-b, due: "1 PM", estimate: 0, priority: high');
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        'workstreams.omega.tasks.1.owner: expected a Slack user ID such as U012AB3CD or an email address such as ana@example.com (got "person-b")',
        'workstreams.omega.tasks.1.due: expected a local date and time such as 2026-02-04T14:00 (got "1 PM")',
        'workstreams.omega.tasks.1.estimate: an estimate is a number of hours above 0 (got 0)',
        'workstreams.omega.tasks.1.priority: expected one of P0, P1, P2 (got "high")',
      ]),
    );
  });

  it('tasks.escalation (issue 18): levels like a ladder’s, in ms; whether each task wrote its priority is kept (it picks the ladder)', () => {
    const cfg = parseWorkspaceConfig(`${base}tasks:\n  escalation: [{ after: 5m, notify: lead }, { after: 10m, notify: pm }, { after: 25m, notify: [U0EXEC, exec@example.com] }]\n`, 'preflight.yml');
    expect(cfg.tasks.escalation).toEqual([
      { after: 300_000, notify: 'lead' },
      { after: 600_000, notify: 'pm' },
      { after: 1_500_000, notify: ['U0EXEC', 'exec@example.com'] },
    ]);
    expect(cfg.workstreams.omega!.tasks.map((t) => [t.id, t.priority, t.priority_given])).toEqual([
      ['O-3', 'P0', true],
      ['O-4', 'P1', false],
      ['O-5', 'P1', false],
    ]);
    // an email in a level is resolved like any person (users.lookupByEmail), and the tasks keep priority_given
    expect(emailRefs(cfg).map((r) => r.path.join('.'))).toEqual(['tasks.escalation.2.notify.1']);
    const resolved = withUserIds(cfg, new Map([['exec@example.com', 'U0EXEC2']]));
    expect(resolved.tasks.escalation![2]!.notify).toEqual(['U0EXEC', 'U0EXEC2']);
    expect(resolved.workstreams.omega!.tasks.map((t) => t.priority_given)).toEqual([true, false, false]);
    expect(parseWorkspaceConfig(base, 'preflight.yml').tasks).toEqual({});
  });

  it('tasks.escalation: each level after the one before, a known notify, no unknown key', () => {
    expect(problems(`${base}tasks:\n  escalation: [{ after: 10m, notify: lead }, { after: 5m, notify: pm }]\n`)).toEqual([
      'tasks.escalation.1.after: each level must come after the one before it (after counts from the task’s due time) (got "5m")',
    ]);
    expect(problems(`${base}tasks:\n  escalation: [{ after: 10m, notify: boss }]\n`)).toEqual([expect.stringMatching(/^tasks\.escalation\.0\.notify: /)]);
    expect(problems(`${base}tasks:\n  escalation: []\n`)).toEqual([expect.stringMatching(/^tasks\.escalation: /)]);
    expect(problems(`${base}tasks:\n  ladder: [{ after: 10m, notify: lead }]\n`)).toEqual(['tasks.ladder: unknown key "ladder" (known keys here: escalation)']);
  });

  it('rejects an expects naming no task of the check-in’s workstream', () => {
    expect(problems(base.replace('expects: [O-3, O-4]', 'expects: [O-3, O-7]'))).toEqual(['workstreams.omega.checkins.0.expects.1: no task "O-7" in workstream "omega" (O-3, O-4, O-5) (got "O-7")']);
  });
});
