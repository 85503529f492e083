import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitForm } from '../../../../src/services/checkins/record-answers.js';
import { renderReport } from '../../../../src/services/checkins/report-message.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Two check-ins a day in one channel (Europe/London, winter: UTC+0). No workers: the test renders reports itself,
// in the order it wants.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Europe/London' },
  workstreams: [
    aWorkstream({
      name: 'QA',
      checkins: [
        { id: 'first', at: '10:00', close_after: '1h', remind_after: '10m' },
        { id: 'second', at: '12:00', close_after: '1h', remind_after: '10m' },
      ],
    }),
  ],
});

describe('where a later check-in’s report goes (real Postgres, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const reports = () => slack.of('chat.postMessage', (a) => a.channel === 'C0WS1');
  const run = async (checkin: string, date: string) =>
    (
      await h.sql<{ id: number; report_ts: string | null; report_thread_ts: string | null }>(
        "SELECT id, (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts, report_thread_ts FROM standup_runs WHERE checkin_id = $1 AND local_date = $2",
        [checkin, date],
      )
    )[0]!;

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:00:00Z');
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('waits for the day’s first report, then replies in its thread', async () => {
    await tick(bot.deps);
    h.clock.set('2026-02-03T12:00:00Z');
    await tick(bot.deps);
    const [first, second] = [await run('first', '2026-02-03'), await run('second', '2026-02-03')];
    await expect(renderReport(bot.deps, second.id)).rejects.toThrow(/waits for the day's first report/);
    expect(reports()).toHaveLength(0);
    expect(await renderReport(bot.deps, first.id)).toBe('posted');
    expect(await renderReport(bot.deps, second.id)).toBe('posted');
    const firstTs = (await run('first', '2026-02-03')).report_ts!;
    expect(reports().map((r) => r.args.thread_ts)).toEqual([undefined, firstTs]);
    expect(await run('second', '2026-02-03')).toMatchObject({ report_thread_ts: firstTs });
  });

  it('stands alone when Slack refused the day’s first report for good', async () => {
    h.clock.set('2026-02-04T10:00:00Z');
    await tick(bot.deps);
    h.clock.set('2026-02-04T12:00:00Z');
    await tick(bot.deps);
    const [first, second] = [await run('first', '2026-02-04'), await run('second', '2026-02-04')];
    slack.failNext('chat.postMessage', 200, { ok: false, error: 'channel_not_found' });
    expect(await renderReport(bot.deps, first.id)).toBe('failed');
    expect(await renderReport(bot.deps, second.id)).toBe('posted');
    expect(reports().at(-1)!.args.thread_ts).toBeUndefined();
    expect(await run('second', '2026-02-04')).toMatchObject({ report_thread_ts: null });
  });

  it('a closed report is frozen as it closes; a late answer more than 12 h after the close stays out of it, however it is redrawn', async () => {
    h.clock.set('2026-02-05T10:00:00Z');
    await tick(bot.deps);
    h.clock.set('2026-02-05T11:00:00Z'); // the first check-in closes; U01 never answered
    await tick(bot.deps);
    const first = await run('first', '2026-02-05');
    // frozen by the close itself, before any render: it expects no task and nothing was carried over
    expect(await h.sql('SELECT report_frozen FROM standup_runs WHERE id = $1', [first.id])).toEqual([{ report_frozen: { expected: null, carriedOver: [] } }]);
    expect(await renderReport(bot.deps, first.id)).toBe('posted');
    expect(JSON.stringify(reports().at(-1)!.args.blocks)).toContain('Did not answer (1):* <@U01>');
    // 13 h after the close U01 answers through the form: the answer goes to the thread only
    h.clock.set('2026-02-06T00:00:01Z');
    expect(await submitForm(bot.deps, 'U01', first.id, { yesterday: 'x', today: 'Much later', blockers: '-', progress: 5, risk: 'green' })).toMatchObject({ kind: 'saved', late: true });
    // something else redraws the report (the day index, a skip): it still says U01 did not answer
    await h.sql('UPDATE standup_runs SET report_version = report_version + 1 WHERE id = $1', [first.id]);
    expect(await renderReport(bot.deps, first.id)).toBe('updated');
    const redrawn = JSON.stringify(slack.of('chat.update', (a) => a.channel === 'C0WS1').at(-1)!.args.blocks);
    expect(redrawn).toContain('Did not answer (1):* <@U01>');
    expect(redrawn).not.toContain('Much later');
    expect(redrawn).not.toContain('_late_');
  });
});
