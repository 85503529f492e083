import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { recordEscalationStep, type EscalationStep } from '../../../../src/services/blockers/record-step.js';
import type { BlockerRow } from '../../../../src/services/blockers/rows.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig } from '../../../support/config-factories.js';

const YAML = aConfig({
  escalation: { ladders: { P1: [{ after: '10m', notify: ['U0LEAD', 'U0PM'] }] } },
});

/** Level 1 of `b`'s ladder as escalate() would write it at `now`: one notice due now, one deferred an hour. */
function levelOne(b: BlockerRow, version: number, now: Date): EscalationStep {
  const later = new Date(now.getTime() + 3_600_000);
  return {
    blockerId: b.id,
    version,
    now,
    set: { levelsDone: 1, repeatsDone: 0, lastNotifiedAt: now, nextDueAt: null },
    notices: [
      { recipient: 'U0LEAD', episode: b.episode, level: 0, attempt: 0, dueAt: now, notBefore: now, oncall: null, coveringFor: null },
      { recipient: 'U0PM', episode: b.episode, level: 0, attempt: 0, dueAt: now, notBefore: later, oncall: null, coveringFor: ['U0AWAY'] },
    ],
    event: { kind: 'escalated', at: now, data: { level: 1, to: ['U0LEAD', 'U0PM'] } },
  };
}

