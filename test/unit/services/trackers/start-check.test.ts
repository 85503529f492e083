import { describe, expect, it } from 'vitest';
import { TrackerAuthError, TrackerUnavailableError } from '../../../../src/services/trackers/adapter.js';
import { checkTrackerTokens } from '../../../../src/services/trackers/start-check.js';

// Start-up's token check of the tracker sources (issue 21): a refused token stops start-up naming the variable.
const failing = (err: unknown) => ({ checkTokens: () => Promise.reject(err) });

describe('checkTrackerTokens', () => {
  it('stops start-up with one line naming the variable of a refused token', async () => {
    expect(await checkTrackerTokens(failing(new TrackerAuthError('jira', 'JIRA_TOKEN', '401 Unauthorized')), 'preflight.yml')).toEqual({
      kind: 'stop',
      message: 'Preflight cannot start: jira refused the token in JIRA_TOKEN: 401 Unauthorized. Set a valid token in JIRA_TOKEN (preflight.yml names it in tasks_from).',
    });
  });

  it('stops on a source that cannot be used (a variable not set), naming what the adapter said', async () => {
    const out = await checkTrackerTokens(failing(new Error('LINEAR_API_KEY is not set')), 'preflight.yml');
    expect(out).toEqual({ kind: 'stop', message: 'Preflight cannot start: a tracker source in preflight.yml cannot be used: LINEAR_API_KEY is not set' });
  });

  it('goes on with a warning when a tracker is down or does not answer in time', async () => {
    expect(await checkTrackerTokens(failing(new TrackerUnavailableError('github', '503')), 'preflight.yml')).toEqual({ kind: 'warn', reason: 'github is unavailable: 503' });
    expect(await checkTrackerTokens({ checkTokens: () => new Promise<void>(() => {}) }, 'preflight.yml', 50)).toEqual({ kind: 'warn', reason: 'no answer within 0.05 s' });
    expect(await checkTrackerTokens({ checkTokens: async () => {} }, 'preflight.yml')).toEqual({ kind: 'ok' });
  });
});
