import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

/** `team:` and `slack_connect:` (issue 24): optional, backwards compatible, and a bad value names its key. */
describe('Enterprise Grid and Slack Connect keys', () => {
  const problems = (text: string) => {
    try {
      parseWorkspaceConfig(text, 'preflight.yml');
      return '';
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
  };
  it('are optional: a config without them parses with none', () => {
    const parsed = parseWorkspaceConfig(aConfig(), 'preflight.yml');
    expect(parsed.program.team).toBeUndefined();
    expect(parsed.workstreams.ws1!.slack_connect).toBeUndefined();
  });
  it('take workspace IDs on the program and on workstreams', () => {
    const parsed = parseWorkspaceConfig(aConfig({ program: { team: 'T0ACMEUS' }, workstreams: [aWorkstream({ team: 'T0ACMEEU', slack_connect: ['T0GLOBEX'] })] }), 'preflight.yml');
    expect(parsed.program.team).toBe('T0ACMEUS');
    expect(parsed.workstreams.ws1).toMatchObject({ team: 'T0ACMEEU', slack_connect: ['T0GLOBEX'] });
  });
  it('a channel ID or an org ID where a workspace ID belongs is named with its key path', () => {
    const msg = problems(aConfig({ program: { team: 'E0ACME' }, workstreams: [aWorkstream({ slack_connect: ['C0GLOBEX'] })] }));
    expect(msg).toMatch(/program\.team.*expected a Slack workspace ID such as T012AB3CD/);
    expect(msg).toMatch(/workstreams\.ws1\.slack_connect\.0.*expected a Slack workspace ID/);
  });
});
