import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { addDays, localDayStart } from '../../../../src/domain/checkins/days.js';
import { dstNote, offsetChangeOn } from '../../../../src/domain/preview/dst.js';
import { localTimeOn } from '../../../../src/domain/checkins/schedule.js';
import { boundaryInstant } from '../../../../src/domain/workstreams/activity.js';
import { buildPreview, previewSpan } from '../../../../src/services/preview/build.js';

/*
 * Zones whose clocks change at midnight (issue 18): Havana goes forward at 00:00 and back at 01:00 to 00:00 (its
 * midnight happens twice); Santiago, Beirut and Cairo go forward at 00:00 and back at 24:00 to 23:00; Asuncion did
 * both until it kept UTC−3 all year (tzdata 2024b). The transitions are read from luxon (ICU's tz data) for 2026 and
 * 2027, and for a zone with none then (Asuncion), for 2023 and 2024: test data, not the clock.
 */
const ZONES = ['America/Havana', 'America/Asuncion', 'America/Santiago', 'Asia/Beirut', 'Africa/Cairo'];

interface Transition {
  zone: string;
  /** The instant of the change. */
  at: DateTime;
  fromOffset: number;
  toOffset: number;
  /** The local date it happens on: the day whose clocks jump, or whose last (Havana: first) hour happens twice. */
  date: string;
}

/** Every offset change of `zone` in the years `from`…`to`, found hour by hour, then to the minute. */
function transitions(zone: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  const end = DateTime.utc(to + 1);
  for (let t = DateTime.utc(from); t < end; t = t.plus({ hours: 1 })) {
    const before = t.setZone(zone).offset;
    const after = t.plus({ hours: 1 }).setZone(zone).offset;
    if (before === after) continue;
    let at = t;
    while (at.setZone(zone).offset === before) at = at.plus({ minutes: 1 });
    // luxon shows an instant in the offset in effect then: the new one, whose date is the day of the change
    out.push({ zone, at, fromOffset: before, toOffset: after, date: at.setZone(zone).toISODate()! });
  }
  return out;
}

const ALL = ZONES.flatMap((zone) => {
  const recent = transitions(zone, 2026, 2027);
  return recent.length ? recent : transitions(zone, 2023, 2024);
});
const wall = (t: DateTime, offset: number) => t.setZone(FixedOffsetZone.instance(offset));
const label = (t: Transition) => `${t.zone} ${t.date} (${t.toOffset > t.fromOffset ? 'forward' : 'back'})`;

describe('zones whose clocks change at midnight (luxon’s tz data)', () => {
  it('each zone changes its clocks, at midnight: the old wall clock reads 00:00 (24:00) or the new one does', () => {
    for (const zone of ZONES) expect(ALL.filter((t) => t.zone === zone).length, zone).toBeGreaterThanOrEqual(2);
    for (const t of ALL) expect([wall(t.at, t.fromOffset).toFormat('HH:mm'), wall(t.at, t.toOffset).toFormat('HH:mm')], label(t)).toContain('00:00');
  });
});

