import { describe, expect, it } from 'vitest';
import { PROGRAM_WORKSTREAM } from '../../../src/domain/checkins/plans.js';
import { BLOCKER_VERBS, permission, type PermissionAction, type PermissionRoles } from '../../../src/domain/permissions.js';

// two workstreams, two gates; every user id says what they are
const roles: PermissionRoles = {
  pm: 'UPM',
  execs: ['UEXEC'],
  workstreams: { ws1: { name: 'Broker', leads: ['ULEAD1'] }, ws2: { name: 'AI', leads: ['ULEAD2', 'ULEAD2B'] } },
  gates: { qa: { name: 'QA sign-off', signOff: ['UQA'] }, sec: { name: 'Security', signOff: ['USEC1', 'USEC2'] } },
};
const blocker = {
  id: 7,
  reporter: 'UREP',
  owner: 'UOWN',
  workstreamId: 'ws1',
  policy: {
    ladder: [
      { afterMs: 0, notify: 'lead' as const },
      { afterMs: 60_000, notify: ['UNAMED'] },
    ],
  },
};

interface Row {
  action: PermissionAction;
  /** Everyone allowed, in the order a refusal names them. */
  who: string[];
  rule: string;
}

const blockerRows: Row[] = BLOCKER_VERBS.map((verb) => ({
  action: { on: 'blocker', verb, blocker },
  who: ['UOWN', 'UREP', 'ULEAD1', 'UPM', 'UEXEC', 'UNAMED'],
  rule: `Only B-7's owner, its reporter, Broker's leads, the PM, an exec or someone its ladder names can ${verb} it`,
}));

const rows: Row[] = [
  ...blockerRows,
  { action: { on: 'gate', verb: 'sign-off', gateId: 'qa' }, who: ['UQA'], rule: 'Only the sign-off authority of “QA sign-off” can sign it off' },
  { action: { on: 'gate', verb: 'fail', gateId: 'sec' }, who: ['USEC1', 'USEC2'], rule: 'Only the sign-off authority of “Security” can mark it failed' },
  { action: { on: 'run', verb: 'start', workstreamId: 'ws2' }, who: ['ULEAD2', 'ULEAD2B', 'UPM'], rule: "Only AI's leads or the PM can start its standup" },
  { action: { on: 'checklist', verb: 'tick', workstreamId: 'ws1' }, who: ['ULEAD1', 'UPM'], rule: "Only Broker's leads or the PM can tick its checklist" },
  { action: { on: 'decision', verb: 'decide' }, who: ['UPM', 'UEXEC'], rule: 'Only the PM or an exec can record the go/no-go decision' },
  // issue 20: /preflight reload
  { action: { on: 'plan', verb: 'reload' }, who: ['UPM'], rule: 'Only the PM can reload the plan' },
  // issue 23: /preflight retro
  { action: { on: 'retro', verb: 'draft' }, who: ['UPM'], rule: 'Only the PM can draft the retrospective' },
  // issue 20: replan from Slack (/task add|due|assign|drop; /gonogo due)
  { action: { on: 'plan', verb: 'replan', workstreamId: 'ws2' }, who: ['ULEAD2', 'ULEAD2B', 'UPM'], rule: "Only AI's leads or the PM can change its plan" },
  { action: { on: 'plan', verb: 'replan', workstreamId: null }, who: ['UPM'], rule: 'Only the PM can move a gate' },
  // issue 10: a task's owner, its workstream's leads and the PM (not an exec, not another workstream's lead)
  {
    action: { on: 'task', verb: 'update', taskId: 'O-3', owner: 'UOWN', workstreamId: 'ws2' },
    who: ['UOWN', 'ULEAD2', 'ULEAD2B', 'UPM'],
    rule: "Only O-3's owner, AI's leads or the PM can update it",
  },
];

// everyone in the config plus a stranger: each row's `who` may, everyone else is refused and told who can
const everyone = ['UPM', 'UEXEC', 'ULEAD1', 'ULEAD2', 'ULEAD2B', 'UQA', 'USEC1', 'USEC2', 'UREP', 'UOWN', 'UNAMED', 'USTRANGER'];

describe('permission: who may do what, and whom a refusal names', () => {
  it.each(rows.map((r) => [`${r.action.on} ${r.action.verb}`, r] as const))('%s', (_name, row) => {
    for (const actor of everyone) {
      const got = permission(roles, actor, row.action);
      if (row.who.includes(actor)) expect(got, `${actor} may`).toEqual({ allowed: true });
      else expect(got, `${actor} may not`).toEqual({ allowed: false, who: row.who, rule: row.rule });
    }
  });

  it('the PM and execs do not sign gates they are not the authority of; leads of another workstream are strangers', () => {
    expect(permission(roles, 'UPM', { on: 'gate', verb: 'sign-off', gateId: 'qa' }).allowed).toBe(false);
    expect(permission(roles, 'UEXEC', { on: 'checklist', verb: 'tick', workstreamId: 'ws1' }).allowed).toBe(false);
    expect(permission(roles, 'ULEAD2', { on: 'blocker', verb: 'resolve', blocker }).allowed).toBe(false);
    expect(permission(roles, 'ULEAD1', { on: 'decision', verb: 'decide' }).allowed).toBe(false);
  });

  it('a blocker with no owner, and one the ladder names nobody in, still names everyone who can', () => {
    const b = { ...blocker, owner: null, reporter: 'ULEAD1', policy: { ladder: [{ afterMs: 0, notify: 'pm' as const }] } };
    expect(permission(roles, 'USTRANGER', { on: 'blocker', verb: 'snooze', blocker: b })).toMatchObject({ allowed: false, who: ['ULEAD1', 'UPM', 'UEXEC'] });
  });

  it('an unknown gate or workstream is refused for everyone, naming whoever is left', () => {
    expect(permission(roles, 'UQA', { on: 'gate', verb: 'sign-off', gateId: 'nope' })).toEqual({ allowed: false, who: [], rule: 'There is no gate “nope”, so nobody can sign it off' });
    expect(permission(roles, 'ULEAD1', { on: 'run', verb: 'start', workstreamId: 'ws9' })).toEqual({ allowed: false, who: ['UPM'], rule: "Only ws9's leads or the PM can start its standup" });
  });

  it('only the PM starts a program check-in: not a lead, not an exec', () => {
    const start = { on: 'run', verb: 'start', workstreamId: PROGRAM_WORKSTREAM } as const;
    expect(permission(roles, 'UPM', start)).toEqual({ allowed: true });
    for (const actor of ['ULEAD1', 'UEXEC', 'USTRANGER']) {
      expect(permission(roles, actor, start)).toEqual({ allowed: false, who: ['UPM'], rule: 'Only the PM can start a program check-in' });
    }
  });
});
