import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosChecks, NOTICE_GRACE_S } from '../../../../bench/launch-day/chaos-checks.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';

const YAML = aConfig({ workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01'] })] });

/*
 * The chaos drill's end checks (bench/launch-day/chaos-checks.ts) on real Postgres: an escalation DM still pending
 * after it came due is a DM not delivered, once it has been due for NOTICE_GRACE_S; one not due yet is not.
 * Due times are set from Postgres's own now(), so the test reads no hour or date.
 */
describe('the chaos drill counts an escalation DM left pending after its due time as not delivered', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let db: pg.Client;
  const noSlack = { calls: [] };
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    bot = await h.process({ workers: false });
    db = new pg.Client({ connectionString: h.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.cleanup();
  });

  /** Reserves an escalation DM of `blockerId` due `dueInS` seconds from Postgres's now (negative: in the past), pending. */
  async function pendingNotice(blockerId: number, recipient: string, dueInS: number): Promise<number> {
    const [n] = await h.sql<{ id: number }>(
      `INSERT INTO blocker_notices (blocker_id, level, attempt, recipient, due_at, not_before)
       VALUES ($1, 0, 0, $2, now() + make_interval(secs => $3), now() + make_interval(secs => $3)) RETURNING id`,
      [blockerId, recipient, dueInS],
    );
    await h.sql(`INSERT INTO deliveries (kind, owner_key, created_at) VALUES ('notice', $1, now())`, [String(n!.id)]);
    return n!.id;
  }

  it('flags a DM pending past its due time plus the grace, and none due later or just due', async () => {
    const raised = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'VPN down', workstreamId: 'ws1', source: 'command' });
    if (!raised.ok) throw new Error(`raising the blocker failed: ${raised.message}`);
    const id = raised.blocker.id;
    const overdue = await pendingNotice(id, 'U0LEAD1', -(NOTICE_GRACE_S + 60));
    await pendingNotice(id, 'U0LEAD2', -Math.floor(NOTICE_GRACE_S / 2));
    await pendingNotice(id, 'U0LEAD3', 600);

    const before = await chaosChecks({ db, fake: noSlack, answersSent: [], blockersSent: [] });
    expect(before.notDelivered['notice pending (due)']).toBe(1);
    expect(before.ok).toBe(false);

    await h.sql(`UPDATE deliveries SET status = 'sent', ts = '1700000000.000100' WHERE kind = 'notice' AND owner_key = $1`, [String(overdue)]);
    const after = await chaosChecks({ db, fake: noSlack, answersSent: [], blockersSent: [] });
    expect(after.notDelivered['notice pending (due)']).toBeUndefined();
    expect(after.escalation.notices).toBe(3);
  });
});
