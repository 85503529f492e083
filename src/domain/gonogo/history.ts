import { DateTime } from 'luxon';

/** One row of the go/no-go audit trail, as the history shows it. `at` is an instant; `data` depends on `kind`. */
export interface AuditEntry {
  id: number;
  kind: 'gate_signed' | 'gate_passed' | 'gate_failed' | 'gate_withdrawn' | 'checklist' | 'decision';
  gateId: string | null;
  actor: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** The checklist changes of one workstream on one day (in the program's zone), summed up as one history line. */
export interface ChecklistDay {
  workstream: string;
  /** The day in the program's zone, YYYY-MM-DD. */
  day: string;
  /** Items whose last change that day ticked them, in the order first changed. */
  ticked: string[];
  /** Items whose last change that day unticked them. */
  unticked: string[];
  /** Who changed them, in the order they first did. */
  actors: string[];
  /** The latest change of the group. */
  lastAt: Date;
}

/**
 * Groups checklist ticks per workstream and per day in `zone` (an IANA zone, the program's), so that a lead
 * ticking 30 items makes one history line, not 30. Within a group the last change of an item wins (ticked then
 * unticked the same day counts as unticked). Entries of other kinds are ignored.
 * @param entries audit rows in any order.
 * @returns the groups, newest (by latest change) first.
 */
export function checklistDays(entries: readonly AuditEntry[], zone: string): ChecklistDay[] {
  const groups = new Map<string, { day: ChecklistDay; last: Map<string, boolean> }>();
  for (const e of [...entries].filter((x) => x.kind === 'checklist').sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)) {
    const workstream = String(e.data.workstream ?? '');
    const item = String(e.data.item ?? '');
    const day = DateTime.fromJSDate(e.at, { zone }).toISODate()!;
    const key = `${workstream}\u0000${day}`;
    let g = groups.get(key);
    if (!g) {
      g = { day: { workstream, day, ticked: [], unticked: [], actors: [], lastAt: e.at }, last: new Map() };
      groups.set(key, g);
    }
    g.last.set(item, e.data.checked === true);
    if (e.actor && !g.day.actors.includes(e.actor)) g.day.actors.push(e.actor);
    g.day.lastAt = e.at;
  }
  return [...groups.values()]
    .map(({ day, last }) => ({ ...day, ticked: [...last].filter(([, c]) => c).map(([i]) => i), unticked: [...last].filter(([, c]) => !c).map(([i]) => i) }))
    .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
}
