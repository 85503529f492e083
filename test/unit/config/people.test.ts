import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { emailRefs } from '../../../src/config/user-refs.js';

const base = (extra: string) => `
program:
  name: Launch
  timezone: America/New_York
  pm: U0PM
  channel: C0LAUNCH
${extra}
workstreams:
  omega:
    name: Team Omega
    channel: C0OMEGA
    leads: [U0LEAD]
    members: [U01, U02]
gates:
  - { id: infra, name: Infrastructure validated, sign_off: [U0LEAD], delegate_may_sign: true }
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

describe('preflight.yml delegates and away statuses (issue 22)', () => {
  it('parses delegates (user IDs or emails), away_statuses and delegate_may_sign', () => {
    const cfg = parseWorkspaceConfig(
      base(`  delegates:
    - { person: U0LEAD, delegate: ben@example.com }
    - { person: U01, delegate: U02 }
  away_statuses: [":palm_tree:", ":face_with_thermometer:"]`),
      'preflight.yml',
    );
    expect(cfg.program.delegates).toEqual([
      { person: 'U0LEAD', delegate: 'ben@example.com' },
      { person: 'U01', delegate: 'U02' },
    ]);
    expect(cfg.program.away_statuses).toEqual([':palm_tree:', ':face_with_thermometer:']);
    expect(cfg.gates[0]!.delegate_may_sign).toBe(true);
    // an email delegate is resolved like every other person
    expect(emailRefs(cfg).map((r) => r.path.join('.'))).toContain('program.delegates.0.delegate');
  });

  it('defaults to no delegates, no statuses, and delegates may not sign', () => {
    const cfg = parseWorkspaceConfig(base('').replace(', delegate_may_sign: true', ''), 'preflight.yml');
    expect(cfg.program.delegates).toEqual([]);
    expect(cfg.program.away_statuses).toEqual([]);
    expect(cfg.gates[0]!.delegate_may_sign).toBe(false);
  });

  it('names the key path of an unknown person, a second entry, a self-delegate and a loop', () => {
    const got = problems(
      base(`  delegates:
    - { person: U0NOBODY, delegate: U01 }
    - { person: U01, delegate: U02 }
    - { person: U02, delegate: U01 }
    - { person: U01, delegate: U0PM }
    - { person: U0PM, delegate: U0PM }`),
    );
    expect(got).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^program\.delegates\.0\.person: U0NOBODY is not named anywhere else/),
        expect.stringMatching(/^program\.delegates\.3\.person: U01 already has a delegate \(program\.delegates\.1\)/),
        expect.stringMatching(/^program\.delegates\.4\.delegate: a person cannot be their own delegate/),
        expect.stringMatching(/^program\.delegates\.2\.delegate: delegate loop U01 → U02 → U01/),
      ]),
    );
  });

  it('refuses a status that is not an emoji code', () => {
    expect(problems(base('  away_statuses: [palm_tree]'))).toEqual([expect.stringMatching(/^program\.away_statuses\.0: expected a Slack emoji code/)]);
  });
});
