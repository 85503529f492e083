import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockerNotices } from '../../../../src/db/schema/index.js';
import { sendNotice } from '../../../../src/services/blockers/delivery.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { blockerTimeline, getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { setOutOfOffice } from '../../../../src/services/checkins/out-of-office.js';
import { refreshRotations } from '../../../../src/services/oncall/rotations.js';
import { threadLine } from '../../../../src/slack/blocks/blocker.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { twoAmOnNextDstNight } from '../../../support/dst.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// Issue 22, "Tests": a P0 blocker at 02:00 on a DST night with the lead away and a delegate, "the same with the
// rotation feed down". The rotation is an iCalendar feed (served by nock, Google Calendar's shape, TZID times) read
// once an hour before the raise; at every step after that the feed answers 503 or refuses the connection, so each
// step uses the last known rotation and says so. The night is the next DST transition of New York, found at test
// time; the clock is injected and moved by hand, escalation driven by hand (no workers).
const ZONE = 'America/New_York';
const FEED_HOST = 'https://calendar.example.com';
const FEED_PATH = '/omega/basic.ics';
const raisedAt = twoAmOnNextDstNight(ZONE, DateTime.now());
const night = raisedAt.setZone(ZONE);
const local = (days: number, hour: number) => DateTime.fromObject({ year: night.year, month: night.month, day: night.day, hour }, { zone: ZONE }).plus({ days });
// the shifts the feed holds, as local wall times: the night shift spans the DST change
const shifts = [
  { person: 'day@example.com', start: local(-1, 9), end: local(-1, 21) },
  { person: 'night@example.com', start: local(-1, 21), end: local(0, 4) },
  { person: 'early@example.com', start: local(0, 4), end: local(0, 12) },
];
const icsTime = (t: DateTime) => t.setZone(ZONE).toFormat("yyyyLLdd'T'HHmmss");
const ICS = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
  'VERSION:2.0',
  'CALSCALE:GREGORIAN',
  'METHOD:PUBLISH',
  'X-WR-TIMEZONE:America/New_York',
  'BEGIN:VTIMEZONE',
  'TZID:America/New_York',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'TZNAME:EDT',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'TZNAME:EST',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
  ...shifts.flatMap((s, i) => [
    'BEGIN:VEVENT',
    `DTSTART;TZID=America/New_York:${icsTime(s.start)}`,
    `DTEND;TZID=America/New_York:${icsTime(s.end)}`,
    'DTSTAMP:20260101T000000Z',
    `UID:shift-${i}@google.com`,
    `SUMMARY:Omega on call: ${s.person}`,
    'STATUS:CONFIRMED',
    'END:VEVENT',
  ]),
  'END:VCALENDAR',
].join('\r\n');

const LADDER = [
  { after: '5m', notify: 'lead' },
  { after: '30m', notify: 'oncall:omega' },
  { after: '150m', notify: ['pm', 'oncall:omega'] },
];
const YAML = aConfig({
  program: { name: 'Launch', timezone: ZONE, oncall: { omega: { name: 'Omega', ics_url: `${FEED_HOST}${FEED_PATH}` } } },
  escalation: { ladders: { P0: LADDER } },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', timezone: ZONE, leads: ['U0LEAD'], members: ['U01', 'U0BEN'] })],
});

