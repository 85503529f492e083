import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { Metrics } from '../../../../src/metrics/metrics.js';
import type { Deps } from '../../../../src/services/deps.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, type PlanAnnouncement, startupPlan } from '../../../../src/services/plan/reload.js';
import { planVersion } from '../../../../src/services/plan/version.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

/*
 * Reload without a restart (issue 20): the reloader on a real Postgres, Slack faked at the HTTP boundary.
 */

const YAML = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ id: 'api', name: 'API' })] });
const CHANGED = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ id: 'api', name: 'API' }), aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB' })] });
const INVALID = `${YAML}\nescalation:\n  ladders:\n    P0:\n      - { after: soon, notify: lead }\n`;

describe('the reloader', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  const start = async (workers = false) => {
    h = await harness(YAML, 'real-time');
    slack = nockSlack();
    const bot = await h.process({ workers });
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-reload-')), 'preflight.yml');
    writeFileSync(path, YAML);
    return { bot, path };
  };
  const replica = async (deps: Deps, path: string, announce?: (a: PlanAnnouncement) => Promise<void>) => {
    const holder = new PlanHolder(await startupPlan({ db: deps.db, clock: deps.clock, path }, resolveProgram(parseWorkspaceConfig(YAML, path))));
    const metrics = new Metrics();
    const reloader = createReloader({
      deps,
      lookup: deps.slack,
      holder,
      path,
      onFailure: () => metrics.configReloadFailed(),
      onApplied: (plan) => metrics.configVersion(plan.version),
      ...(announce ? { announce } : {}),
    });
    return { holder, reloader, metrics };
  };
  const versions = () => h!.sql<{ id: number; version: string; applied_by: string; config_path: string }>('SELECT id, version, applied_by, config_path FROM plan_versions ORDER BY id');

  it('applies a valid file whole and records its version; the same file again changes nothing', async () => {
    const { bot, path } = await start();
    const { holder, reloader, metrics } = await replica(bot.deps, path);
    const first = holder.current;
    expect(first.version).toBe(planVersion(resolveProgram(parseWorkspaceConfig(YAML, path))));
    expect(await reloader.reload('sighup')).toMatchObject({ kind: 'unchanged' });

    writeFileSync(path, CHANGED);
    const outcome = await reloader.reload('U0PM');
    expect(outcome.kind).toBe('applied');
    expect(holder.current.version).not.toBe(first.version);
    expect(Object.keys(holder.current.program.workstreams)).toEqual(['api', 'web']);
    expect(Object.isFrozen(holder.current.program)).toBe(true);
    expect(await versions()).toEqual([
      { id: expect.any(Number), version: first.version, applied_by: 'startup', config_path: path },
      { id: expect.any(Number), version: holder.current.version, applied_by: 'U0PM', config_path: path },
    ]);
    expect((await metrics.exposition()).body).toContain(`preflight_config_version_info{version="${holder.current.version}"} 1`);
  });

  it('keeps the running plan on an invalid file: one DM to the PM with file, line, key path and reason, and the failure counter rises', async () => {
    const { bot, path } = await start(true);
    const { holder, reloader, metrics } = await replica(bot.deps, path);
    const before = holder.current;
    writeFileSync(path, INVALID);
    const outcome = await reloader.reload('file');
    expect(outcome).toMatchObject({ kind: 'invalid', message: expect.stringContaining('escalation.ladders.P0') });
    expect(holder.current).toBe(before);
    expect(await versions()).toHaveLength(1);
    await eventually('the DM to the PM', () => slack!.of('chat.postMessage', (a) => a.channel === 'U0PM').length === 1);
    // the same problem seen again (another file event, another replica): counted and logged again, DMed once
    expect(await reloader.reload('sighup')).toMatchObject({ kind: 'invalid' });
    await new Promise((r) => setTimeout(r, 300));
    expect(slack!.of('chat.postMessage', (a) => a.channel === 'U0PM')).toHaveLength(1);
    // the loader's message: file:line:column, key path, reason
    const line = INVALID.split('\n').findIndex((l) => l.includes('after: soon')) + 1;
    const [dm] = slack!.of('chat.postMessage', (a) => a.channel === 'U0PM');
    expect(dm!.args.text).toContain(`${path}:${line}:`);
    expect(dm!.args.text).toContain('escalation.ladders.P0.0.after: expected a duration');
    expect((await metrics.exposition()).body).toContain('preflight_config_reload_failures_total 2');
  });

  it('another replica follows an announced plan, and never applies an older one', async () => {
    const { bot, path } = await start();
    const b = await replica(bot.deps, path);
    const a = await replica(bot.deps, path, (announcement) => b.reloader.follow(announcement).then(() => {}));
    expect(a.holder.current.serial).toBe(b.holder.current.serial); // one row for the same plan at start-up

    writeFileSync(path, CHANGED);
    expect(await a.reloader.reload('U0PM')).toMatchObject({ kind: 'applied' });
    expect(b.holder.current).toMatchObject({ version: a.holder.current.version, serial: a.holder.current.serial, appliedBy: 'U0PM' });
    expect(await versions()).toHaveLength(2);

    // an announcement of an older row (a late message) changes nothing
    const running = b.holder.current;
    writeFileSync(path, YAML);
    expect(await b.reloader.follow({ serial: running.serial - 1, version: 'older' })).toMatchObject({ kind: 'stale' });
    expect(b.holder.current).toBe(running);
    // nor does a newer one this replica's file does not have yet: nothing recorded, the watcher reloads when it comes
    expect(await b.reloader.follow({ serial: running.serial + 1, version: 'notinthefile' })).toMatchObject({ kind: 'stale' });
    expect(b.holder.current).toBe(running);
    expect(await versions()).toHaveLength(2);
  });
});
