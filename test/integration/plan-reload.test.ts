import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { announceOn, type PlanTriggers, startPlanTriggers } from '../../src/plan-reload.js';
import { PlanHolder } from '../../src/services/plan/holder.js';
import { createReloader, type PlanAnnouncement, type Reloader, startupPlan } from '../../src/services/plan/reload.js';
import { aConfig, aWorkstream } from '../support/config-factories.js';
import { uniquePrefix } from '../support/db.js';
import { harness } from '../support/harness.js';
import { nockSlack } from '../support/slack-nock.js';

/*
 * The reload triggers on the real file system and Redis: a changed file (also a ConfigMap's symlink swap), SIGHUP,
 * another replica's announcement. The reloader is a recorder here (services/plan/reload.ts has its own tests).
 */

const recorder = () => {
  const calls: string[] = [];
  const followed: PlanAnnouncement[] = [];
  const reloader: Reloader = {
    path: 'unused',
    reload: async (by) => {
      calls.push(by);
      return { kind: 'unchanged' } as never;
    },
    follow: async (a) => {
      followed.push(a);
      return { kind: 'stale' } as never;
    },
  };
  return { calls, followed, reloader };
};
const until = async (what: string, check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPlanTriggers', () => {
  let triggers: PlanTriggers | undefined;
  let publisher: Redis | undefined;
  afterEach(async () => {
    await triggers?.close();
    await publisher?.quit();
    triggers = undefined;
    publisher = undefined;
  });
  const start = (path: string, reloader: Reloader, prefix = uniquePrefix('plan')) => {
    triggers = startPlanTriggers({ path, reloader, log: pino({ level: 'silent' }), subscriber: new Redis(inject('redisUrl')), queuePrefix: prefix, debounceMs: 100 });
    return prefix;
  };

  it('reloads once after a burst of writes to the file, and on SIGHUP until closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-watch-'));
    const path = join(dir, 'preflight.yml');
    writeFileSync(path, 'a: 1\n');
    const r = recorder();
    start(path, r.reloader);
    await triggers!.ready; // the watcher has read the directory, the subscriber listens
    writeFileSync(join(dir, 'other.txt'), 'not the config');
    for (let i = 0; i < 5; i++) writeFileSync(path, `a: ${i}\n`);
    await until('a reload', () => r.calls.length > 0);
    await settle(400);
    expect(r.calls).toEqual(['file']);

    process.emit('SIGHUP', 'SIGHUP');
    expect(r.calls).toEqual(['file', 'sighup']);
    await triggers!.close();
    triggers = undefined;
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('follows a ConfigMap mount: the file links to ..data/preflight.yml and ..data is swapped to a new directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-configmap-'));
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', 'preflight.yml'), 'a: 1\n');
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync(join('..data', 'preflight.yml'), join(dir, 'preflight.yml'));
    const r = recorder();
    start(join(dir, 'preflight.yml'), r.reloader);
    await triggers!.ready;

    // what the kubelet does: write the new version beside the old, point a new link at it, rename it over ..data
    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'preflight.yml'), 'a: 2\n');
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await until('a reload', () => r.calls.length > 0);
    expect(r.calls[0]).toBe('file');
  });

  it('hands another replica’s announcement to the reloader; a malformed one is ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-announce-'));
    const r = recorder();
    const prefix = start(join(dir, 'preflight.yml'), r.reloader);
    publisher = new Redis(inject('redisUrl'));
    await triggers!.ready; // subscribed
    await publisher.publish(`${prefix}:plan`, 'not json');
    await announceOn(publisher, prefix)({ serial: 7, version: 'abcdefabcdef' });
    await until('the announcement', () => r.followed.length > 0);
    expect(r.followed).toEqual([{ serial: 7, version: 'abcdefabcdef' }]);
  });

  /**
   * Two replicas (each its own Deps, holder, reloader and triggers) on one file and one Redis prefix; each records
   * when its holder swapped (`onApplied`, performance.now() ms in this process).
   */
  const twoReplicas = async (yaml: string, debounceMs: number) => {
    const h = await harness(yaml, 'real-time');
    const slack = nockSlack();
    const closers: (() => Promise<void>)[] = [];
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-replicas-')), 'preflight.yml');
    writeFileSync(path, yaml);
    const replicas = [];
    for (const name of ['a', 'b']) {
      const bot = await h.process({ workers: false });
      const holder = new PlanHolder(await startupPlan({ db: bot.deps.db, clock: bot.deps.clock, path }, resolveProgram(parseWorkspaceConfig(yaml, path))));
      const producer = new Redis(inject('redisUrl'));
      const swaps: { version: string; at: number }[] = [];
      const reloader = createReloader({
        deps: bot.deps,
        lookup: bot.deps.slack,
        holder,
        path,
        announce: announceOn(producer, h.prefix),
        onApplied: (plan) => swaps.push({ version: plan.version, at: performance.now() }),
      });
      const t = startPlanTriggers({ path, reloader, log: pino({ level: 'silent' }), subscriber: new Redis(inject('redisUrl')), queuePrefix: h.prefix, debounceMs });
      closers.push(async () => {
        await t.close();
        await producer.quit();
      });
      replicas.push({ name, holder, reloader, ready: t.ready, swaps });
    }
    await Promise.all(replicas.map((r) => r.ready));
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    return {
      h,
      path,
      a,
      b,
      async cleanup() {
        for (const close of closers) await close();
        await h.cleanup();
        slack.done();
      },
    };
  };
  const TWO_WORKSTREAMS = aConfig({ workstreams: [aWorkstream({ id: 'api' }), aWorkstream({ id: 'web', channel: 'C0WEB' })] });
  /** Issue 20, "Done when": two replicas both run the new version within 2 s of each other. */
  const SWAP_SKEW_MS = 2_000;

  it('two replicas on one file: SIGHUP on one, and the other runs the same version (announced over Redis) within 2 s', async () => {
    const r = await twoReplicas(aConfig({ workstreams: [aWorkstream({ id: 'api' })] }), 60_000);
    try {
      const { a, b } = r;
      // the watchers wait a minute here: only the SIGHUP-like reload of a, then b's announcement, act
      writeFileSync(r.path, TWO_WORKSTREAMS);
      expect(await a.reloader.reload('sighup')).toMatchObject({ kind: 'applied' });
      await until('b on the new version', () => b.holder.current.version === a.holder.current.version);
      expect(b.holder.current).toMatchObject({ serial: a.holder.current.serial, appliedBy: 'sighup' });
      expect(Object.keys(b.holder.current.program.workstreams)).toEqual(['api', 'web']);
      expect(a.swaps).toHaveLength(1);
      expect(b.swaps).toHaveLength(1);
      expect(Math.abs(a.swaps[0]!.at - b.swaps[0]!.at)).toBeLessThan(SWAP_SKEW_MS);
    } finally {
      await r.cleanup();
    }
  });

  it('two replicas on one file: a change seen by both watchers (and the announcement) is applied once in plan_versions, on both within 2 s', async () => {
    const r = await twoReplicas(aConfig({ workstreams: [aWorkstream({ id: 'api' })] }), 200);
    try {
      const { a, b } = r;
      writeFileSync(r.path, TWO_WORKSTREAMS);
      await until('both on the new version', () => a.swaps.length === 1 && b.swaps.length === 1);
      expect(a.holder.current).toMatchObject({ version: b.holder.current.version, serial: b.holder.current.serial });
      expect(Object.keys(a.holder.current.program.workstreams)).toEqual(['api', 'web']);
      expect(Math.abs(a.swaps[0]!.at - b.swaps[0]!.at)).toBeLessThan(SWAP_SKEW_MS);
      const rows = await r.h.sql<{ version: string }>('SELECT version FROM plan_versions ORDER BY id');
      expect(rows.map((x) => x.version)).toEqual([expect.any(String), a.holder.current.version]);
      await settle(500); // neither swaps again (the later reload of the same file is unchanged, or stale)
      expect([a.swaps.length, b.swaps.length]).toEqual([1, 1]);
    } finally {
      await r.cleanup();
    }
  });
});
