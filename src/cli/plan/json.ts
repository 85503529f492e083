import type { DateTime } from 'luxon';
import type { PlanChange } from '../../domain/plan/plan-diff.js';
import type { PlanComparison } from './comparison.js';

/** An instant as the JSON gives it: UTC ISO and the local time (ISO with the zone's offset), or null. */
function instant(at: DateTime | null, zone: string): { at: string; localTime: string } | null {
  return at && { at: at.toUTC().toISO()!, localTime: at.setZone(zone).toISO()! };
}

/** One change with every key present (null when it does not apply), so review bots can rely on the shape. */
function change(c: PlanChange) {
  return {
    change: c.change,
    subject: c.subject,
    summary: c.summary,
    person: c.person,
    workstreamId: c.workstreamId,
    checkinId: c.checkinId,
    gateId: c.gateId,
    taskId: c.taskId,
    blockerId: c.blockerId,
    localDate: c.localDate,
    zone: c.zone,
    old: instant(c.old, c.zone),
    new: instant(c.new, c.zone),
    oldValue: c.oldValue,
    newValue: c.newValue,
    steps: (c.steps ?? []).map((s) => ({ to: s.to, zone: s.zone, old: instant(s.old, s.zone), new: instant(s.new, s.zone) })),
    note: c.note,
  };
}

/**
 * The comparison as JSON (2-space indented), the shape docs/preview.md ("Plan before apply") documents:
 * `running` (source `database` or `file`, version, file, appliedAt, appliedBy, detail), `new` (file, version),
 * `from`/`until` (UTC ISO), `days`, `programZone`, and `changes`: each with every key, times as
 * `{ at: UTC ISO, localTime: ISO in its zone }` or null.
 */
export function planToJson(c: PlanComparison): string {
  return JSON.stringify(
    {
      running: { ...c.running, appliedAt: c.running.appliedAt?.toISOString() ?? null },
      new: c.next,
      from: c.diff.from.toUTC().toISO(),
      until: c.diff.until.toUTC().toISO(),
      days: c.days,
      programZone: c.diff.programZone,
      changes: c.diff.changes.map(change),
    },
    null,
    2,
  );
}
