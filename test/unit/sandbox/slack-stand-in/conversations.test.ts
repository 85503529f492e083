import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';

/** The stand-in's channels (issue 23's war room): create, invite, archive, list, pins, with Slack's documented errors. */
describe('the Slack stand-in manages channels like Slack', () => {
  let standIn: SlackApiFake;
  let slack: WebClient;
  beforeAll(async () => {
    standIn = await new SlackApiFake({ channels: { C0OPEN: { name: 'open' } } }).start();
    slack = new WebClient('xoxb-test', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => standIn.stop());

  const error = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { data?: { error?: string } }) => e.data?.error,
    );

  it('creates a channel the bot can post in, refuses a taken or invalid name, invites, pins and archives it', async () => {
    const made = await slack.conversations.create({ name: 'launch-war-room', is_private: true });
    const id = made.channel!.id!;
    expect(made.channel).toMatchObject({ name: 'launch-war-room', is_private: true, creator: 'UBOTPREFLIGHT' });
    expect(await error(slack.conversations.create({ name: 'launch-war-room' }))).toBe('name_taken');
    expect(await error(slack.conversations.create({ name: 'Launch War Room' }))).toBe('invalid_name_specials');
    expect(await error(slack.conversations.create({ name: 'x'.repeat(81) }))).toBe('invalid_name_maxlength');
    await slack.conversations.invite({ channel: id, users: 'U01,U02' });
    expect(await error(slack.conversations.invite({ channel: id, users: 'U01' }))).toBe('already_in_channel');
    expect(await error(slack.conversations.invite({ channel: id, users: 'U01,U03', force: true }))).toBe('ok');
    expect([...standIn.conversations.channels.get(id)!.members].sort()).toEqual(['U01', 'U02', 'U03', 'UBOTPREFLIGHT']);
    const posted = await slack.chat.postMessage({ channel: id, text: 'why' });
    await slack.pins.add({ channel: id, timestamp: posted.ts! });
    expect(await error(slack.pins.add({ channel: id, timestamp: posted.ts! }))).toBe('already_pinned');
    const link = await slack.chat.getPermalink({ channel: id, message_ts: posted.ts! });
    expect(link.permalink).toBe(`https://example.slack.com/archives/${id}/p${posted.ts!.replace('.', '')}`);
    expect((await slack.conversations.list({ types: 'public_channel,private_channel' })).channels?.map((c) => c.name)).toEqual(['launch-war-room']);
    await slack.conversations.archive({ channel: id });
    expect(await error(slack.conversations.archive({ channel: id }))).toBe('already_archived');
    expect(await error(slack.chat.postMessage({ channel: id, text: 'late' }))).toBe('is_archived');
    expect(await error(slack.conversations.create({ name: 'launch-war-room' }))).toBe('name_taken');
  });

  it('answers a refusal for every call of a method until allowed again', async () => {
    for (const refusal of ['missing_scope', 'restricted_action', 'not_allowed']) {
      standIn.conversations.refuse('conversations.create', refusal);
      expect(await error(slack.conversations.create({ name: `room-${refusal.replace('_', '-')}` }))).toBe(refusal);
      expect(await error(slack.conversations.create({ name: `room-${refusal.replace('_', '-')}` }))).toBe(refusal);
    }
    standIn.conversations.allow('conversations.create');
    expect(await error(slack.conversations.create({ name: 'room-ok' }))).toBe('ok');
  });
});
