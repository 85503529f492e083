import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';

/** The stand-in's standalone canvases (issue 23's retrospective), called through Slack's own client. */
describe('the Slack stand-in: standalone canvases', () => {
  let standIn: SlackApiFake;
  let slack: WebClient;
  beforeAll(async () => {
    standIn = await new SlackApiFake({ channels: { C0LAUNCH: { name: 'launch' } } }).start();
    slack = new WebClient('xoxb-test', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => standIn.stop());

  it('creates a canvas from Markdown, replaces its content, shares it with a channel; an unknown canvas is canvas_not_found', async () => {
    const created = await slack.canvases.create({ title: 'Retrospective · Launch', document_content: { type: 'markdown', markdown: '# Retro\n' } });
    const id = created.canvas_id!;
    expect(standIn.canvases.canvases.get(id)).toMatchObject({ title: 'Retrospective · Launch', markdown: '# Retro\n' });
    await slack.canvases.edit({ canvas_id: id, changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: '# Retro v2\n' } }] });
    await slack.canvases.access.set({ canvas_id: id, access_level: 'read', channel_ids: ['C0LAUNCH'] });
    const canvas = standIn.canvases.canvases.get(id)!;
    expect(canvas.markdown).toBe('# Retro v2\n');
    expect([...canvas.channels]).toEqual([['C0LAUNCH', 'read']]);
    const error = await slack.canvases.edit({ canvas_id: 'F0NOPE', changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: 'x' } }] }).then(
      () => 'ok',
      (e: { data?: { error?: string } }) => e.data?.error,
    );
    expect(error).toBe('canvas_not_found');
  });
});
