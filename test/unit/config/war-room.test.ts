import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';

const base = (warRoom: string) => `
program:
  name: Launch
  timezone: UTC
  pm: U0PM
  channel: C0LAUNCH
  war_room: ${warRoom}
workstreams:
  omega: { name: Team Omega, channel: C0OMEGA, leads: [U0LEAD], members: [U01] }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.line}:${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('program.war_room (issue 23)', () => {
  it('parses the issue’s example: p0_open_for in ms, the default name, public by default', () => {
    const cfg = parseWorkspaceConfig(base('{ when: [no_go, p0_open_for: 30m, gate_failed] }'), 'preflight.yml');
    expect(cfg.program.war_room).toEqual({ when: ['no_go', { p0_open_for: 1_800_000 }, 'gate_failed'], name: 'launch-{program}-war-room', private: false });
    expect(parseWorkspaceConfig(base('{ when: [gate_failed], name: "ops-{program}", private: true }'), 'preflight.yml').program.war_room).toEqual({
      when: ['gate_failed'],
      name: 'ops-{program}',
      private: true,
    });
  });

  it('a bad trigger, a bad duration, no trigger or a name without letters are refused with the line, key path and reason', () => {
    expect(problems(base('{ when: [no_go, p0_open: 30m] }'))).toEqual(['7:program.war_room.when.1: expected no_go, gate_failed or p0_open_for: <duration> (e.g. "p0_open_for: 30m")']);
    expect(problems(base('{ when: [nogo] }'))).toEqual(['7:program.war_room.when.0: expected no_go, gate_failed or p0_open_for: <duration> (e.g. "p0_open_for: 30m") (got "nogo")']);
    expect(problems(base('{ when: [p0_open_for: soon] }'))).toEqual(['7:program.war_room.when.0.p0_open_for: expected a duration such as "30m" (units: s, m, h, d) (got "soon")']);
    expect(problems(base('{ when: [] }'))[0]).toContain('program.war_room.when: name at least one trigger');
    expect(problems(base('{ when: [no_go], name: "---" }'))[0]).toContain('program.war_room.name: the name needs letters or digits');
    expect(problems(base('{ when: [no_go], colour: red }'))[0]).toContain('program.war_room');
  });
});
