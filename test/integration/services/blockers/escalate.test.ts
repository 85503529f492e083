import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { standupTimeAwayFromNow } from '../../../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';

const LADDER = {
  sweep_every: '1s',
  ladders: {
    P1: [
      { after: '1s', notify: 'lead' },
      { after: '2s', notify: 'pm' },
      { after: '3s', notify: 'exec' },
    ],
  },
};
// real time (BullMQ delayed jobs), so ws1's scheduled standup is kept away from now: no prompt to U01/U02 at any hour or day
/** The program with LADDER, plus `escalation` keys (repeat, stop_when). */
const config = (escalation: Record<string, unknown> = {}) =>
  aConfig({
    program: { name: 'Launch', execs: ['U0EXEC'] },
    calendar: { workdays: EVERY_DAY_OF_WEEK },
    escalation: { ...LADDER, ...escalation },
    workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', 'U02'], standup: { at: standupTimeAwayFromNow('UTC') } })],
  });
/** Each level's threshold in ms after the raise, from LADDER. */
const DUE_MS = { U0LEAD: 1_000, U0PM: 2_000, U0EXEC: 3_000 } as const;
/**
 * How late a ping may come and still pass: a level is picked up by its delayed job or, at worst, the next
 * sweep (1 s), and on a loaded 2-core box (load average ~4.5) jobs, Postgres and the Slack fake each wait for a
 * core. Measured: up to ~1 s late. Never early (0 tolerance on that side).
 */
const LATE_TOLERANCE_MS = 4_000;

