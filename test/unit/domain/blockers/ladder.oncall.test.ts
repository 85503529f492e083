import { describe, expect, it } from 'vitest';
import { recipients, stepOutcome, targetLabel } from '../../../../src/domain/blockers/ladder.js';

// issue 22: `notify` lists mixing roles, rotations and people
const roles = { leads: ['ULEAD'], pm: 'UPM', execs: ['UEXEC'], oncall: { omega: ['UANA'], night: [] } };

describe('ladder targets naming rotations', () => {
  it('expands roles, rotations and people in a list, once each, without those who acknowledged', () => {
    expect(recipients(['oncall:omega'], roles, [])).toEqual(['UANA']);
    expect(recipients(['lead', 'oncall:omega', 'UX', 'ULEAD'], roles, [])).toEqual(['ULEAD', 'UANA', 'UX']);
    expect(recipients(['pm', 'oncall:omega'], roles, ['UANA'])).toEqual(['UPM']);
  });
  it('a rotation with nobody known (or unknown to the roles) reaches nobody: the step is skipped as nobody', () => {
    expect(stepOutcome({ level: 0, attempt: 0 }, ['oncall:night'], roles, [])).toEqual({ level: 0, attempt: 0, to: [], skipped: 'nobody' });
    expect(stepOutcome({ level: 0, attempt: 0 }, ['oncall:omega'], { leads: [], pm: 'UPM', execs: [] }, [])).toMatchObject({ skipped: 'nobody' });
  });
  it('labels each item', () => {
    expect(targetLabel(['lead', 'oncall:omega', 'UX'])).toBe('the lead, on call for omega, <@UX>');
  });
});
