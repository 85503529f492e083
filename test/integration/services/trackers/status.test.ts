import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerSources } from '../../../../src/db/schema/index.js';
import { digestStats, scheduledDigest } from '../../../../src/services/digest/scheduled-digest.js';
import { buildSummary } from '../../../../src/services/gonogo/decisions.js';
import { pollEveryOf, staleTrackerSources, trackerSyncStatus } from '../../../../src/services/trackers/status.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';

// Issue 21: "LAUNCH tasks last synced 14:05" in /gonogo and the digest. Three sources of Team Omega (their rows in
// tracker_sources written by hand, as the sync keeps them): Jira polled every 10 min and synced 15 min ago (healthy),
// Linear polled every 5 min (the default) and synced 15 min ago (stale), GitHub synced 2 min ago whose last try failed.
// Tue 24 Nov 2026, New York; the digest at 18:00.
const NOW = '2026-11-24T23:00:05Z'; // 18:00:05 in New York
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', digest: { at: '18:00' } },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      tasks_from: [
        { jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', token_env: 'JIRA_TOKEN', poll_every: '10m' } },
        { linear: { team: 'ENG', token_env: 'LINEAR_TOKEN' } },
        { github: { repo: 'acme/launch', token_env: 'GITHUB_TOKEN' } },
      ],
    }),
    aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB' }),
  ],
});

/** Every mrkdwn and plain text of some blocks, joined (what a reader sees). */
const textOf = (blocks: unknown): string => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
};

describe('tracker sources not synced lately, in /gonogo and the digest', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const ago = (min: number) => new Date(h.clock.now().toMillis() - min * 60_000);

  beforeAll(async () => {
    h = await harness(YAML, NOW);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('with no source synced yet (no rows), nothing is shown', async () => {
    expect(await staleTrackerSources(bot.deps)).toEqual([]);
    expect(textOf((await buildSummary(bot.deps)).blocks)).not.toContain('last synced');
  });

  it('the service reads each source and its poll period from the plan; the rule picks the stale one and the failing one', async () => {
    await bot.deps.db.insert(trackerSources).values([
      { sourceId: 'omega/0', workstreamId: 'omega', kind: 'jira', label: 'Jira LAUNCH', lastSyncedAt: ago(15) },
      { sourceId: 'omega/1', workstreamId: 'omega', kind: 'linear', label: 'Linear ENG', lastSyncedAt: ago(15) },
      { sourceId: 'omega/2', workstreamId: 'omega', kind: 'github', label: 'GitHub acme/launch', lastSyncedAt: ago(2), lastError: 'unavailable: 503 <!channel>', lastErrorAt: ago(1) },
    ]);
    expect(await trackerSyncStatus(bot.deps.db)).toEqual([
      { sourceId: 'omega/0', label: 'Jira LAUNCH', lastSyncedAt: ago(15).getTime(), lastError: null, lastErrorAt: null },
      { sourceId: 'omega/1', label: 'Linear ENG', lastSyncedAt: ago(15).getTime(), lastError: null, lastErrorAt: null },
      { sourceId: 'omega/2', label: 'GitHub acme/launch', lastSyncedAt: ago(2).getTime(), lastError: 'unavailable: 503 <!channel>', lastErrorAt: ago(1).getTime() },
    ]);
    expect(['omega/0', 'omega/1', 'gone/0'].map((id) => pollEveryOf(bot.deps.config, id))).toEqual([600_000, 300_000, 300_000]);
    expect((await staleTrackerSources(bot.deps)).map((s) => `${s.label}: ${s.reason}`)).toEqual(['Linear ENG: no sync for 15 min', 'GitHub acme/launch: unavailable: 503 <!channel>']);
  });

  it('/gonogo: a line per stale source, its time in the program zone, tracker text escaped; the healthy one not', async () => {
    const seen = textOf((await buildSummary(bot.deps)).blocks);
    expect(seen).toContain('⏳ Linear ENG tasks last synced 17:45 — no sync for 15 min');
    expect(seen).toContain('⏳ GitHub acme/launch tasks last synced 17:58 — unavailable: 503 &lt;!channel&gt;');
    expect(seen).not.toContain('Jira LAUNCH');
  });

  it('the digest carries the same lines', async () => {
    expect(await scheduledDigest(bot.deps)).toBe('posted');
    const [digest] = await h.sql<{ blocks: unknown[] }>("SELECT blocks FROM outbound_messages WHERE kind = 'digest'");
    const seen = textOf(digest!.blocks);
    expect(seen).toContain('📊 Daily digest · Launch');
    expect(seen).toContain('⏳ Linear ENG tasks last synced 17:45 — no sync for 15 min');
    expect(seen).toContain('⏳ GitHub acme/launch tasks last synced 17:58 — unavailable: 503 &lt;!channel&gt;');
    expect(seen).not.toContain('Jira LAUNCH');
  });

  it('/preflight stats: the same sources for the program or Team Omega, none for a workstream without sources', async () => {
    expect((await digestStats(bot.deps, null, 1)).staleTrackers.map((s) => s.label)).toEqual(['Linear ENG', 'GitHub acme/launch']);
    expect((await digestStats(bot.deps, 'omega', 1)).staleTrackers.map((s) => s.label)).toEqual(['Linear ENG', 'GitHub acme/launch']);
    expect((await digestStats(bot.deps, 'web', 1)).staleTrackers).toEqual([]);
  });
});