describe.each(ALL.map((t) => [label(t), t] as const))('%s', (_, t) => {
  const forward = t.toOffset > t.fromOffset;
  const offset = (minutes: number) => wall(t.at, minutes).toFormat('ZZ');

  it('the day starts at its first instant and ends where the next one starts: every instant is in exactly one day', () => {
    for (const date of [addDays(t.date, -1), t.date, addDays(t.date, 1)]) {
      const start = localDayStart(date, t.zone);
      expect(start.setZone(t.zone).toISODate(), date).toBe(date);
      expect(start.minus({ milliseconds: 1 }).setZone(t.zone).toISODate(), date).toBe(addDays(date, -1));
      // the lifecycle rule's `active: { from: <date> }` starts there too, and an `until: <date>` ends where the next day starts
      expect(boundaryInstant(date, t.zone).toISO()).toBe(start.toISO());
      expect(boundaryInstant(date, t.zone, true).toISO()).toBe(localDayStart(addDays(date, 1), t.zone).toISO());
    }
  });

  it('the change is on its own day only, at its instant', () => {
    expect(offsetChangeOn(addDays(t.date, -1), t.zone)).toBeNull();
    expect(offsetChangeOn(addDays(t.date, 1), t.zone)).toBeNull();
    const c = offsetChangeOn(t.date, t.zone)!;
    expect(c.at.toISO()).toBe(t.at.toISO());
    expect([c.fromOffset, c.toOffset]).toEqual([t.fromOffset, t.toOffset]);
  });

  it('the notes: a time in the gap says where it moves, a time repeated says so, other lines name the change; the days around say nothing', () => {
    const note = (date: string, at: string) => dstNote(date, t.zone, at, localTimeOn(date, at, t.zone));
    // the half hour after the change, read on the old clock (forward: it does not exist) or the new one (back: the second time)
    const justAfter = wall(t.at.plus({ minutes: 30 }), forward ? t.fromOffset : t.toOffset).toFormat('HH:mm');
    if (forward) {
      expect(note(t.date, justAfter)).toBe(`clocks go forward: ${justAfter} moves to ${t.at.plus({ minutes: 30 }).setZone(t.zone).toFormat('HH:mm')}`);
    } else {
      expect(note(t.date, justAfter)).toBe(`clocks go back: ${justAfter} happens twice; the first one is used (UTC${offset(t.fromOffset)})`);
    }
    const turned = wall(t.at, t.fromOffset);
    const from = turned.toISODate()! > t.date ? '24:00' : turned.toFormat('HH:mm');
    expect(note(t.date, '12:00')).toBe(`clocks go ${forward ? 'forward' : 'back'} at ${from} (to ${wall(t.at, t.toOffset).toFormat('HH:mm')}) today`);
    for (const date of [addDays(t.date, -1), addDays(t.date, 1)]) for (const at of ['00:30', '12:00', '23:30']) expect(note(date, at), `${date} ${at}`).toBeNull();
  });

  it('npm run preview: a 00:30 and a 23:30 check-in on the change day, each once, in the day it belongs to, with its note', () => {
    const config = parseWorkspaceConfig(
      `
program: { name: Launch, timezone: ${t.zone}, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: [mon, tue, wed, thu, fri, sat, sun] }
workstreams:
  ops:
    name: Ops
    channel: C0OPS
    members: [U0ANN]
    checkins:
      - { id: early, at: "00:30", remind_after: 10m, close_after: 20m }
      - { id: late, at: "23:30", remind_after: 10m, close_after: 20m }
`,
      'test.yml',
    );
    // the span of one day is that day exactly (--from <date> --days 1)
    const span = previewSpan(config, t.date, 1);
    expect(span.from.toISO()).toBe(localDayStart(t.date, t.zone).toISO());
    expect(span.until.toISO()).toBe(localDayStart(addDays(t.date, 1), t.zone).toISO());
    const prompts = (date: string) =>
      buildPreview(config, null, date, 1)
        .events.filter((e) => e.kind === 'checkin_prompt')
        .map((e) => ({ checkin: e.checkinId, date: e.localDate, at: e.at.toISO(), dst: e.dst }));
    const day = prompts(t.date);
    expect(day.map((p) => [p.checkin, p.date, p.at])).toEqual([
      ['early', t.date, localTimeOn(t.date, '00:30', t.zone).toISO()],
      ['late', t.date, localTimeOn(t.date, '23:30', t.zone).toISO()],
    ]);
    expect(day.every((p) => p.dst !== null)).toBe(true);
    // the days before and after: their own two prompts, no note
    for (const date of [addDays(t.date, -1), addDays(t.date, 1)]) expect(prompts(date).map((p) => `${p.checkin} ${p.date} ${p.dst}`)).toEqual([`early ${date} null`, `late ${date} null`]);
  });
});

describe('America/Havana in 2026, as issue 18 reports it', () => {
  const zone = 'America/Havana';
  const note = (date: string) => dstNote(date, zone, '00:30', localTimeOn(date, '00:30', zone));

  it('7 Mar: nothing changes; 8 Mar: 00:30 moves to 01:30; 1 Nov: 00:30 happens twice, the first is used', () => {
    expect(note('2026-03-07')).toBeNull();
    expect(note('2026-03-08')).toBe('clocks go forward: 00:30 moves to 01:30');
    expect(note('2026-10-31')).toBeNull();
    expect(note('2026-11-01')).toBe('clocks go back: 00:30 happens twice; the first one is used (UTC-04:00)');
  });

  it('--from 2026-11-01 --days 1 runs from the first midnight, 04:00Z, to the next day’s, 05:00Z: the first 00:30 is in it', () => {
    const config = parseWorkspaceConfig(
      `program: { name: Launch, timezone: ${zone}, pm: U0PM, channel: C0LAUNCH }\ncalendar: { workdays: [mon, tue, wed, thu, fri, sat, sun] }\nworkstreams:\n  ops: { name: Ops, channel: C0OPS, members: [U0ANN], standup: { at: "00:30" } }\n`,
      'test.yml',
    );
    const { from, until } = previewSpan(config, '2026-11-01', 1);
    expect([from.toISO(), until.toISO()]).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    const prompts = (date: string) =>
      buildPreview(config, null, date, 1)
        .events.filter((e) => e.kind === 'checkin_prompt')
        .map((e) => `${e.localDate} ${e.at.toISO()} ${e.dst}`);
    expect(prompts('2026-11-01')).toEqual(['2026-11-01 2026-11-01T04:30:00.000Z clocks go back: 00:30 happens twice; the first one is used (UTC-04:00)']);
    expect(prompts('2026-10-31')).toEqual(['2026-10-31 2026-10-31T04:30:00.000Z null']);
  });
});
