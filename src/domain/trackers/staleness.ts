import { DateTime } from 'luxon';

/*
 * "LAUNCH tasks last synced 14:05" (issue 21): which tracker sources `/gonogo` and the digest warn about, and how
 * the time reads. Pure: the sync state comes from services/trackers/status.ts, `now` and the poll period from the
 * caller. Times are Unix ms (UTC instants).
 */

/** One source's sync state, with its configured reconcile poll period (`tasks_from[i].<tracker>.poll_every`, ms). */
export interface TrackerSyncState {
  /** `Jira LAUNCH`, `Linear ENG`, `GitHub acme/launch`. */
  label: string;
  /** The last whole sync without a fault; null when none succeeded yet. */
  lastSyncedAt: number | null;
  /** The last fault, for people ("unavailable: 503"); null once a sync succeeds. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** The poll period in ms. */
  pollEveryMs: number;
}

/** A source to warn about: its tasks may be out of date. `reason` is short, plain text (tracker text: escape it). */
export interface StaleTracker {
  label: string;
  lastSyncedAt: number | null;
  reason: string;
}

/** A sync older than this many poll periods is stale (one missed poll is normal jitter, two are not). */
export const STALE_AFTER_POLLS = 2;

/** The longest reason shown (a tracker's error text can be long). */
const REASON_MAX = 120;

/**
 * The sources whose tasks may be out of date at `now`, in the order given: those with a `lastError` (reason: the
 * error, cut to 120 characters), those whose last sync is older than {@link STALE_AFTER_POLLS} × the poll period
 * (reason: "no sync for 25 min"). A healthy source is left out, and so is one never synced without an error (its
 * first sync is still running: a fault would have set `lastError`).
 */
export function staleTrackers(states: readonly TrackerSyncState[], now: number): StaleTracker[] {
  const out: StaleTracker[] = [];
  for (const s of states) {
    const limit = STALE_AFTER_POLLS * s.pollEveryMs;
    if (s.lastError) {
      const reason = s.lastError.trim().replace(/\s+/g, ' ');
      out.push({ label: s.label, lastSyncedAt: s.lastSyncedAt, reason: reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 1)}…` : reason || 'sync failed' });
    } else if (s.lastSyncedAt !== null && now - s.lastSyncedAt > limit) {
      out.push({ label: s.label, lastSyncedAt: s.lastSyncedAt, reason: `no sync for ${Math.round((now - s.lastSyncedAt) / 60_000)} min` });
    }
  }
  return out;
}

/**
 * "14:05" when `at` falls on `now`'s day in `zone` (IANA), else "Fri 4 Dec 14:05": the time of a last sync as the
 * program's people read it.
 */
export function syncedAtText(at: number, now: number, zone: string): string {
  const t = DateTime.fromMillis(at, { zone });
  return t.hasSame(DateTime.fromMillis(now, { zone }), 'day') ? t.toFormat('HH:mm') : t.toFormat('ccc d LLL HH:mm');
}

/**
 * The context line `/gonogo` and the digest show for one stale source, as plain text (escape it for mrkdwn):
 * "Jira LAUNCH tasks last synced 14:05 — unavailable: 503", or "… not synced yet — …" when none finished.
 */
export function staleTrackerLine(s: StaleTracker, now: number, zone: string): string {
  const when = s.lastSyncedAt === null ? 'not synced yet' : `last synced ${syncedAtText(s.lastSyncedAt, now, zone)}`;
  return `${s.label} tasks ${when} — ${s.reason}`;
}
