import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import type { AppliedPlan } from '../../../../src/services/plan/holder.js';
import { planText, reloadText } from '../../../../src/slack/blocks/plan.js';
import { aConfig } from '../../../support/config-factories.js';

const appliedAt = new Date(Date.now() - 3_600_000);
const plan = (appliedBy: string): AppliedPlan => ({
  program: resolveProgram(parseWorkspaceConfig(aConfig(), 'preflight.yml')),
  version: '3f2a9c0d1e2b',
  serial: 2,
  appliedAt,
  appliedBy,
});

describe('planText', () => {
  it('names the version, who applied it (a person or the trigger) and when, in the reader’s zone', () => {
    const unix = Math.floor(appliedAt.getTime() / 1_000);
    expect(planText(plan('U0PM'), 'UTC', '/etc/preflight/preflight.yml')).toMatch(
      new RegExp(`^Plan version \`3f2a9c0d1e2b\`, applied by <@U0PM> <!date\\^${unix}\\^\\{date_short_pretty\\} \\{time\\}\\|[^>]+> from \`/etc/preflight/preflight.yml\`\\.$`),
    );
    expect(planText(plan('startup'), 'UTC', 'p.yml')).toContain('applied by start-up');
    expect(planText(plan('file'), 'UTC', 'p.yml')).toContain('applied by a change of the file');
    expect(planText(plan('sighup'), 'UTC', 'p.yml')).toContain('applied by SIGHUP');
  });
});

describe('reloadText', () => {
  it('says what the reload did', () => {
    expect(reloadText({ kind: 'applied', plan: plan('U0PM') })).toBe('✅ Reloaded: Preflight now runs plan version `3f2a9c0d1e2b`.');
    expect(reloadText({ kind: 'unchanged', plan: plan('U0PM') })).toContain('nothing changed');
    expect(reloadText({ kind: 'stale', version: 'x', plan: plan('U0PM') })).toContain('A newer plan runs already');
    const invalid = reloadText({ kind: 'invalid', message: 'p.yml:3:5 program.pm: required', plan: plan('U0PM') });
    expect(invalid).toContain('the running plan (version `3f2a9c0d1e2b`) stays');
    expect(invalid).toContain('p.yml:3:5 program.pm: required');
  });
});
