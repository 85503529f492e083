import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';

const SECRET = 'e2e-board-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;

const CONFIG = aConfig({
  program: { name: 'Phase 11' },
  workstreams: [aWorkstream({ name: 'Broker Integration', members: ['U01'], tasks: [{ id: 'O-1', title: 'MongoDB', owner: 'U01', estimate: 2 }] })],
});

describe('the status board through the real process (issue 23)', () => {
  const t = withBot(CONFIG, { label: 'e2eb', secret: SECRET });
  const task = (text: string) => postToSlackEndpoint(t.bot.baseUrl, SECRET, slashCommandBody({ command: '/task', text, userId: 'U01', channelId: 'C0WS1' }), FORM);

  it('a /task update puts the board in the program channel’s canvas, then edits it in place', async () => {
    await task('progress O-1 50');
    const canvas = () => t.fake.messages.canvases.get('C0LAUNCH');
    await t.fake.waitFor('the board canvas', () => canvas()?.markdown.includes('**Broker Integration** · 🟢 On Track · 50% complete') ?? false, 20_000);
    await task('done O-1');
    await t.fake.waitFor('the board shows O-1 done', () => canvas()?.markdown.includes('**Broker Integration** · 🟢 On Track · 100% complete') ?? false, 20_000);
    expect(t.fake.ok('conversations.canvases.create')).toHaveLength(1);
    expect(t.fake.ok('chat.postMessage', (a) => a.channel === 'C0LAUNCH')).toHaveLength(0);
  });
});
