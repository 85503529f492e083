import { readFileSync } from 'node:fs';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { isFromInstallation, requestOrigin } from '../../../../src/slack/middleware/workspace.js';

// docs.slack.dev/authentication/verifying-requests-from-slack worked example (test/fixtures/slack/README.md)
const vector = JSON.parse(readFileSync(new URL('../../../fixtures/slack/payload-examples/signing-test-vector.json', import.meta.url), 'utf8'));

describe('request signatures (the verifier our HTTP receiver runs on every request)', () => {
  const at = (secondsAfter: number) => (Number(vector.x_slack_request_timestamp) + secondsAfter) * 1000;
  const check = (over: { secret?: string; body?: string; signature?: string; now: number }) =>
    isValidSlackRequest({
      signingSecret: over.secret ?? vector.signing_secret,
      body: over.body ?? vector.raw_body,
      headers: { 'x-slack-signature': over.signature ?? vector.expected_x_slack_signature, 'x-slack-request-timestamp': Number(vector.x_slack_request_timestamp) },
      nowMilliseconds: over.now,
    });
  it('accepts the documented vector within 5 minutes (injected clock)', () => {
    expect(check({ now: at(0) })).toBe(true);
    expect(check({ now: at(299) })).toBe(true);
  });
  it('refuses it more than 5 minutes later, or with a wrong secret, body or signature', () => {
    expect(check({ now: at(301) })).toBe(false);
    // (Bolt's verifier only refuses stale timestamps; a future one still needs the secret to be signed)
    expect(check({ now: at(0), secret: 'not-the-secret' })).toBe(false);
    expect(check({ now: at(0), body: `${vector.raw_body}&text=forged` })).toBe(false);
    expect(check({ now: at(0), signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' })).toBe(false);
  });
});

describe('the workspace guard', () => {
  const inst = { teamId: 'T0HOME', enterpriseId: null };
  it('finds the team in every payload shape', () => {
    expect(requestOrigin({ team_id: 'T1' }).teamId).toBe('T1'); // slash command
    expect(requestOrigin({ team: { id: 'T2' } }).teamId).toBe('T2'); // interactions
    expect(requestOrigin({ authorizations: [{ team_id: 'T3', enterprise_id: 'E3' }] })).toMatchObject({ teamId: 'T3', enterpriseId: 'E3' }); // events
  });
  it('serves the installed workspace and refuses others', () => {
    expect(isFromInstallation({ teamId: 'T0HOME', enterpriseId: null }, inst)).toBe(true);
    expect(isFromInstallation({ teamId: 'T0EVIL', enterpriseId: null }, inst)).toBe(false);
    expect(isFromInstallation({ teamId: null, enterpriseId: 'E0OTHER' }, inst)).toBe(false);
  });
  it('for an org-wide install, matches the enterprise (team may be null)', () => {
    const org = { teamId: 'T0HOME', enterpriseId: 'E0ORG' };
    expect(isFromInstallation({ teamId: null, enterpriseId: 'E0ORG' }, org)).toBe(true);
    expect(isFromInstallation({ teamId: 'T0SIBLING', enterpriseId: 'E0ORG' }, org)).toBe(true);
    expect(isFromInstallation({ teamId: 'T0HOME', enterpriseId: 'E0OTHER' }, org)).toBe(false);
  });
});
