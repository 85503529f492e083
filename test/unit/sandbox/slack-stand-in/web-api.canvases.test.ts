import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenFor } from '../../../../sandbox/screen.js';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';
import type { SandboxDirectory } from '../../../../sandbox/workspace/people.js';

/** Channel canvases and pins in the stand-in, called through Slack's own client, and the sandbox page showing them. */
describe('the Slack stand-in’s channel canvases and pins', () => {
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
  const md = (markdown: string) => ({ type: 'markdown' as const, markdown });

  it('creates one channel canvas, edits it, finds its sections, and shows it in conversations.info', async () => {
    const created = await slack.conversations.canvases.create({ channel_id: 'C0OPEN', title: 'Board', document_content: md('# Gates\n- QA\n# Verdict\nNO-GO') });
    expect(created.canvas_id).toMatch(/^F/);
    expect(await error(slack.conversations.canvases.create({ channel_id: 'C0OPEN', document_content: md('again') }))).toBe('channel_canvas_already_exists');
    const info = await slack.conversations.info({ channel: 'C0OPEN' });
    expect((info.channel as { properties?: { canvas?: { file_id?: string } } }).properties?.canvas?.file_id).toBe(created.canvas_id);
    const found = await slack.canvases.sections.lookup({ canvas_id: created.canvas_id!, criteria: { contains_text: 'Verdict' } });
    expect(found.sections).toHaveLength(1);
    await slack.canvases.edit({ canvas_id: created.canvas_id!, changes: [{ operation: 'replace', section_id: found.sections![0]!.id!, document_content: md('# Verdict\nGO') }] });
    expect(standIn.messages.canvases.get('C0OPEN')!.markdown).toBe('# Gates\n- QA\n# Verdict\nGO');
    await slack.canvases.edit({ canvas_id: created.canvas_id!, changes: [{ operation: 'replace', document_content: md('# All new') }] });
    expect(standIn.messages.canvases.get('C0OPEN')!.markdown).toBe('# All new');
    expect(await error(slack.canvases.edit({ canvas_id: 'F0NOPE', changes: [{ operation: 'replace', document_content: md('x') }] }))).toBe('canvas_not_found');
  });

  it('answers every canvas method with the refusal a free workspace or a missing scope gives', async () => {
    for (const refusal of ['not_allowed', 'missing_scope', 'restricted_action', 'team_tier_cannot_create_channel_canvases']) {
      standIn.messages.canvasRefusal = refusal;
      expect(await error(slack.conversations.canvases.create({ channel_id: 'C0OTHER', document_content: md('x') }))).toBe(refusal);
      expect(await error(slack.canvases.edit({ canvas_id: 'F0CANVAS001', changes: [{ operation: 'replace', document_content: md('x') }] }))).toBe(refusal);
    }
    standIn.messages.canvasRefusal = null;
  });

  it('pins a message once; the page shows the canvas above the channel and the pin', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0OPEN', text: 'board' });
    expect(await error(slack.pins.add({ channel: 'C0OPEN', timestamp: posted.ts! }))).toBe('ok');
    expect(await error(slack.pins.add({ channel: 'C0OPEN', timestamp: posted.ts! }))).toBe('already_pinned');
    expect(await error(slack.pins.add({ channel: 'C0OPEN', timestamp: '1.000001' }))).toBe('message_not_found');
    await slack.canvases.edit({ canvas_id: standIn.messages.canvases.get('C0OPEN')!.id, changes: [{ operation: 'replace', document_content: md('lead: ![](@U0LEAD) <b>') }] });
    const dir = { programName: 'L', people: [{ id: 'U0LEAD', name: 'Team lead', zone: 'UTC' }], channels: [{ id: 'C0OPEN', name: 'open' }] } as unknown as SandboxDirectory;
    const screen = screenFor(standIn, dir, 'U0LEAD', 'C0OPEN');
    expect(screen.conversation).toContain('lead: @Team lead &lt;b&gt;');
    expect(screen.conversation).toContain('📌 Pinned');
    expect(screen.conversation.indexOf('class="canvas"')).toBeLessThan(screen.conversation.indexOf('class="message'));
  });
});
