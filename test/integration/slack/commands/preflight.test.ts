import { afterEach, describe, expect, it } from 'vitest';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: [
    aWorkstream({ id: 'api', name: 'API', channel: 'C0API', checklist: ['Runbook', 'Rollback'] }),
    aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: ['U0LEAD2'], members: ['U02'] }),
  ],
});

describe('/preflight', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('answers stats only to the asker, help with the usage, and a mistake with what is wrong and how to write it', async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await raiseBlocker(bot.deps, { reporter: 'U01', text: 'db', severity: 'P0', workstreamId: 'api', source: 'command' });
    const app = boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused' }));

    expect(await app.command('/preflight', 'stats api 7', 'U02')).toBeUndefined(); // acked at once, answered after
    const [answer] = slack.of('response_url');
    expect(answer!.args).toMatchObject({ response_type: 'ephemeral' });
    const seen = JSON.stringify(answer!.args.blocks);
    expect(seen).toContain('📊 Stats · Launch · API');
    expect(seen).toContain('🔴 *API* 0% (new)');
    expect(seen).toContain('1 opened · 0 acknowledged · 0 resolved');
    expect(seen).not.toContain('*Web*');

    const help = await app.command('/preflight', 'help', 'U02');
    expect(help).toMatchObject({ response_type: 'ephemeral', text: 'Preflight' });
    expect(JSON.stringify(help.blocks)).toContain('/preflight stats ws1 7');
    const wrong = await app.command('/preflight', 'stats mobile', 'U02');
    expect(wrong.text).toBe('There is no workstream `mobile`. Workstreams: api, web.');
    expect(JSON.stringify(wrong.blocks)).toContain('/preflight stats ws1 7');
    expect(slack.of('response_url')).toHaveLength(1);
  });
});
