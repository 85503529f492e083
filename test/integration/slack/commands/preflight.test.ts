import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, startupPlan } from '../../../../src/services/plan/reload.js';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
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

  it('plan shows the running version, when and by whom; reload is the PM’s, anyone else is told who can', async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-cmd-')), 'preflight.yml');
    writeFileSync(path, YAML);
    const holder = new PlanHolder(await startupPlan({ db: bot.deps.db, clock: bot.deps.clock, path }, resolveProgram(parseWorkspaceConfig(YAML, path))));
    const reloader = createReloader({ deps: bot.deps, lookup: bot.deps.slack, holder, path });
    const app = boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused', plan: { holder, reloader } }));

    const shown = await app.command('/preflight', 'plan', 'U02');
    expect(shown).toMatchObject({ response_type: 'ephemeral' });
    expect(shown.text).toContain(`Plan version \`${holder.current.version}\`, applied by start-up <!date^${Math.floor(holder.current.appliedAt.getTime() / 1_000)}^`);
    expect(shown.text).toContain(path);

    const refused = await app.command('/preflight', 'reload', 'U02');
    expect(refused.text).toBe('Only the PM can reload the plan: <@U0PM>.');

    writeFileSync(path, YAML.replace('name: Web', 'name: Web App'));
    expect((await app.command('/preflight', 'reload', 'U0PM')).text).toBe('Reloading the plan…');
    await eventually('the outcome', () => slack!.of('response_url').length === 1);
    expect(slack!.of('response_url')[0]!.args.text).toBe(`✅ Reloaded: Preflight now runs plan version \`${holder.current.version}\`.`);
    expect(holder.current.appliedBy).toBe('U0PM');
    expect((await app.command('/preflight', 'plan', 'U02')).text).toContain('applied by <@U0PM>');
  });
});
