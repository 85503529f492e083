import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { Shift } from './rotation.js';

/*
 * An on-call iCalendar feed → shifts (issue 22). Parsed with ical.js: RRULE and EXDATE expanded, RECURRENCE-ID
 * overrides replacing the occurrence they name, VTIMEZONE definitions honoured (an IANA TZID is converted with
 * luxon's zone data), all-day events covering their local days.
 * Who holds a shift: PagerDuty's and Opsgenie's exports name the person in ATTENDEE (mailto:) and/or SUMMARY; Google
 * Calendar events name them in SUMMARY or DESCRIPTION. The first of: an ATTENDEE's email, an email in SUMMARY, an
 * email in DESCRIPTION, a Slack user ID (U012AB3CD) in SUMMARY.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const SLACK_ID = /\b[UW][A-Z0-9]{8,}\b/;

/** The person an event names ({@link EMAIL} lower-cased, or a Slack user ID), or null. */
export function personOfEvent(vevent: ICAL.Component): string | null {
  for (const att of vevent.getAllProperties('attendee')) {
    const m = EMAIL.exec(String(att.getFirstValue() ?? ''));
    if (m) return m[0].toLowerCase();
  }
  const summary = String(vevent.getFirstPropertyValue('summary') ?? '');
  const description = String(vevent.getFirstPropertyValue('description') ?? '');
  const email = EMAIL.exec(summary) ?? EMAIL.exec(description);
  if (email) return email[0].toLowerCase();
  return SLACK_ID.exec(summary)?.[0] ?? null;
}

/** An ical.js time → a UTC instant. Floating times and all-day dates are read in `fallbackZone`. */
function toInstant(t: ICAL.Time, fallbackZone: string): DateTime {
  const parts = { year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second };
  const tzid = (t.zone as { tzid?: string } | null)?.tzid ?? (t as unknown as { timezone?: string }).timezone;
  if (t.isDate || !tzid || tzid === 'floating') return DateTime.fromObject(parts, { zone: fallbackZone }).toUTC();
  if (tzid === 'UTC' || tzid === 'Z') return DateTime.fromObject(parts, { zone: 'UTC' });
  if (IANAZone.create(tzid).isValid) return DateTime.fromObject(parts, { zone: tzid }).toUTC();
  // a custom VTIMEZONE: ical.js computes the offset from its definition
  return DateTime.fromSeconds(t.toUnixTime(), { zone: 'UTC' });
}

/**
 * The shifts of an iCalendar feed overlapping [from, to): each event occurrence with a person
 * ({@link personOfEvent}); events naming nobody are left out. Instants are UTC.
 * @param fallbackZone IANA zone for floating times and all-day events (the rotation's or the program's).
 * @throws Error (ical.js's parse error) when `text` is not iCalendar.
 */
export function icsShifts(text: string, from: DateTime, to: DateTime, fallbackZone: string): Shift[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const vevents = root.getAllSubcomponents('vevent');
  const byUid = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[] }>();
  vevents.forEach((v, i) => {
    const uid = String(v.getFirstPropertyValue('uid') ?? `#${i}`);
    const entry = byUid.get(uid) ?? { exceptions: [] };
    if (v.hasProperty('recurrence-id')) entry.exceptions.push(v);
    else entry.master = v;
    byUid.set(uid, entry);
  });
  const out: Shift[] = [];
  const push = (start: ICAL.Time, end: ICAL.Time | null, item: ICAL.Component) => {
    const person = personOfEvent(item);
    if (!person) return;
    const s = toInstant(start, fallbackZone);
    const e = end ? toInstant(end, fallbackZone) : start.isDate ? s.setZone(fallbackZone).plus({ days: 1 }).toUTC() : s;
    if (e > from && s < to && e > s) out.push({ start: s, end: e, person });
  };
  for (const { master, exceptions } of byUid.values()) {
    if (!master) {
      // an override whose series is not in the feed stands alone
      for (const ex of exceptions) {
        const ev = new ICAL.Event(ex);
        push(ev.startDate, ev.endDate, ex);
      }
      continue;
    }
    const ev = new ICAL.Event(master);
    for (const ex of exceptions) ev.relateException(ex);
    if (!ev.isRecurring()) {
      push(ev.startDate, ev.endDate, master);
      continue;
    }
    const it = ev.iterator();
    const stop = to.plus({ days: 1 });
    for (let n = 0, next = it.next(); next && n < 100_000; n++, next = it.next()) {
      const d = ev.getOccurrenceDetails(next);
      if (toInstant(d.startDate, fallbackZone) >= stop) break;
      push(d.startDate, d.endDate, d.item.component);
    }
  }
  return out.sort((a, b) => a.start.toMillis() - b.start.toMillis());
}
