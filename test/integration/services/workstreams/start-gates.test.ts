import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { verdictInput } from '../../../../src/services/gonogo/facts.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { firstCheckins, startGates } from '../../../../src/services/workstreams/start-gates.js';
import { harness } from '../../../support/harness.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// seed 000 runs its teams for a few days only; a team that joins on day 2 and leaves after it
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York' },
  calendar: { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
  standup: { at: '09:00', remind_after: '30m', close_after: '2h' },
  workstreams: [
    aWorkstream({ id: 'core', name: 'Core', channel: 'C0CORE', leads: undefined }),
    aWorkstream({ id: 'day2', name: 'Day two', channel: 'C0DAY2', leads: undefined, members: ['U02'], active: { from: '2026-02-05', until: '2026-02-05T10:00' } }),
  ],
});

describe('active from/until: the scheduler guard on real Postgres', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  afterEach(async () => h?.cleanup());

  const runs = async () =>
    await h!.sql<{ workstream_id: string; local_date: string; status: string }>("SELECT workstream_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, status FROM standup_runs ORDER BY id");

  it('opens no check-in before from or after until, records none as missed, and /gonogo says not started / ended', async () => {
    h = await harness(YAML, '2026-02-04T14:05:00Z'); // 09:05 in New York, the day before `from`
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    expect(await runs()).toEqual([{ workstream_id: 'core', local_date: '2026-02-04', status: 'open' }]);
    const before = (await verdictInput(bot.deps)).workstreams.find((w) => w.id === 'day2')!.activity;
    expect(before.state === 'not_started' && before.from.toISO()).toBe('2026-02-05T05:00:00.000Z');
    // its first check-in is the one on `from`
    const first = await firstCheckins(bot.deps, 'day2', bot.deps.clock.now(), await startGates(bot.deps.db));
    expect(first?.openAt.toISO()).toBe('2026-02-05T14:00:00.000Z');

    h.clock.set('2026-02-05T14:05:00Z');
    await tick(bot.deps);
    expect((await runs()).filter((r) => r.workstream_id === 'day2')).toEqual([{ workstream_id: 'day2', local_date: '2026-02-05', status: 'open' }]);

    // the next day is after `until`: nothing opens, and a bot down all day records nothing as missed
    h.clock.set(DateTime.fromISO('2026-02-06T23:00:00Z'));
    await tick(bot.deps);
    expect((await runs()).filter((r) => r.workstream_id === 'day2').map((r) => r.local_date)).toEqual(['2026-02-05']);
    const after = (await verdictInput(bot.deps)).workstreams.find((w) => w.id === 'day2')!.activity;
    expect(after.state === 'ended' && after.until.toISO()).toBe('2026-02-05T15:00:00.000Z');
    expect(await firstCheckins(bot.deps, 'day2', bot.deps.clock.now(), await startGates(bot.deps.db))).toBeNull();
  });
});
