import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { harness, type Process } from '../../../support/harness.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({ escalation: { ladders: { P1: [{ after: '10m', notify: 'lead' }] } }, workstreams: [aWorkstream({ blockers_channel: 'C0BLK' })] });

// raiseBlocker writes the blocker and its `raised` event in one statement (a data-modifying CTE)
describe('raiseBlocker (fixed clock, no workers)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('stores the blocker with its frozen ladder and first due time, and one raised event off the thread', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'the sandbox returns 502', severity: 'P1', owner: 'U0LEAD', source: 'command' }, { deferWakeups: true });
    expect(r.ok).toBe(true);
    const b = r.ok ? r.blocker : null;
    expect(b).toMatchObject({
      workstreamId: 'ws1',
      severity: 'P1',
      text: 'the sandbox returns 502',
      reporter: 'U01',
      owner: 'U0LEAD',
      status: 'open',
      channel: 'C0BLK',
      raisedAt: new Date('2026-02-03T10:00:00Z'),
      nextDueAt: new Date('2026-02-03T10:10:00Z'),
      acknowledgedBy: [],
      version: 1,
      messageVersion: 1,
      messageRenderedVersion: 0,
    });
    expect(b!.policy.ladder).toHaveLength(1);
    // the raised event has no thread line (no delivery)
    const events = await h.sql<{ kind: string; actor: string; at: Date; data: unknown; thread_line: string | null }>(
      "SELECT e.kind, e.actor, e.at, e.data, d.status AS thread_line FROM blocker_events e LEFT JOIN deliveries d ON d.kind = 'thread_line' AND d.owner_key = e.id::text WHERE e.blocker_id = $1",
      [b!.id],
    );
    expect(events).toEqual([{ kind: 'raised', actor: 'U01', at: new Date('2026-02-03T10:00:00Z'), data: { severity: 'P1', owner: 'U0LEAD', text: 'the sandbox returns 502' }, thread_line: null }]);
    const [stored] = await h.sql<{ id: number; next_due_at: Date }>('SELECT id, next_due_at FROM blockers WHERE id = $1', [b!.id]);
    expect(stored).toEqual({ id: b!.id, next_due_at: new Date('2026-02-03T10:10:00Z') });
  });

  it('a standup answer raises one blocker: the second raise writes nothing, neither blocker nor event', async () => {
    const count = async () => (await h.sql<{ b: number; e: number }>('SELECT (SELECT count(*)::int FROM blockers) AS b, (SELECT count(*)::int FROM blocker_events) AS e'))[0]!;
    const input = { reporter: 'U01', text: 'waiting on legal', workstreamId: 'ws1', source: 'standup' as const, standupAnswerId: 4242 };
    const first = await raiseBlocker(bot.deps, input);
    expect(first.ok).toBe(true);
    const before = await count();
    expect(await raiseBlocker(bot.deps, input)).toEqual({ ok: false, reason: 'duplicate', message: 'This standup answer already raised a blocker.' });
    expect(await count()).toEqual(before);
  });
});
