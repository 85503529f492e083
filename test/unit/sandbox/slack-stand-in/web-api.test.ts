import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';

/** The stand-in as the sandbox runs it (a workspace with known channels), called through Slack's own client. */
describe('the Slack stand-in answers like Slack', () => {
  let standIn: SlackApiFake;
  let slack: WebClient;
  beforeAll(async () => {
    standIn = await new SlackApiFake({ channels: { C0OPEN: { name: 'open' }, G0SECRET: { name: 'secret', isPrivate: true, botIsMember: false } } }).start();
    slack = new WebClient('xoxb-test', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => standIn.stop());

  const error = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { data?: { error?: string } }) => e.data?.error,
    );

  it('refuses unknown channels, private channels it is not in, over-limit blocks and unknown messages', async () => {
    expect(await error(slack.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await error(slack.chat.postMessage({ channel: 'G0SECRET', text: 'x' }))).toBe('not_in_channel');
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
    expect(await error(slack.chat.postMessage({ channel: 'C0OPEN', text: 'x', blocks }))).toBe('invalid_blocks');
    expect(await error(slack.chat.postMessage({ channel: 'C0OPEN', text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }] }))).toBe('invalid_blocks');
    expect(await error(slack.chat.update({ channel: 'C0OPEN', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect(await error(slack.chat.postMessage({ channel: 'C0OPEN', text: 'fine', blocks: blocks.slice(1) }))).toBe('ok');
  });

  it('keeps ephemerals per user, modals per trigger_id’s user, the Home tab per user', async () => {
    await slack.chat.postEphemeral({ channel: 'C0OPEN', user: 'U01', text: 'only you' });
    expect(standIn.surfaces.ephemerals.at(-1)).toMatchObject({ channel: 'C0OPEN', user: 'U01', text: 'only you' });
    expect(await error(slack.views.open({ trigger_id: 'made-up', view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } }))).toBe('invalid_trigger_id');
    const trigger = standIn.surfaces.newTrigger('U02');
    const opened = await slack.views.open({ trigger_id: trigger, view: { type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: [] } });
    expect(standIn.surfaces.modals.get('U02')?.map((v) => v.id)).toEqual([opened.view!.id]);
    await slack.views.update({ view_id: opened.view!.id!, view: { type: 'modal', title: { type: 'plain_text', text: 'Form 2' }, blocks: [] } });
    expect(standIn.surfaces.modals.get('U02')![0]!.view.title.text).toBe('Form 2');
    standIn.applySubmissionAnswer('U02', opened.view!.id!, { response_action: 'errors', errors: { b1: 'Required' } });
    expect(standIn.surfaces.modals.get('U02')![0]!.errors).toEqual({ b1: 'Required' });
    standIn.applySubmissionAnswer('U02', opened.view!.id!, null);
    expect(standIn.surfaces.modals.get('U02')).toEqual([]);
    await slack.views.publish({ user_id: 'U03', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(standIn.surfaces.homes.get('U03')!.view.blocks).toHaveLength(1);
  });

  it('a response_url answers ephemerally to who acted, or replaces the message acted on', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0OPEN', text: 'original' });
    const token = standIn.surfaces.newResponseToken({ user: 'U01', channel: 'C0OPEN', messageTs: posted.ts! });
    await fetch(`${standIn.url}response/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', text: 'just you' }) });
    expect(standIn.surfaces.ephemerals.at(-1)).toMatchObject({ user: 'U01', text: 'just you' });
    await fetch(`${standIn.url}response/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'replaced' }) });
    expect(standIn.messages.find('C0OPEN', posted.ts!)?.text).toBe('replaced');
    const bad = await fetch(`${standIn.url}response/nope`, { method: 'POST', body: '{}' });
    expect(await bad.json()).toEqual({ ok: false, error: 'expired_url' });
  });
});

describe('the Slack stand-in plays token rotation once started (issue 24)', () => {
  let standIn: SlackApiFake;
  beforeAll(async () => {
    standIn = await new SlackApiFake().start();
    standIn.rotation.start({ clientId: '1.2', clientSecret: 'secret', refreshToken: 'xoxe-1-first' });
  });
  afterAll(() => standIn.stop());

  const refresh = (refreshToken: string, secret = 'secret') =>
    new WebClient(undefined, { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, headers: { Authorization: `Basic ${Buffer.from(`1.2:${secret}`).toString('base64')}` } })
      .apiCall('oauth.v2.access', { grant_type: 'refresh_token', refresh_token: refreshToken })
      .then(
        (r) => r as Record<string, any>,
        (e: { data?: Record<string, any> }) => e.data!,
      );

  it('exchanges a refresh token once, in Slack’s documented shape; a spent one or a wrong secret is refused', async () => {
    expect(await refresh('xoxe-1-first', 'wrong')).toMatchObject({ ok: false, error: 'bad_client_secret' });
    const first = await refresh('xoxe-1-first');
    expect(first).toMatchObject({ ok: true, token_type: 'bot', expires_in: 43_200, access_token: expect.stringMatching(/^xoxe\.xoxb-/), refresh_token: expect.stringMatching(/^xoxe-/) });
    expect(await refresh('xoxe-1-first')).toMatchObject({ ok: false, error: 'invalid_refresh_token' });
    expect(await refresh(first.refresh_token)).toMatchObject({ ok: true });
  });

  it('answers token_expired to a call with an expired bot token, and serves a current one', async () => {
    standIn.rotation.expire('xoxe.xoxb-1-expired');
    const call = (token: string) =>
      new WebClient(token, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } }).auth.test().then(
        () => 'ok',
        (e: { data?: { error?: string } }) => e.data?.error,
      );
    expect(await call('xoxe.xoxb-1-expired')).toBe('token_expired');
    expect(await call('xoxe.xoxb-1-current')).toBe('ok');
  });
});
