import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { previewToIcs } from '../../../../src/cli/preview/ics.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';

// 8 Mar 2026: New York springs forward (02:00 → 03:00), so its 02:30 check-in happens at 03:30 EDT that day only.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  workstreams: [
    aWorkstream({
      id: 'ops',
      name: 'Ops',
      channel: 'C0OPS',
      leads: undefined,
      members: ['U0NYC', { id: 'U0LHI', timezone: 'Australia/Lord_Howe' }, { id: 'U0KOL', timezone: 'Asia/Kolkata' }],
      standup: { at: '02:30', remind_after: '30m', close_after: '1h' },
    }),
  ],
});
const config = parseWorkspaceConfig(YAML, 'test.yml');
const preview = buildPreview(config, null, '2026-03-07', 3);
const stamp = DateTime.fromISO('2026-03-01T12:00:00Z');
const ics = previewToIcs(preview, 'Launch', stamp);

/** Parses with ical.js (a separate, well-kept iCalendar implementation) and registers the file's VTIMEZONEs. */
function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return cal;
}

describe('previewToIcs (validated with ical.js)', () => {
  const cal = parse(ics);
  const vevents = cal.getAllSubcomponents('vevent');

  it('one VEVENT per check-in occurrence per participant, without RRULE', () => {
    const prompts = preview.events.filter((e) => e.kind === 'checkin_prompt');
    expect(prompts.length).toBeGreaterThan(6);
    expect(vevents).toHaveLength(prompts.length);
    expect(vevents.every((v) => !v.hasProperty('rrule') && !v.hasProperty('rdate'))).toBe(true);
    expect(new Set(vevents.map((v) => v.getFirstPropertyValue('uid'))).size).toBe(vevents.length);
  });

  it('DTSTART/DTEND carry the participant’s TZID, with a VTIMEZONE for each zone, and resolve to the preview’s instants', () => {
    expect(
      cal
        .getAllSubcomponents('vtimezone')
        .map((t) => t.getFirstPropertyValue('tzid'))
        .sort(),
    ).toEqual(['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']);
    for (const e of preview.events.filter((x) => x.kind === 'checkin_prompt')) {
      const v = vevents.find((x) => x.getFirstPropertyValue('uid') === `ops.standup.${e.localDate}.${e.to}@preflight`)!;
      const event = new ICAL.Event(v);
      expect(v.getFirstProperty('dtstart')!.getParameter('tzid')).toBe(e.zone);
      expect(event.startDate.toJSDate().toISOString()).toBe(e.at.toJSDate().toISOString());
      expect(event.endDate.toJSDate().toISOString()).toBe(e.at.plus({ hours: 1 }).toJSDate().toISOString());
    }
  });

  it('the DST day is exact: 02:30 does not exist in New York on 8 Mar, the event starts at 03:30 EDT', () => {
    const v = vevents.find((x) => x.getFirstPropertyValue('uid') === 'ops.standup.2026-03-08.U0NYC@preflight')!;
    expect(v.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART;TZID=America/New_York:20260308T033000');
    expect(new ICAL.Event(v).startDate.toJSDate().toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(String(v.getFirstPropertyValue('description'))).toContain('DST: clocks go forward: 02:30 moves to 03:30.');
    const dayBefore = vevents.find((x) => x.getFirstPropertyValue('uid') === 'ops.standup.2026-03-07.U0NYC@preflight')!;
    expect(new ICAL.Event(dayBefore).startDate.toJSDate().toISOString()).toBe('2026-03-07T07:30:00.000Z');
  });

  it('says what happens in words, and stamps every event with the given instant', () => {
    const v = vevents.find((x) => x.getFirstPropertyValue('uid') === 'ops.standup.2026-03-09.U0KOL@preflight')!;
    expect(v.getFirstPropertyValue('summary')).toBe('Ops · Standup');
    expect(String(v.getFirstPropertyValue('description'))).toBe(
      "Preflight DMs U0KOL the questions of Ops · Standup at 02:30 (Asia/Kolkata).\nOne reminder at 03:00 if not answered by then.\nAnswers close at 03:30; later answers go to the report's thread, marked late.",
    );
    expect(String(v.getFirstPropertyValue('dtstamp'))).toBe('2026-03-01T12:00:00Z');
  });
});
