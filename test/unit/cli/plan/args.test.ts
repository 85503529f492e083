import { describe, expect, it } from 'vitest';
import { PlanUsageError, parsePlanArgs } from '../../../../src/cli/plan/args.js';

describe('parsePlanArgs', () => {
  it('defaults: 3 days, a table, from now on', () => {
    expect(parsePlanArgs(['--config', 'new.yml'])).toEqual({ config: 'new.yml', days: 3, format: 'table', help: false });
  });

  it('every option', () => {
    expect(parsePlanArgs(['--config', 'n.yml', '--days', '7', '--from', '2030-01-07', '--format', 'json'])).toEqual({ config: 'n.yml', days: 7, from: '2030-01-07', format: 'json', help: false });
    expect(parsePlanArgs(['-h']).help).toBe(true);
  });

  it.each([
    [[], /^--config: which new file/],
    [['--config', 'n.yml', '--days', '0'], /^--days 0: expected a whole number of days from 1 to 366$/],
    [['--config', 'n.yml', '--from', '2030-02-30'], /^--from 2030-02-30: expected a date/],
    [['--config', 'n.yml', '--format', 'yaml'], /^--format yaml: expected one of table, json$/],
    [['--config', 'n.yml', '--nope'], /Unknown option '--nope'/],
  ])('%j: a usage error', (argv, message) => {
    expect(() => parsePlanArgs(argv)).toThrow(PlanUsageError);
    expect(() => parsePlanArgs(argv)).toThrow(message);
  });
});
