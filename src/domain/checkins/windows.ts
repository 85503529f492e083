import { type CheckinDays, daysMayMeet } from './days.js';

/*
 * The answer windows of one workstream's check-ins (or the program's), and where two of them would keep someone in
 * two open windows at once (issue 18). Pure, and free of config imports: src/config/schema/checkins.ts validates with it
 * and domain/checkins/plans.ts gives the scheduler and the preview the same windows.
 */

/** One check-in of a workstream (or of the program), as its window needs it. */
export interface WindowSpec {
  /** Local wall-clock time it opens, "HH:MM" (in each participant's own zone: the same wall clock for all of them). */
  at: string;
  /** Its own `close_after` in ms, when it sets one; undefined when it takes the default. */
  closeAfterMs: number | undefined;
  /**
   * The longest default window in ms: `checkins.close_after`, else `standup.close_after` (for a workstream's
   * standup, the program's `standup.close_after`).
   */
  defaultCloseAfterMs: number;
  days: CheckinDays;
  /** Who it prompts: user IDs (or emails as written; an email is compared case-insensitively). */
  participants: readonly string[];
}

/** A check-in's answer window. */
export interface CheckinWindow {
  /** How long after its prompt it closes, ms. */
  closeAfterMs: number;
  /** When a later check-in cut the default short: its index in the list (it opens when this one closes); else null. */
  closedBy: number | null;
}

/** Two check-ins whose windows would both be open for the same people, on a day both can run. */
export interface WindowOverlap {
  /** Indexes in the list, `first` < `second`. */
  first: number;
  second: number;
  /** The people both prompt, in the order the second lists them. */
  people: string[];
}

/** Milliseconds after local midnight of an "HH:MM" wall-clock time. */
export function wallClockMs(at: string): number {
  const [h, m] = at.split(':').map(Number) as [number, number];
  return (h * 60 + m) * 60_000;
}

const personKey = (p: string) => (p.includes('@') ? p.toLowerCase() : p);

function shared(a: WindowSpec, b: WindowSpec): string[] {
  const keys = new Set(a.participants.map(personKey));
  return [...new Set(b.participants.filter((p) => keys.has(personKey(p))))];
}

/**
 * The answer window of each check-in of one workstream (or of the program), by the rule of issue 18:
 * - a check-in that sets `close_after` keeps it;
 * - otherwise its window lasts until the next check-in of the list that prompts one of its participants, on a day
 *   both can run (`daysMayMeet`), opens (seed 000's 11:00 / 13:00 / 15:00 checkpoints: two hours each), and at most
 *   its default (`defaultCloseAfterMs`). Check-ins for other people (a leads' check-in during the members') do not
 *   shorten it.
 * Wall-clock times of one day: a window that runs past midnight is not cut by the next day's check-ins.
 * @returns one window per check-in, in list order.
 */
export function checkinWindows(list: readonly WindowSpec[]): CheckinWindow[] {
  return list.map((c) => {
    if (c.closeAfterMs !== undefined) return { closeAfterMs: c.closeAfterMs, closedBy: null };
    const start = wallClockMs(c.at);
    let window: CheckinWindow = { closeAfterMs: c.defaultCloseAfterMs, closedBy: null };
    list.forEach((next, j) => {
      const gap = wallClockMs(next.at) - start;
      if (gap > 0 && gap < window.closeAfterMs && shared(c, next).length && daysMayMeet(c.days, next.days)) window = { closeAfterMs: gap, closedBy: j };
    });
    return window;
  });
}

/**
 * Every pair of check-ins that would hold someone in two open windows at once: their windows (`at` … `at` + the
 * window, wall clock) overlap, they can fall on the same day, and they prompt the same person. Windows of check-ins
 * for different people may overlap (a members' checkpoint and a leads' sync).
 * @param windows from {@link checkinWindows}, in list order.
 */
export function windowOverlaps(list: readonly WindowSpec[], windows: readonly CheckinWindow[]): WindowOverlap[] {
  const out: WindowOverlap[] = [];
  list.forEach((b, second) => {
    const bStart = wallClockMs(b.at);
    for (let first = 0; first < second; first++) {
      const a = list[first]!;
      const aStart = wallClockMs(a.at);
      if (!(aStart < bStart + windows[second]!.closeAfterMs && bStart < aStart + windows[first]!.closeAfterMs)) continue;
      const people = shared(a, b);
      if (people.length && daysMayMeet(a.days, b.days)) out.push({ first, second, people });
    }
  });
  return out;
}
