import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { planVersion } from '../../../../src/services/plan/version.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const programOf = (yaml: string) => resolveProgram(parseWorkspaceConfig(yaml, 'preflight.yml'));

describe('planVersion', () => {
  it('is 12 hex digits, the same for the same plan', () => {
    const v = planVersion(programOf(aConfig()));
    expect(v).toMatch(/^[0-9a-f]{12}$/);
    expect(planVersion(programOf(aConfig()))).toBe(v);
  });

  it('ignores key order and comments: it hashes the resolved plan', () => {
    const yaml = aConfig();
    const reordered = `# a comment\n${yaml}\n\n`;
    expect(planVersion(programOf(reordered))).toBe(planVersion(programOf(yaml)));
    const program = programOf(yaml);
    const shuffled = Object.fromEntries(Object.entries(program).reverse()) as typeof program;
    expect(planVersion(shuffled)).toBe(planVersion(program));
  });

  it('changes when the plan changes', () => {
    const before = planVersion(programOf(aConfig()));
    const after = planVersion(programOf(aConfig({ workstreams: [aWorkstream({ id: 'ws1', name: 'Renamed' })] })));
    expect(after).not.toBe(before);
  });
});
