import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';

const yaml = (board: string) => `
program:
  name: Launch
  timezone: UTC
  pm: U0PM
  channel: C0LAUNCH
${board}
workstreams:
  omega: { name: Team Omega, channel: C0OMEGA, leads: [U0LEAD], members: [U01] }
`;

function problems(text: string): string[] {
  try {
    parseWorkspaceConfig(text, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('program.board (issue 23)', () => {
  it('is optional, and board.include lists sections', () => {
    expect(parseWorkspaceConfig(yaml(''), 'preflight.yml').program.board).toBeUndefined();
    expect(parseWorkspaceConfig(yaml('  board: { include: [gates, verdict] }'), 'preflight.yml').program.board).toEqual({ include: ['gates', 'verdict'] });
  });

  it('names the key path of an unknown section, a section listed twice and an empty list', () => {
    expect(problems(yaml('  board: { include: [gates, risks] }'))).toEqual([expect.stringMatching(/^program\.board\.include\.1: expected one of workstreams, gates, verdict/)]);
    expect(problems(yaml('  board: { include: [gates, gates] }'))).toEqual([expect.stringMatching(/^program\.board\.include: a section is listed twice/)]);
    expect(problems(yaml('  board: { include: [] }'))).toEqual([expect.stringMatching(/^program\.board\.include: list at least one section/)]);
    expect(problems(yaml('  board: { sections: [gates] }'))).toContain('program.board.sections: unknown key "sections" (known keys here: include)');
  });
});
