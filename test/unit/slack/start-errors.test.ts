import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { enterpriseMismatchError, slackStartError } from '../../../src/slack/start-errors.js';

// errors shaped as @slack/web-api throws them (errors.ts: platformErrorFromResult, requestErrorWithOriginal, httpErrorFromResponse)
const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: ErrorCode.PlatformError, data: { ok: false, error } });
const request = (code: string) => Object.assign(new Error('A request error occurred'), { code: ErrorCode.RequestError, original: Object.assign(new Error(code), { code }) });

describe('slackStartError', () => {
  it('names the variable, Slack’s error and where to get a good token, in one line', () => {
    const e = slackStartError(platform('token_revoked'), 'SLACK_BOT_TOKEN');
    expect(e?.message).toBe(
      'Preflight cannot start: Slack rejected SLACK_BOT_TOKEN (token_revoked): copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page (reinstall the app if it was revoked) into SLACK_BOT_TOKEN.',
    );
    expect(e?.message).not.toContain('\n');
    expect(slackStartError(platform('not_allowed_token_type'), 'SLACK_APP_TOKEN')?.message).toMatch(
      /^Preflight cannot start: Slack rejected SLACK_APP_TOKEN \(not_allowed_token_type\): generate an app-level token with the connections:write scope/,
    );
  });

  it('says Slack could not be reached (and to check SLACK_API_URL) for request and HTTP errors', () => {
    expect(slackStartError(request('ECONNREFUSED'), 'SLACK_APP_TOKEN')?.message).toBe(
      'Preflight cannot start: could not reach Slack to check SLACK_APP_TOKEN (ECONNREFUSED): check the network, and SLACK_API_URL if you set it.',
    );
    const http = Object.assign(new Error('An HTTP protocol error occurred: statusCode = 404'), { code: ErrorCode.HTTPError, statusCode: 404 });
    expect(slackStartError(http, 'SLACK_BOT_TOKEN')?.slackError).toBe('HTTP 404');
  });

  it('leaves other errors to the caller', () => {
    expect(slackStartError(new TypeError('bug'), 'SLACK_BOT_TOKEN')).toBeUndefined();
    expect(slackStartError(undefined, 'SLACK_BOT_TOKEN')).toBeUndefined();
  });
});

describe('enterpriseMismatchError (SLACK_ENTERPRISE_ID, issue 24)', () => {
  it('is undefined when auth.test names the same org', () => {
    expect(enterpriseMismatchError('E0ACME', 'E0ACME')).toBeUndefined();
  });
  it('names the variable, both orgs and the fix, in one line', () => {
    const e = enterpriseMismatchError('E0ACME', 'E0GLOBEX');
    expect(e?.variable).toBe('SLACK_ENTERPRISE_ID');
    expect(e?.message).toBe(
      'Preflight cannot start: SLACK_ENTERPRISE_ID is E0ACME, but SLACK_BOT_TOKEN is installed in the Enterprise Grid org E0GLOBEX (auth.test). Set SLACK_ENTERPRISE_ID to E0GLOBEX, or use the bot token of the app installed org-wide in E0ACME.',
    );
    expect(enterpriseMismatchError('E0ACME', null)?.message).toContain('is installed in a workspace outside any Enterprise Grid org');
  });
});
