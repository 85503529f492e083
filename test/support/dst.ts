import { DateTime } from 'luxon';

/**
 * The next instant after `from` at which `zone`'s UTC offset changes (luxon, hour by hour, then minute by minute), so
 * DST-night tests derive their date from the zone's own rules at test time, never a fixed date (issue 22).
 * @throws Error when the zone has no transition within 400 days (a zone without DST).
 */
export function nextTransition(zone: string, from: DateTime): DateTime {
  let t = from.setZone(zone).startOf('hour');
  const limit = t.plus({ days: 400 });
  while (t < limit) {
    const next = t.plus({ hours: 1 });
    if (next.offset !== t.offset) {
      let m = t;
      while (m.plus({ minutes: 1 }).offset === t.offset) m = m.plus({ minutes: 1 });
      return m.plus({ minutes: 1 });
    }
    t = next;
  }
  throw new Error(`${zone} has no DST transition within 400 days of ${from.toISO()}`);
}

/**
 * 02:00 local (UTC instant) on the date of `zone`'s next DST transition after `from`; on a spring-forward night,
 * where 02:00 does not exist, luxon moves it to 03:00.
 */
export function twoAmOnNextDstNight(zone: string, from: DateTime): DateTime {
  const t = nextTransition(zone, from);
  return DateTime.fromObject({ year: t.year, month: t.month, day: t.day, hour: 2 }, { zone }).toUTC();
}