describe('one escalation step written in one statement, guarded by the version it was computed from (real Postgres)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  const written = async (blockerId: number) => ({
    notices: await h.sql<{ recipient: string; covering_for: string[] | null; status: string | null }>(
      "SELECT n.recipient, n.covering_for, d.status FROM blocker_notices n LEFT JOIN deliveries d ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE n.blocker_id = $1 ORDER BY n.id",
      [blockerId],
    ),
    events: await h.sql<{ kind: string; line: string | null }>(
      "SELECT e.kind, d.status AS line FROM blocker_events e LEFT JOIN deliveries d ON d.kind = 'thread_line' AND d.owner_key = e.id::text WHERE e.blocker_id = $1 AND e.kind <> 'raised' ORDER BY e.id",
      [blockerId],
    ),
  });

  it('writes the ladder state, the notices, the event and their deliveries at once, and returns the notices due now', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'cert expired', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    const now = new Date('2026-02-03T10:10:00Z');
    const res = await recordEscalationStep(bot.deps.db, levelOne(b!, b!.version, now));
    expect(res).toMatchObject({ version: b!.version + 1, messageVersion: b!.messageVersion + 1, nextDueAt: null });
    const [lead] = await h.sql<{ id: number }>("SELECT id FROM blocker_notices WHERE blocker_id = $1 AND recipient = 'U0LEAD'", [b!.id]);
    expect(res?.dueNoticeIds).toEqual([lead!.id]);
    expect(await written(b!.id)).toEqual({
      notices: [
        { recipient: 'U0LEAD', covering_for: null, status: 'pending' },
        { recipient: 'U0PM', covering_for: ['U0AWAY'], status: 'pending' },
      ],
      events: [{ kind: 'escalated', line: 'pending' }],
    });
    const [row] = await h.sql<{ levels_done: number; last_notified_at: Date }>('SELECT levels_done, last_notified_at FROM blockers WHERE id = $1', [b!.id]);
    expect(row).toEqual({ levels_done: 1, last_notified_at: now });
  });

  it('writes nothing at all when the blocker changed after it was read (acknowledged meanwhile), or was resolved', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'flaky deploy', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    // the step was computed from the row as raised; the lead acknowledges before it is written
    expect(await actOnBlocker(bot.deps, b!.id, 'U0LEAD', { kind: 'acknowledge' })).toMatchObject({ ok: true });
    const now = new Date('2026-02-03T10:10:00Z');
    expect(await recordEscalationStep(bot.deps.db, levelOne(b!, b!.version, now))).toBeNull();
    expect(await written(b!.id)).toEqual({ notices: [], events: [{ kind: 'acknowledged', line: 'pending' }] });
    const [row] = await h.sql<{ version: number; levels_done: number }>('SELECT version, levels_done FROM blockers WHERE id = $1', [b!.id]);
    expect(row).toEqual({ version: b!.version + 1, levels_done: 0 });
    // at the version it has now, but resolved: nothing either
    expect(await actOnBlocker(bot.deps, b!.id, 'U01', { kind: 'resolve' })).toMatchObject({ ok: true });
    const [resolved] = await h.sql<{ version: number }>('SELECT version FROM blockers WHERE id = $1', [b!.id]);
    expect(await recordEscalationStep(bot.deps.db, levelOne(b!, resolved!.version, now))).toBeNull();
    expect((await written(b!.id)).notices).toEqual([]);
  });

  it('a second write of the same step (a duplicate wake-up that read the same row) writes nothing', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'db migration stuck', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    const now = new Date('2026-02-03T10:10:00Z');
    const [first, second] = await Promise.all([recordEscalationStep(bot.deps.db, levelOne(b!, b!.version, now)), recordEscalationStep(bot.deps.db, levelOne(b!, b!.version, now))]);
    expect([first, second].filter((x) => x !== null)).toHaveLength(1);
    const w = await written(b!.id);
    expect(w.notices.map((n) => n.recipient)).toEqual(['U0LEAD', 'U0PM']);
    expect(w.events).toEqual([{ kind: 'escalated', line: 'pending' }]);
  });

  /**
   * Runs `step` while another connection holds an uncommitted `change` of the blocker's row: the step waits on the
   * row lock held by that connection (seen in pg_stat_activity), then the change commits and the step goes on against the row as changed.
   */
  async function whileChanging<T>(blockerId: number, change: string, step: () => Promise<T>): Promise<T> {
    const other = new pg.Client({ connectionString: h.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE blockers SET ${change} WHERE id = $1`, [blockerId]);
      const holder = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const pending = step();
      // the step's statement, blocked by this connection's lock (not any other test's session on the same server)
      const waiting = async () => (await h.sql("SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) AND query LIKE '%blocker_notices%'", [holder])).length > 0;
      await expect.poll(waiting, { timeout: 30_000, interval: 20 }).toBe(true);
      await other.query('COMMIT');
      return await pending;
    } finally {
      await other.end();
    }
  }

  it('a step that waited on a change committed meanwhile (acknowledged while it was being written) writes nothing', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'queue backed up', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    const now = new Date('2026-02-03T10:10:00Z');
    const res = await whileChanging(b!.id, "version = version + 1, acknowledged_by = '{U0LEAD}'", () => recordEscalationStep(bot.deps.db, levelOne(b!, b!.version, now)));
    expect(res).toBeNull();
    expect(await written(b!.id)).toEqual({ notices: [], events: [] });
  });

  it('a step that waited on a change that leaves the version (a DM re-rendered) lands, and keeps that change', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'CDN purge slow', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    const now = new Date('2026-02-03T10:10:00Z');
    const next = new Date('2026-02-03T10:40:00Z');
    const step = { ...levelOne(b!, b!.version, now), set: { levelsDone: 1, repeatsDone: 0, lastNotifiedAt: now, nextDueAt: next } };
    const res = await whileChanging(b!.id, 'dms_rendered_version = 7', () => recordEscalationStep(bot.deps.db, step));
    expect(res).toMatchObject({ version: b!.version + 1, nextDueAt: next });
    expect(res?.nextDueAt).toBeInstanceOf(Date);
    const [row] = await h.sql<{ dms_rendered_version: number; levels_done: number }>('SELECT dms_rendered_version, levels_done FROM blockers WHERE id = $1', [b!.id]);
    expect(row).toEqual({ dms_rendered_version: 7, levels_done: 1 });
  });

  it('a notice reserved before (the same blocker, episode, level, attempt and recipient) is kept: not reserved twice, not due again', async () => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'pager storm', severity: 'P1', source: 'command' });
    const b = r.ok ? r.blocker : null;
    const now = new Date('2026-02-03T10:10:00Z');
    await h.sql("INSERT INTO blocker_notices (blocker_id, episode, level, attempt, recipient, due_at, not_before) VALUES ($1, $2, 0, 0, 'U0LEAD', $3, $3)", [b!.id, b!.episode, now]);
    const res = await recordEscalationStep(bot.deps.db, { ...levelOne(b!, b!.version, now), notices: [levelOne(b!, b!.version, now).notices[0]!] });
    expect(res).toMatchObject({ version: b!.version + 1, dueNoticeIds: [] });
    const w = await written(b!.id);
    expect(w.notices).toEqual([{ recipient: 'U0LEAD', covering_for: null, status: null }]);
    expect(w.events).toEqual([{ kind: 'escalated', line: 'pending' }]);
  });
});
