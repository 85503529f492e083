import { afterEach, describe, expect, it } from 'vitest';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

const YAML = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ id: 'api', name: 'API', channel: 'C0API', members: ['U01'] })] });

describe('/preflight retro (issue 23)', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('the PM gets the retro as a canvas in the program channel, then brought up to date; anyone else is told who can', async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const app = boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused' }));

    expect((await app.command('/preflight', 'retro', 'U01')).text).toBe('Only the PM can draft the retrospective: <@U0PM>.');
    expect(slack.of('canvases.create')).toEqual([]);

    expect((await app.command('/preflight', 'retro', 'U0PM')).text).toBe('Drafting the retrospective from the record…');
    await eventually('the outcome', () => slack!.of('response_url').length === 1);
    expect(slack.of('response_url')[0]!.args.text).toBe('📝 The retrospective is drafted from the record as a canvas, shared with <#C0LAUNCH>. Type `/preflight retro` again to bring it up to date.');
    expect(slack.of('canvases.access.set')).toHaveLength(1);

    await app.command('/preflight', 'retro', 'U0PM');
    await eventually('the second outcome', () => slack!.of('response_url').length === 2);
    expect(slack.of('response_url')[1]!.args.text).toBe('📝 The retrospective canvas shared with <#C0LAUNCH> is up to date with the record.');
    expect(slack.of('canvases.create')).toHaveLength(1);
    expect(slack.of('canvases.edit')).toHaveLength(1);
  });

  it('where canvases are refused, the PM is told the retro went out as a Markdown file, and why', async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const app = boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused' }));
    slack.failNext('canvases.create', 200, { ok: false, error: 'missing_scope' });
    await app.command('/preflight', 'retro', 'U0PM');
    await eventually('the outcome', () => slack!.of('response_url').length === 1);
    expect(slack.of('response_url')[0]!.args.text).toBe('📝 Canvases are not available in this workspace (`missing_scope`), so the retrospective went to <#C0LAUNCH> as a Markdown file.');
  });
});
