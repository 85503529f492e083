import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import type { Deps } from '../../../../src/services/deps.js';
import { planVersion } from '../../../../src/services/plan/version.js';
import { recordPlanVersion } from '../../../../src/services/plan/versions.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

/*
 * What a reload does to check-ins not yet opened (issue 20, "What a change does to what is under way"). The swap is
 * what the plan holder does: later units of work get Deps with the new Program. The clock is fixed (a Tuesday, then
 * the Wednesday after); nothing depends on the hour the test runs at.
 */

const calendar = { workdays: EVERY_DAY_OF_WEEK };
const standup = { at: '10:00', remind_after: '30m', close_after: '4h' };

describe('a reload and the check-ins not opened yet', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });
  /** What a reload does: records the new version in plan_versions (services/plan/reload.ts) and swaps the Program. */
  const swapped = async (deps: Deps, yml: string): Promise<Deps> => {
    const config = resolveProgram(parseWorkspaceConfig(yml, 'preflight.yml'));
    await recordPlanVersion(deps.db, { program: config, version: planVersion(config), appliedAt: deps.clock.now().toJSDate(), appliedBy: 'file', configPath: 'preflight.yml' });
    return { ...deps, config };
  };
  const runs = async () =>
    (await h!.sql<{ checkin_id: string; local_date: string; status: string }>("SELECT checkin_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, status FROM standup_runs ORDER BY id")).map(
      (r) => `${r.checkin_id} ${r.local_date} ${r.status}`,
    );

  it('a removed check-in is not opened again', async () => {
    const midday = { id: 'midday', at: '15:00', remind_after: '15m', close_after: '1h' };
    const OLD = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup, checkins: [midday] })] });
    const NEW = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup })] });
    h = await harness(OLD, '2026-02-03T15:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    expect(await runs()).toEqual(['midday 2026-02-03 open']);

    h.clock.set('2026-02-03T16:30:00Z');
    const after = await swapped(bot.deps, NEW);
    h.clock.set('2026-02-04T12:00:00Z');
    await tick(after);
    h.clock.set('2026-02-04T15:30:00Z');
    await tick(after);
    expect((await runs()).filter((r) => r.includes('2026-02-04'))).toEqual(['standup 2026-02-04 closed']); // the standup (10:00–14:00) runs on; no midday
  });

  it('a moved `at` that lands before now today does not fire late once its window has closed', async () => {
    const OLD = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup: { at: '16:00', remind_after: '30m', close_after: '2h' } })] });
    const NEW = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup: { at: '09:00', remind_after: '30m', close_after: '2h' } })] });
    h = await harness(OLD, '2026-02-03T08:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await tick(bot.deps);

    h.clock.set('2026-02-03T12:00:00Z');
    const after = await swapped(bot.deps, NEW); // the new window (09:00–11:00) closed before the change
    const report = await tick(after);
    expect(report.opened).toBe(0);
    expect(await h.sql('SELECT id FROM standup_prompts')).toHaveLength(0);
    expect(await runs()).toEqual([]);
    h.clock.set('2026-02-03T16:00:00Z'); // the old time no longer opens anything
    expect((await tick(after)).opened).toBe(0);

    h.clock.set('2026-02-04T09:00:00Z'); // the next occurrence opens at the new time
    expect((await tick(after)).opened).toBe(1);
    expect(await runs()).toContain('standup 2026-02-04 open');
  });

  it('a moved `at` that lands before now today opens late while its window is still open (as a late start)', async () => {
    const OLD = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup: { at: '16:00', remind_after: '30m', close_after: '2h' } })] });
    const NEW = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup: { at: '11:00', remind_after: '30m', close_after: '2h' } })] });
    h = await harness(OLD, '2026-02-03T08:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await tick(bot.deps);

    h.clock.set('2026-02-03T12:00:00Z');
    const after = await swapped(bot.deps, NEW); // 11:00–13:00 is still open
    expect((await tick(after)).opened).toBe(1);
    const [run] = await h.sql<{ close_at: Date }>('SELECT close_at FROM standup_runs');
    expect(run!.close_at.toISOString()).toBe('2026-02-03T13:00:00.000Z');
    const prompted = await h.sql<{ user_id: string }>('SELECT user_id FROM standup_prompts');
    expect(prompted.map((p) => p.user_id)).toEqual(['U01']);
  });

  it('people added get their first prompt at their next occurrence; people removed get nothing more', async () => {
    const OLD = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01', 'U02'], standup })] });
    const NEW = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01', 'U04'], standup })] });
    h = await harness(OLD, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    h.clock.set('2026-02-03T10:05:00Z');
    const after = await swapped(bot.deps, NEW);
    await tick(after);
    const prompted = async (localDate: string) =>
      (
        await h!.sql<{ user_id: string }>("SELECT p.user_id FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id WHERE to_char(r.local_date, 'YYYY-MM-DD') = $1 ORDER BY p.user_id", [
          localDate,
        ])
      ).map((p) => p.user_id);
    expect(await prompted('2026-02-03')).toEqual(['U01', 'U02']); // the open run keeps its participants: U04 waits

    h.clock.set('2026-02-04T10:00:00Z');
    expect((await tick(after)).opened).toBe(1);
    expect(await prompted('2026-02-04')).toEqual(['U01', 'U04']); // U04's first prompt; nothing for U02
  });

  it('people removed get no reminder in a check-in already open, and no prompt not sent yet', async () => {
    const OLD = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01', 'U02', 'U03'], standup })] });
    const NEW = aConfig({ calendar, workstreams: [aWorkstream({ members: ['U01'], standup })] });
    h = await harness(OLD, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    // U01's and U02's prompts went out (what the prompt worker does); U03's is still to send
    await h.sql("UPDATE deliveries d SET status = 'sent' FROM standup_prompts p WHERE d.kind = 'prompt' AND d.owner_key = p.id::text AND p.user_id IN ('U01', 'U02')");
    h.clock.set('2026-02-03T10:30:00Z'); // the reminders are due
    const after = await swapped(bot.deps, NEW);
    const report = await tick(after);
    expect(report).toMatchObject({ prompts: 0, reminders: 1 }); // U01's reminder only
    const dms = await h.sql<{ kind: string; user_id: string; status: string; last_error: string | null }>(
      "SELECT d.kind, p.user_id, d.status, d.last_error FROM deliveries d JOIN standup_prompts p ON d.owner_key = p.id::text WHERE d.kind IN ('prompt', 'reminder') AND d.status = 'cancelled' ORDER BY d.kind, p.user_id",
    );
    expect(dms).toEqual([
      { kind: 'prompt', user_id: 'U03', status: 'cancelled', last_error: 'removed from the plan' },
      { kind: 'reminder', user_id: 'U02', status: 'cancelled', last_error: 'removed from the plan' },
    ]);
    expect((await tick(after)).reminders).toBe(1); // U02's is not due again
    const prompted = await h.sql<{ user_id: string }>('SELECT user_id FROM standup_prompts ORDER BY user_id');
    expect(prompted.map((p) => p.user_id)).toEqual(['U01', 'U02', 'U03']); // the run keeps its participants
  });
});
