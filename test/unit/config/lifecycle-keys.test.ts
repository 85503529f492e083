import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';

const base = `
program: { name: Launch, timezone: America/Los_Angeles, pm: U0PM, execs: [U0EXEC], channel: C0LAUNCH }
workstreams:
  omega: { name: Omega, channel: C0OMEGA, leads: [UOMEGA], members: [UOMEGA] }
  sigma:
    name: Sigma
    channel: C0SIGMA
    leads: [USIGMA]
    members: [USIGMA, US2]
    active: { from: "2025-11-13", until: "2025-11-15T18:00" }
    starts_when: { gate: gate1 }
gates:
  - { id: gate1, name: "Gate 1", sign_off: [UOMEGA], unblocks: [sigma] }
  - { id: gate4, name: "Gate 4", sign_off: { all_of: [UALPHA, UBETA] }, on_fail: { escalate_to: [exec, pm] } }
  - { id: gate5, name: "Gate 5", sign_off: { any_of: [U0PM] }, on_fail: { notify_downstream: false } }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('preflight.yml: workstreams that start and end, on_fail, joint sign-off', () => {
  it('parses the three sign_off spellings, on_fail defaults, active and starts_when', () => {
    const cfg = parseWorkspaceConfig(base, 'preflight.yml');
    expect(cfg.gates.map((g) => [g.id, g.sign_off_rule, g.sign_off])).toEqual([
      ['gate1', 'any_of', ['UOMEGA']],
      ['gate4', 'all_of', ['UALPHA', 'UBETA']],
      ['gate5', 'any_of', ['U0PM']],
    ]);
    expect(cfg.gates.map((g) => g.on_fail)).toEqual([
      { escalate_to: ['exec'], notify_downstream: true },
      { escalate_to: ['exec', 'pm'], notify_downstream: true },
      { escalate_to: ['exec'], notify_downstream: false },
    ]);
    expect(cfg.workstreams.sigma).toMatchObject({ active: { from: '2025-11-13', until: '2025-11-15T18:00' }, starts_when: { gate: 'gate1' } });
  });

  it('a starts_when gate that does not exist is an error at its key path', () => {
    expect(problems(base.replace('starts_when: { gate: gate1 }', 'starts_when: { gate: gate9 }'))).toContain(
      'preflight.yml:11 workstreams.sigma.starts_when.gate: no gate with id "gate9" (gates: gate1, gate4, gate5) (got "gate9")',
    );
  });

  it('active.from after until, a malformed date and an unknown key are errors at their key paths', () => {
    expect(problems(base.replace('from: "2025-11-13"', 'from: "2025-11-16"'))).toContain(
      'preflight.yml:10 workstreams.sigma.active.from: active.from (2025-11-16) must come before active.until (2025-11-15T18:00) (got "2025-11-16")',
    );
    expect(problems(base.replace('from: "2025-11-13"', 'from: "Nov 13"'))[0]).toMatch(/workstreams\.sigma\.active\.from: expected a date such as 2026-02-04/);
    expect(problems(base.replace('{ gate: gate1 }', '{ gate: gate1, after: 1d }'))[0]).toMatch(/workstreams\.sigma\.starts_when\.after: unknown key "after" \(known keys here: gate\)/);
  });

  it('sign_off: a signer listed twice, an empty all_of, a wrong spelling; on_fail with a non-user', () => {
    expect(problems(base.replace('all_of: [UALPHA, UBETA]', 'all_of: [UALPHA, UALPHA]'))).toContain('preflight.yml:14 gates.1.sign_off.all_of.1: UALPHA is listed twice (got "UALPHA")');
    expect(problems(base.replace('all_of: [UALPHA, UBETA]', 'all_of: []')).join('\n')).toMatch(/gates\.1\.sign_off/);
    expect(problems(base.replace('{ all_of: [UALPHA, UBETA] }', '{ both: [UALPHA, UBETA] }')).join('\n')).toMatch(
      /gates\.1\.sign_off: expected a list of Slack user IDs, \{ any_of: \[U…\] \} or \{ all_of: \[U…\] \}/,
    );
    expect(problems(base.replace('escalate_to: [exec, pm]', 'escalate_to: [ceo]')).join('\n')).toMatch(/gates\.1\.on_fail\.escalate_to\.0/);
  });
});
