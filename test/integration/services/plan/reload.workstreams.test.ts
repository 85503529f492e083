import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import type { Deps } from '../../../../src/services/deps.js';
import { buildSummary } from '../../../../src/services/gonogo/decisions.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

/*
 * What a reload does to a removed workstream's open blockers (issue 20): they keep escalating until resolved. The
 * swap is what the plan holder does (later units of work get Deps with the new Program); the clock is fixed.
 */

const ladders = {
  P1: [
    { after: '10m', notify: 'lead' },
    { after: '20m', notify: 'pm' },
  ],
};
const OLD = aConfig({ escalation: { ladders }, workstreams: [aWorkstream(), aWorkstream({ id: 'ws2', channel: 'C0WS2', leads: ['U0LEAD2'], members: ['U02'] })] });
const NEW = aConfig({ escalation: { ladders }, workstreams: [aWorkstream()] });

describe('a reload that removes a workstream', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });
  const swapped = (deps: Deps, yml: string): Deps => ({ ...deps, config: resolveProgram(parseWorkspaceConfig(yml, 'preflight.yml')) });

  it('its open blockers keep escalating until resolved', async () => {
    h = await harness(OLD, '2026-02-03T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const raised = await raiseBlocker(bot.deps, { reporter: 'U02', text: 'ws2 is stuck', severity: 'P1', workstreamId: 'ws2', source: 'command' });
    if (!raised.ok) throw new Error('not raised');
    const after = swapped(bot.deps, NEW);
    h.clock.set('2026-02-03T09:20:00Z');
    const version = async () => (await h!.sql<{ version: number }>('SELECT version FROM blockers WHERE id = $1', [raised.blocker.id]))[0]!.version;
    // the removed workstream has no lead any more: that level is skipped, and the ladder goes on to the PM
    expect(await escalate(after, raised.blocker.id, await version())).toBe('skipped');
    h.clock.set('2026-02-03T09:30:00Z'); // the ladder's own gap after the skipped level
    expect(await escalate(after, raised.blocker.id, await version())).toBe('notified');
    const notices = await h.sql<{ recipient: string }>('SELECT recipient FROM blocker_notices ORDER BY id');
    expect(notices.map((n) => n.recipient)).toEqual(['U0PM']);
  });

  it('/gonogo lists its open blockers under "removed" (and one at a blocking severity still makes it NO-GO)', async () => {
    h = await harness(OLD, '2026-02-03T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const raised = await raiseBlocker(bot.deps, { reporter: 'U02', text: 'ws2 is down', severity: 'P0', workstreamId: 'ws2', source: 'command' });
    if (!raised.ok) throw new Error('not raised');
    const summary = await buildSummary(swapped(bot.deps, NEW));
    const text = JSON.stringify(summary.blocks);
    expect(summary.text).toContain('NO-GO');
    expect(text).toContain('*Removed from the plan (1)*, open blockers still escalating:\\n`ws2` · 1 P0');
  });
});
