import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { resolveProgram } from '../../../src/config/resolve.js';
import { checkinsOf, PROGRAM_WORKSTREAM } from '../../../src/domain/checkins/plans.js';
import { DEFAULT_LADDERS } from '../../../src/domain/program/severities.js';

const yaml = `
program:
  name: Launch
  timezone: America/New_York
  pm: U0PM
  execs: [U0EXEC]
  channel: C0LAUNCH
workstreams:
  omega:
    name: Team Omega
    channel: C0OMEGA
    leads: [U0LEAD]
    members: [U01, { id: U02, timezone: Asia/Kolkata }]
  sigma:
    name: Team Sigma
    channel: C0SIGMA
    timezone: Europe/London
    members: [U01, U03]
escalation:
  ladders:
    P0:
      - { after: 2m, notify: lead }
      - { after: 10m, notify: U0EXEC }
gates:
  - { id: infra, name: Infrastructure validated, sign_off: [U0LEAD, U03] }
`;

describe('resolveProgram', () => {
  const config = parseWorkspaceConfig(yaml, 'preflight.yml');
  const program = resolveProgram(config, new Map([['U01', 'ana@example.com']]));

  it('keeps the declaration and adds each workstream’s zone', () => {
    expect(program.program.name).toBe('Launch');
    expect(program.zones).toEqual({ omega: 'America/New_York', sigma: 'Europe/London' });
  });

  it('resolves every severity’s policy: the config’s ladder, else the default one', () => {
    expect(program.policies.P0.ladder).toEqual([
      { afterMs: 120_000, notify: 'lead' },
      { afterMs: 600_000, notify: ['U0EXEC'] },
    ]);
    expect(program.policies.P1.ladder).toEqual(DEFAULT_LADDERS.P1.map((l) => ({ afterMs: l.after, notify: l.notify })));
    expect(program.policies.P2.stopWhen).toBe('resolved');
  });

  it('gives the go/no-go its defaults when gonogo is absent: P0 blocks, 100% go, 90% conditional', () => {
    expect(program.blockingSeverities).toEqual(['P0']);
    expect(program.verdictThresholds).toEqual({ goAtLeast: 100, conditionalAtLeast: 90 });
  });

  it('works out roles once', () => {
    expect(program.roles).toEqual({
      pm: 'U0PM',
      execs: ['U0EXEC'],
      workstreams: { omega: { name: 'Team Omega', leads: ['U0LEAD'] }, sigma: { name: 'Team Sigma', leads: [] } },
      gates: { infra: { name: 'Infrastructure validated', signOff: ['U0LEAD', 'U03'] } },
    });
  });

  it('has a people directory: zone, workstreams, roles, email', () => {
    expect(program.people.U01).toEqual({
      userId: 'U01',
      zone: 'Europe/London', // the first of their workstreams that sets a zone
      memberOf: ['omega', 'sigma'],
      leads: [],
      home: { id: 'omega', name: 'Team Omega' },
      roles: ['member'],
      email: 'ana@example.com',
    });
    expect(program.people.U02).toMatchObject({ zone: 'Asia/Kolkata', ownZone: 'Asia/Kolkata', memberOf: ['omega'] });
    expect(program.people.U0LEAD).toMatchObject({ zone: 'America/New_York', leads: ['omega'], roles: ['lead', 'sign_off'] });
    expect(program.people.U0PM).toMatchObject({ zone: 'America/New_York', memberOf: [], roles: ['pm'] });
    expect(program.people.U0PM?.home).toBeUndefined();
  });

  it('holds every check-in with its defaults applied, as the scheduler reads them', () => {
    for (const id of ['omega', 'sigma', PROGRAM_WORKSTREAM]) expect(checkinsOf(program, id)).toEqual(checkinsOf(config, id));
    const [standup] = checkinsOf(program, 'sigma');
    expect(standup).toMatchObject({ checkinId: 'standup', zone: 'Europe/London', plan: { at: '10:00', remindAfterMs: 30 * 60_000, closeAfterMs: 2 * 3_600_000 } });
    expect(Object.isFrozen(program.checkinSetups.sigma?.[0]?.plan.members)).toBe(true);
  });

  it('is deep-frozen, on a copy of the parsed config', () => {
    expect(Object.isFrozen(program)).toBe(true);
    expect(Object.isFrozen(program.workstreams.omega?.members)).toBe(true);
    expect(Object.isFrozen(program.people.U01?.memberOf)).toBe(true);
    expect(() => (program.program.execs as string[]).push('U9')).toThrow(TypeError);
    expect(Object.isFrozen(config)).toBe(false);
  });
});
