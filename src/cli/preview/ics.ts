import ical from 'ical-generator';
import type { DateTime } from 'luxon';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Preview } from '../../domain/preview/events.js';

/** The VTIMEZONE block of an IANA zone (timezones-ical-library, built from the IANA tz database), or null if unknown. */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  return Array.isArray(block) && block[0] ? block[0] : null;
}

/**
 * The preview's check-ins as an iCalendar file (RFC 5545), written with ical-generator: one VEVENT per check-in
 * occurrence per participant, from the prompt to the close of their answer window, with DTSTART/DTEND in the
 * participant's own zone (TZID, with a VTIMEZONE for each zone used) and no RRULE, so every DST day is exact.
 * UIDs are stable (`<workstream>.<check-in>.<local date>.<user>@preflight`): importing a newer preview updates
 * the same events.
 * @param stamp DTSTAMP of every event (when the file was made).
 */
export function previewToIcs(preview: Preview, programName: string, stamp: DateTime): string {
  const cal = ical({ name: `${programName}: Preflight check-ins`, prodId: { company: 'Preflight', product: 'preview', language: 'EN' }, timezone: { name: null, generator: vtimezone } });
  for (const e of preview.events) {
    if (e.kind !== 'checkin_prompt' || !e.window) continue;
    const local = (t: DateTime) => t.setZone(e.zone).toFormat('HH:mm');
    const title = e.summary.replace(/: prompt$/, '');
    const lines = [
      `Preflight DMs ${e.to} the questions of ${title} at ${local(e.at)} (${e.zone}).`,
      `One reminder at ${local(e.window.remindAt)} if not answered by then.`,
      `Answers close at ${local(e.window.closeAt)}; later answers go to the report's thread, marked late.`,
      e.dst ? `DST: ${e.dst}.` : null,
    ].filter(Boolean);
    cal.createEvent({
      id: `${e.workstreamId}.${e.checkinId}.${e.localDate}.${e.to}@preflight`,
      start: e.at.setZone(e.zone),
      end: e.window.closeAt.setZone(e.zone),
      timezone: e.zone,
      stamp: stamp.toUTC(),
      summary: title,
      description: lines.join('\n'),
    });
  }
  return cal.toString();
}