describe('escalation on real Postgres and Redis, second-scale thresholds', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack>;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });
  const pings = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user && String(a.text).includes('needs you'));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('fires the ladder in order, once per level, and keeps the blocker message and thread current', async () => {
    slack = nockSlack();
    h = await harness(config(), 'real-time');
    const bot = await h.process({ sweepMs: 1_000 });
    const t0 = Date.now();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Alpaca sandbox returns 500', severity: 'P1', owner: 'U02', source: 'command' });
    expect(res.ok).toBe(true);
    const when: Record<string, number> = {};
    await eventually(
      'lead, PM and exec pinged',
      () => {
        for (const u of ['U0LEAD', 'U0PM', 'U0EXEC']) if (!when[u] && pings(u).length) when[u] = Date.now() - t0;
        return Object.keys(when).length === 3;
      },
      DUE_MS.U0EXEC + LATE_TOLERANCE_MS + 2_000,
    );
    // in order, never before the level's threshold (t0 is taken before the raise), at most LATE_TOLERANCE_MS late
    expect(when.U0PM!).toBeGreaterThan(when.U0LEAD!);
    expect(when.U0EXEC!).toBeGreaterThan(when.U0PM!);
    for (const [u, due] of Object.entries(DUE_MS)) {
      expect(when[u], `${u} pinged at ${when[u]} ms, due at ${due} ms`).toBeGreaterThanOrEqual(due);
      expect(when[u], `${u} pinged at ${when[u]} ms, due at ${due} ms`).toBeLessThan(due + LATE_TOLERANCE_MS + 1_000); // + the poll and the fake's answer
    }
    await sleep(1_500);
    expect([pings('U0LEAD').length, pings('U0PM').length, pings('U0EXEC').length]).toEqual([1, 1, 1]);
    const dm = JSON.stringify(pings('U0PM')[0]!.args.blocks);
    expect(dm).toContain('escalated to level 2 of 3');
    expect(dm).toContain('Alpaca sandbox returns 500');
    expect(dm).toContain('"action_id":"blocker_resolve"');
    // the thread: one line per level, in order, each saying an age (whole seconds) no less than the level's threshold
    const thread = slack.of('chat.postMessage', (a) => a.channel === 'C0BLK' && a.thread_ts).map((c) => String(c.args.text));
    const lines = thread.map((t) => /Escalated to <@(\w+)> after (\d+)s \(level (\d) of 3\)/.exec(t));
    expect(lines.map((m) => m && [m[1], Number(m[3])])).toEqual([
      ['U0LEAD', 1],
      ['U0PM', 2],
      ['U0EXEC', 3],
    ]);
    for (const m of lines) {
      const due = DUE_MS[m![1] as keyof typeof DUE_MS] / 1_000;
      expect(Number(m![2]), m![0]).toBeGreaterThanOrEqual(due);
      expect(Number(m![2]), m![0]).toBeLessThanOrEqual(due + LATE_TOLERANCE_MS / 1_000);
    }
    const notices = await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM blocker_notices n JOIN deliveries d ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE d.status = 'sent'");
    expect(notices[0]!.n).toBe(3);
    await eventually('message shows level 3', () => slack.of('chat.update', (a) => a.channel === 'C0BLK' && JSON.stringify(a.blocks ?? []).includes('level 3 of 3')).length > 0);
  });

  it('acknowledging stops re-pings to the acknowledger, not the resolution clock; resolving stops it all', async () => {
    slack = nockSlack();
    h = await harness(config({ repeat: { every: '1s', max: 5 } }), 'real-time');
    const bot = await h.process({ sweepMs: 1_000 });
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'No staging DB', severity: 'P1', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    await eventually('lead pinged', () => pings('U0LEAD').length === 1, 5_000);
    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'acknowledge' })).ok).toBe(true);
    await eventually('PM still pinged after the lead acknowledged', () => pings('U0PM').length === 1, 5_000);
    const execDms = () => slack.of('chat.postMessage', (a) => a.channel === 'U0EXEC').length;
    await eventually('exec pinged, then a repeat', () => execDms() >= 2, 8_000);
    // the exec acknowledges: the repeats to them stop although the blocker is still open
    expect((await actOnBlocker(bot.deps, id, 'U0EXEC', { kind: 'acknowledge' })).ok).toBe(true);
    const seen = execDms();
    await sleep(2_500);
    expect(execDms()).toBe(seen);
    expect((await actOnBlocker(bot.deps, id, 'U01', { kind: 'resolve' })).ok).toBe(true);
    const after = slack.calls.filter((c) => c.method === 'chat.postMessage' && /^U0/.test(c.args.channel)).length;
    await sleep(2_500);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && /^U0/.test(c.args.channel)).length).toBe(after);
    expect(pings('U0LEAD')).toHaveLength(1);
    const thread = slack.of('chat.postMessage', (a) => a.channel === 'C0BLK' && a.thread_ts).map((c) => String(c.args.text));
    expect(thread).toContain('👀 Acknowledged by <@U0LEAD>');
    expect(thread.some((t) => /✅ Resolved by <@U01> after \d+s/.test(t))).toBe(true);
  });

  it('stop_when: acknowledged ends the ladder at the acknowledgement', async () => {
    slack = nockSlack();
    h = await harness(config({ stop_when: 'acknowledged' }), 'real-time');
    const bot = await h.process({ sweepMs: 1_000 });
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Flaky CI', severity: 'P1', source: 'command' });
    await eventually('lead pinged', () => pings('U0LEAD').length === 1, 5_000);
    await actOnBlocker(bot.deps, res.ok ? res.blocker.id : 0, 'U0LEAD', { kind: 'acknowledge' });
    await sleep(3_000);
    expect(pings('U0PM')).toHaveLength(0);
  });

  it('snooze delays the next ping until it ends, then the ladder resumes; strangers are refused', async () => {
    slack = nockSlack();
    h = await harness(config(), 'real-time');
    const bot = await h.process({ sweepMs: 1_000 });
    const t0 = Date.now();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Waiting on legal', severity: 'P1', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    expect(await actOnBlocker(bot.deps, id, 'U0STRANGER', { kind: 'snooze', ms: 2_500 })).toMatchObject({ ok: false, reason: 'forbidden', refusal: { who: ['U01', 'U0LEAD', 'U0PM', 'U0EXEC'] } });
    expect(await actOnBlocker(bot.deps, id, 'U01', { kind: 'snooze', ms: 24 * 3_600_000 })).toMatchObject({ ok: false, reason: 'invalid' });
    expect((await actOnBlocker(bot.deps, id, 'U01', { kind: 'snooze', ms: 2_500 })).ok).toBe(true);
    await eventually('lead pinged after the snooze', () => pings('U0LEAD').length === 1, 6_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_400);
    await eventually('then the PM', () => pings('U0PM').length === 1, 5_000);
  });

  it('wiping Redis (every key of the bot, job schedulers included) with blockers open still leads to every due ping', async () => {
    slack = nockSlack();
    h = await harness(config(), 'real-time');
    const bot = await h.process({ sweepMs: 1_000, keeperMs: 500 });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: `blocker ${i}`, severity: 'P1', source: 'command' });
      if (r.ok) ids.push(r.blocker.id);
    }
    // the equivalent of FLUSHALL for this bot, without touching other test files sharing this Redis
    const r = new Redis(inject('redisUrl'));
    const keys = await r.keys(`${h.prefix}:*`);
    await r.del(...keys);
    await r.quit();
    await eventually('every level of every blocker pinged', () => ['U0LEAD', 'U0PM', 'U0EXEC'].every((u) => pings(u).length === 3), 12_000);
    await sleep(1_500);
    expect(['U0LEAD', 'U0PM', 'U0EXEC'].map((u) => pings(u).length)).toEqual([3, 3, 3]);
  });

  it('two workers at once (two bot processes) still ping once per level', async () => {
    slack = nockSlack();
    h = await harness(config(), 'real-time');
    const a = await h.process({ sweepMs: 1_000 });
    const b = await h.process({ sweepMs: 1_000 });
    for (let i = 0; i < 5; i++) await raiseBlocker(i % 2 ? a.deps : b.deps, { reporter: 'U01', text: `parallel ${i}`, severity: 'P1', source: 'command' });
    await eventually('all pings', () => ['U0LEAD', 'U0PM', 'U0EXEC'].every((u) => pings(u).length >= 5), 30_000);
    await sleep(2_000);
    expect(['U0LEAD', 'U0PM', 'U0EXEC'].map((u) => pings(u).length)).toEqual([5, 5, 5]);
    const dup = await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT blocker_id, level, attempt, recipient FROM blocker_notices GROUP BY 1,2,3,4 HAVING count(*) > 1) d');
    expect(dup[0]!.n).toBe(0);
  }, 60_000);
});
