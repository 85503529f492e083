import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { planVersion } from '../../src/services/plan/version.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { withBot } from '../support/with-bot.js';

/*
 * Reload without a restart (issue 20) on the real process: a changed preflight.yml and SIGHUP, then an invalid file.
 * No check-in is ever due (no standups), so the test does not depend on the hour.
 */

const SECRET = 'e2e-reload-signing-secret';
const CONFIG = aConfig({ program: { name: 'Reload' }, workstreams: [aWorkstream({ id: 'api', name: 'API' })] });
const CHANGED = aConfig({ program: { name: 'Reload' }, workstreams: [aWorkstream({ id: 'api', name: 'API' }), aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB' })] });
const INVALID = `${CHANGED}\nescalation:\n  ladders:\n    P0:\n      - { after: soon, notify: lead }\n`;
const versionOf = (yaml: string) => planVersion(resolveProgram(parseWorkspaceConfig(yaml, 'preflight.yml')));

describe('reloading the plan on the real process (SIGHUP, an invalid file)', () => {
  const t = withBot(CONFIG, { label: 'e2ereload', secret: SECRET });
  const shownPlan = async () => {
    const res = await t.post(slashCommandBody({ command: '/preflight', text: 'plan', userId: 'U01' }));
    return ((await res.json()) as { text: string }).text;
  };
  const until = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('shows the running version; after a changed file and SIGHUP, the new one; after an invalid file, still the new one and healthy', async () => {
    expect(await shownPlan()).toContain(`Plan version \`${versionOf(CONFIG)}\`, applied by start-up`);

    writeFileSync(t.configPath(), CHANGED);
    t.sighup();
    await until('the new version', async () => (await shownPlan()).includes(versionOf(CHANGED)));
    const metrics = await (await fetch(`${t.bot.baseUrl}/metrics`)).text();
    expect(metrics).toContain(`preflight_config_version_info{version="${versionOf(CHANGED)}"} 1`);
    expect(metrics).not.toContain(`preflight_config_version_info{version="${versionOf(CONFIG)}"}`);
    const recorded = await t.sql.query<{ version: string }>('SELECT version FROM plan_versions ORDER BY id');
    expect(recorded.rows.map((r) => r.version)).toEqual([versionOf(CONFIG), versionOf(CHANGED)]);

    writeFileSync(t.configPath(), INVALID);
    t.sighup();
    await until('the failure reported', async () => t.bot.output().includes('config reload failed'));
    await until('the PM told', async () => t.fake.ok('chat.postMessage', (a) => a.channel === 'U0PM').length >= 1);
    expect(t.fake.ok('chat.postMessage', (a) => a.channel === 'U0PM')[0]!.args.text).toContain('escalation.ladders.P0.0.after');
    expect((await fetch(`${t.bot.baseUrl}/healthz`)).status).toBe(200);
    expect(await shownPlan()).toContain(versionOf(CHANGED));
    expect(await (await fetch(`${t.bot.baseUrl}/metrics`)).text()).toMatch(/^preflight_config_reload_failures_total [1-9]/m);
  }, 60_000);
});
