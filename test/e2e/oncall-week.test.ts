import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { configOnCallAt } from '../../src/domain/oncall/rotation.js';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { withBot } from '../support/with-bot.js';

// Issue 22, "Tests": end to end on the real process, "a simulated week of rotations in three zones against the
// ladder's pings, one for one". The process runs on the real clock, so the week is compressed: three rotations written
// in preflight.yml (Tokyo, Berlin, New York), each handing off every 6 s of its own wall clock (a week of 12-hour
// shifts is 14 hand-offs per rotation: ~84 s), and blockers raised 8 s apart whose ladder steps land in many shifts.
// Each ping is checked against the domain's own rotation function at the instant its step fired (read from the
// blocker's timeline), so the machine's load moves when a step fires, never whom it should reach; and never early.
const SECRET = 'e2e-oncall-week-secret';
const FORM = 'application/x-www-form-urlencoded' as const;
const SHIFT = '6s';
const ROTATIONS = {
  apac: { name: 'APAC', members: ['U0APAC1', 'U0APAC2', 'U0APAC3'], zone: 'Asia/Tokyo' },
  emea: { name: 'EMEA', members: ['U0EMEA1', 'U0EMEA2'], zone: 'Europe/Berlin' },
  amer: { name: 'AMER', members: ['U0AMER1', 'U0AMER2'], zone: 'America/New_York' },
} as const;
const LADDER = [
  { after: '4s', notify: 'oncall:apac' },
  { after: '13s', notify: 'oncall:emea' },
  { after: '23s', notify: ['oncall:amer', 'oncall:apac'] },
];
const AFTER_MS = [4_000, 13_000, 23_000];
const BLOCKERS = 8;
const APART_MS = 8_000;
const people = Object.values(ROTATIONS).flatMap((r) => r.members.map((id) => ({ id, timezone: r.zone })));
const CONFIG = aConfig({
  program: {
    name: 'Launch week',
    oncall: Object.fromEntries(Object.entries(ROTATIONS).map(([id, r]) => [id, { name: r.name, members: r.members, handoff: '00:00', shift: SHIFT, zone: r.zone, start: '2026-01-05' }])),
  },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: { sweep_every: '1s', ladders: { P1: LADDER } },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', ...people], standup: { at: standupTimeAwayFromNow('UTC') } })],
});

/** Who the rotation names at `at`, by the domain's own function (as services/oncall/rotations.ts calls it). */
const onCall = (id: keyof typeof ROTATIONS, at: DateTime) => {
  const r = ROTATIONS[id];
  return configOnCallAt({ members: [...r.members], handoff: '00:00', shiftMs: 6_000, zone: r.zone, start: '2026-01-05' }, at).now;
};

describe('a compressed week of rotations in three zones against the ladder’s pings (real process, real clock)', () => {
  const t = withBot(CONFIG, { label: 'e2eoc', secret: SECRET });
  const post = (body: string) => postToSlackEndpoint(t.bot.baseUrl, SECRET, body, FORM);
  const pings = () => t.fake.ok('chat.postMessage', (a) => String(a?.channel ?? '').startsWith('U0') && String(a?.text ?? '').includes('needs you'));

  it('pings, once each, the person each rotation names at the instant the step fires, never early', async () => {
    for (let i = 0; i < BLOCKERS; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, APART_MS));
      const res = await post(slashCommandBody({ command: '/blocker', text: `Shift check ${i + 1} P1`, userId: 'U01', channelId: 'C0WS1' }));
      expect(res.status).toBe(200);
    }
    // every step of every blocker: 4 pings each (the last level names two rotations)
    const expected = BLOCKERS * 4;
    await t.fake.waitFor('every ladder step pinged', () => pings().length >= expected, 240_000);
    // a few sweeps later, nothing more went out
    await new Promise((r) => setTimeout(r, 3_000));

    const events = (
      await t.sql.query<{ blocker_id: number; at: Date; data: { level: number; to: string[]; oncall?: { rotation: string; userId: string | null; until: number | null }[] }; raised_at: Date }>(
        "SELECT e.blocker_id, e.at, e.data, b.raised_at FROM blocker_events e JOIN blockers b ON b.id = e.blocker_id WHERE e.kind IN ('escalated', 'skipped') ORDER BY e.blocker_id, e.id",
      )
    ).rows;
    expect(events).toHaveLength(BLOCKERS * LADDER.length);
    const want: string[] = [];
    const shiftsSeen = new Set<string>();
    for (const e of events) {
      const at = DateTime.fromJSDate(e.at, { zone: 'UTC' });
      // never early: the step fired at or after the raise + its delay
      expect(e.at.getTime()).toBeGreaterThanOrEqual(e.raised_at.getTime() + AFTER_MS[e.data.level - 1]!);
      const target = LADDER[e.data.level - 1]!.notify;
      const ids = (typeof target === 'string' ? [target] : target).map((x) => x.replace('oncall:', '') as keyof typeof ROTATIONS);
      const who = ids.map((id) => {
        const now = onCall(id, at)!;
        shiftsSeen.add(`${id}@${now.start.toMillis()}`);
        return { id, now };
      });
      expect({ blocker: e.blocker_id, level: e.data.level, to: e.data.to }).toEqual({ blocker: e.blocker_id, level: e.data.level, to: who.map((w) => w.now.person) });
      // the timeline names the shift's end, as the domain computes it
      expect(e.data.oncall?.map((n) => [n.rotation, n.userId, n.until])).toEqual(who.map((w) => [w.id, w.now.person, w.now.end!.toUnixInteger()]));
      for (const w of who) want.push(`${w.now.person} B-${e.blocker_id}`);
    }
    // the steps fell in many shifts of each rotation (a compressed week, not one shift)
    for (const id of Object.keys(ROTATIONS)) expect([...shiftsSeen].filter((s) => s.startsWith(`${id}@`)).length).toBeGreaterThanOrEqual(4);

    // one for one: each DM went once, to the person the step named, about that blocker
    const got = pings().map((c) => `${String(c.args?.channel ?? '')} ${/B-\d+/.exec(String(c.args?.text ?? ''))?.[0] ?? '?'}`);
    expect(got.sort()).toEqual(want.sort());
    const notices = (await t.sql.query<{ n: string }>('SELECT count(*) AS n FROM blocker_notices')).rows[0]!;
    expect(Number(notices.n)).toBe(expected);
  }, 420_000);
});