describe('a P0 at 02:00 on a DST night, lead away with a delegate, the rotation feed down when the steps fire', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack({ now: () => h?.clock.now().toMillis() ?? Date.now() });
  slack.usersByEmail.set('day@example.com', 'U0DAY');
  slack.usersByEmail.set('night@example.com', 'U0NIGHT');
  slack.usersByEmail.set('early@example.com', 'U0EARLY');
  const userOf: Record<string, string> = { 'day@example.com': 'U0DAY', 'night@example.com': 'U0NIGHT', 'early@example.com': 'U0EARLY' };
  /** Who the feed names at `at` (half-open shifts), from the shifts the test wrote into it. */
  const onCallAt = (at: DateTime) => shifts.find((s) => s.start <= at && at < s.end);
  beforeAll(async () => {
    h = await harness(YAML, raisedAt.minus({ hours: 1 }).toISO()!);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    nock.cleanAll();
    await h.cleanup();
    slack.done();
  });

  it('reaches the delegate, then the person the last known rotation names at each step, once each, never early, and says the rotation is the last known', async () => {
    // the one good read, an hour before the raise
    const readAt = raisedAt.minus({ hours: 1 });
    nock(FEED_HOST).get(FEED_PATH).reply(200, ICS, { 'content-type': 'text/calendar' });
    expect((await refreshRotations(bot.deps, undefined, 10)).map((r) => [r.id, r.ok])).toEqual([['omega', true]]);

    const span = { from: night.minus({ days: 1 }).toISODate()!, until: night.plus({ days: 2 }).toISODate()! };
    await setOutOfOffice(bot.deps, 'U0LEAD', span.from, span.until, 'U0BEN');
    h.clock.set(raisedAt);
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Payments down', severity: 'P0', source: 'command' });
    if (!r.ok) throw new Error('raise failed');
    const id = r.blocker.id;

    // the feed is down at every step: a 503 (each retry too) or a refused connection, in turn
    let down = 0;
    const feedDown = async (at: DateTime) => {
      h.clock.set(at);
      if (down++ % 2 === 0) nock(FEED_HOST).get(FEED_PATH).times(4).reply(503, 'Service Unavailable');
      // (nock 15: an error object leaves fetch hanging; a message makes it reject as a refused connection does)
      else nock(FEED_HOST).get(FEED_PATH).times(4).replyWithError('connect ECONNREFUSED');
      const [res] = await refreshRotations(bot.deps, undefined, 10);
      expect(res).toMatchObject({ id: 'omega', ok: false });
    };
    const step = async (at: DateTime) => {
      h.clock.set(at);
      return escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
    };
    const notices = async () => (await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id))).sort((a, b) => a.id - b.id);

    const dues = LADDER.map((l) => raisedAt.plus({ minutes: Number.parseInt(l.after, 10) }));
    for (const [i, due] of dues.entries()) {
      await feedDown(due.minus({ seconds: 1 }));
      expect(await step(due.minus({ seconds: 1 }))).toBe('not-due');
      expect(await step(due)).toBe('notified');
      // the same instant again reserves nothing more (after the last level the ladder is finished)
      expect(await step(due)).toBe(i === dues.length - 1 ? 'finished' : 'not-due');
    }

    // the rotation's hand-off (04:00 local) falls between the second and third steps on either DST night
    const second = onCallAt(dues[1]!)!;
    const third = onCallAt(dues[2]!)!;
    expect([second.person, third.person]).toEqual(['night@example.com', 'early@example.com']);
    const all = await notices();
    expect(all.map((n) => [n.level, n.recipient])).toEqual([
      [0, 'U0BEN'],
      [1, userOf[second.person]],
      [2, 'U0PM'],
      [2, userOf[third.person]],
    ]);
    // never early: each notice is due at its step's time
    expect(all.map((n) => n.dueAt.toISOString())).toEqual([0, 1, 2, 2].map((i) => dues[i]?.toJSDate().toISOString()));
    const until = DateTime.fromISO(span.until).toFormat('d LLL');
    expect(all[0]!.coveringFor).toEqual([`<@U0LEAD> is away until ${until}; <@U0BEN> is covering`]);
    // the on-call notes name the shift's end (the night shift's, after the DST change) and the last good read
    expect(all[1]!.oncall).toMatchObject({ userId: 'U0NIGHT', until: second.end.toUnixInteger(), source: 'the calendar feed', staleSince: readAt.toUnixInteger() });
    expect(all[3]!.oncall).toMatchObject({ userId: 'U0EARLY', until: third.end.toUnixInteger(), staleSince: readAt.toUnixInteger() });

    // the timeline and the DM say the rotation is the last known
    const lines = (await blockerTimeline(bot.deps.db, id)).filter((e) => e.kind === 'escalated').map((e) => threadLine(e.kind, e.actor, e.data as Record<string, unknown>));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('on call for Omega until');
    expect(lines[1]).toContain(`(last known rotation: the calendar feed could not be read since <!date^${readAt.toUnixInteger()}^`);
    expect(lines[2]).toContain(`(last known rotation: the calendar feed could not be read since <!date^${readAt.toUnixInteger()}^`);
    expect(await sendNotice(bot.deps, all[1]!.id)).toBe('sent');
    const dms = slack.of('chat.postMessage', (a) => a.channel === 'U0NIGHT');
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]?.args?.blocks ?? '')).toContain('last known rotation: the calendar feed could not be read since');
  });
});
