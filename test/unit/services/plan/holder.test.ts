import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { type AppliedPlan, isNewer, PlanHolder } from '../../../../src/services/plan/holder.js';
import { reloadDecision } from '../../../../src/services/plan/reload.js';
import { aConfig } from '../../../support/config-factories.js';

const program = resolveProgram(parseWorkspaceConfig(aConfig(), 'preflight.yml'));
const plan = (serial: number, version: string): AppliedPlan => ({ program, version, serial, appliedAt: new Date(), appliedBy: 'file' });

describe('reloadDecision', () => {
  it('leaves the same version alone and applies another', () => {
    expect(reloadDecision({ version: 'aaaaaaaaaaaa' }, 'aaaaaaaaaaaa')).toBe('unchanged');
    expect(reloadDecision({ version: 'aaaaaaaaaaaa' }, 'bbbbbbbbbbbb')).toBe('apply');
  });
});

describe('PlanHolder', () => {
  it('swaps in a later plan', () => {
    const holder = new PlanHolder(plan(1, 'v1'));
    expect(holder.apply(plan(2, 'v2'))).toBe(true);
    expect(holder.current.version).toBe('v2');
  });

  it('never applies a plan older than (or as old as) the one it runs', () => {
    const holder = new PlanHolder(plan(5, 'v5'));
    expect(holder.apply(plan(4, 'v4'))).toBe(false);
    expect(holder.apply(plan(5, 'other'))).toBe(false);
    expect(holder.current.version).toBe('v5');
    expect(isNewer({ serial: 5 }, { serial: 6 })).toBe(true);
  });
});
