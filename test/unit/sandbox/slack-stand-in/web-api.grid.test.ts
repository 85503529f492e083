import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';

/** The stand-in as an org-wide install on Enterprise Grid (issue 24), called through Slack's own client. */
describe('the Slack stand-in on Enterprise Grid', () => {
  let standIn: SlackApiFake;
  let slack: WebClient;
  beforeAll(async () => {
    standIn = await new SlackApiFake({ grid: { enterpriseId: 'E0ACME', teams: ['T0ACMEUS', 'T0ACMEEU'], channels: { C0US: 'T0ACMEUS', C0EU: 'T0ACMEEU', C0APAC: 'T0ACMEAPAC' } } }).start();
    slack = new WebClient('xoxb-test', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => standIn.stop());
  const error = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { data?: { error?: string } }) => e.data?.error,
    );

  it('auth.test names the org and says it is an org-wide install', async () => {
    expect(await slack.auth.test()).toMatchObject({ ok: true, team_id: 'T0ACMEUS', enterprise_id: 'E0ACME', is_enterprise_install: true });
  });
  it('methods that need a workspace refuse a call without team_id, or with a workspace not granted', async () => {
    expect(await error(slack.conversations.create({ name: 'war-room' }))).toBe('missing_argument');
    expect(await error(slack.conversations.create({ name: 'war-room', team_id: 'T0ACMEAPAC' }))).toBe('team_access_not_granted');
    expect(await error(slack.conversations.create({ name: 'war-room', team_id: 'T0ACMEEU' }))).toBe('ok');
    expect(await error(slack.usergroups.list({}))).toBe('missing_argument');
  });
  it("conversations.info gives a channel's workspace, and refuses one in a workspace not granted", async () => {
    expect(await slack.conversations.info({ channel: 'C0EU' })).toMatchObject({ ok: true, channel: { id: 'C0EU', context_team_id: 'T0ACMEEU' } });
    expect(await error(slack.conversations.info({ channel: 'C0APAC' }))).toBe('team_access_not_granted');
    expect(await error(slack.conversations.info({ channel: 'C0NOPE' }))).toBe('channel_not_found');
    // posting needs no team_id: channel and user IDs are org-wide
    expect(await error(slack.chat.postMessage({ channel: 'C0EU', text: 'hello' }))).toBe('ok');
  });
});
