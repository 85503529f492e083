import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { emailRefs } from '../../../src/config/user-refs.js';
import { resolveProgram } from '../../../src/config/resolve.js';

const base = (oncall: string, ladder = '[{ after: 5m, notify: oncall:omega }]') => `
program:
  name: Launch
  timezone: America/New_York
  pm: U0PM
  channel: C0LAUNCH
  oncall:
${oncall}
workstreams:
  omega:
    name: Team Omega
    channel: C0OMEGA
    leads: [U0LEAD]
    members: [U01, U02]
escalation:
  ladders:
    P0: ${ladder}
`;

const inConfig = `    omega: { name: Omega, members: [U01, ana@example.com], handoff: "Mon 09:00", shift: 12h, zone: Europe/Berlin, usergroup: omega-oncall }`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('program.oncall (issue 22)', () => {
  it('parses each source and a ladder level naming a rotation, alone or in a list beside lead/pm', () => {
    const cfg = parseWorkspaceConfig(
      base(
        `${inConfig}
    web: { ics_url: "https://calendar.example.com/omega.ics", token_env: WEB_ICS_TOKEN }
    pd: { pagerduty: { schedule: PABC123 } }
    og: { opsgenie: { schedule: 3f1d-omega } }`,
        '[{ after: 5m, notify: oncall:omega }, { after: 15m, notify: [lead, oncall:pd, U0EXTRA] }]',
      ),
      'preflight.yml',
    );
    expect(cfg.program.oncall.omega).toMatchObject({ members: ['U01', 'ana@example.com'], handoff: 'Mon 09:00', shift: 12 * 3_600_000 });
    expect(cfg.program.oncall.pd).toEqual({ pagerduty: { schedule: 'PABC123' } });
    const program = resolveProgram(cfg);
    expect(program.policies.P0.ladder.map((l) => l.notify)).toEqual([['oncall:omega'], ['lead', 'oncall:pd', 'U0EXTRA']]);
  });

  it('a member given by email is resolved like every other person', () => {
    const cfg = parseWorkspaceConfig(base(inConfig), 'preflight.yml');
    expect(emailRefs(cfg).map((r) => r.path.join('.'))).toContain('program.oncall.omega.members.1');
  });

  it('a level naming an unknown rotation is a config error at its key path', () => {
    expect(problems(base(inConfig, '[{ after: 5m, notify: oncall:omgea }]'))).toEqual(['escalation.ladders.P0.0.notify: no rotation "omgea" under program.oncall (known: omega) (got "oncall:omgea")']);
    expect(problems(base(inConfig, '[{ after: 5m, notify: [pm, oncall:nope] }]'))).toEqual([
      'escalation.ladders.P0.0.notify.1: no rotation "nope" under program.oncall (known: omega) (got "oncall:nope")',
    ]);
  });

  it('a rotation needs exactly one source, and the in-config keys go together', () => {
    expect(problems(base('    omega: { name: Omega }'))).toEqual(['program.oncall.omega: give the rotation one source: ics_url, pagerduty, opsgenie or members']);
    expect(problems(base('    omega: { pagerduty: { schedule: P1 }, opsgenie: { schedule: x } }'))).toEqual(['program.oncall.omega: give the rotation one source only (found pagerduty and opsgenie)']);
    expect(problems(base('    omega: { members: [U01] }'))).toEqual([
      'program.oncall.omega.handoff: required with members: when the shift changes hands, e.g. "Mon 09:00"',
      'program.oncall.omega.shift: required with members: how long one shift lasts, e.g. 12h',
    ]);
    expect(problems(base('    omega: { pagerduty: { schedule: P1 }, shift: 12h }'))).toEqual(['program.oncall.omega.shift: shift goes with members (a rotation written in preflight.yml) (got "12h")']);
    expect(problems(base('    omega: { members: [U01], handoff: "Monday 9am", shift: 12h }'))[0]).toMatch(/^program\.oncall\.omega\.handoff: expected a hand-off such as "Mon 09:00"/);
  });
});
