import { describe, expect, it } from 'vitest';
import { STALE_AFTER_POLLS, staleTrackerLine, staleTrackers, syncedAtText, type TrackerSyncState } from '../../../../src/domain/trackers/staleness.js';

const NOW = Date.UTC(2026, 10, 13, 19, 5);
const POLL = 5 * 60_000;
const state = (over: Partial<TrackerSyncState>): TrackerSyncState => ({ label: 'Jira LAUNCH', lastSyncedAt: NOW - 60_000, lastError: null, lastErrorAt: null, pollEveryMs: POLL, ...over });

describe('staleTrackers (which sources /gonogo and the digest warn about)', () => {
  it('a source synced within two poll periods and without an error is healthy: nothing shown', () => {
    expect(staleTrackers([state({}), state({ lastSyncedAt: NOW - STALE_AFTER_POLLS * POLL })], NOW)).toEqual([]);
  });

  it('older than two poll periods: shown with how long since', () => {
    expect(staleTrackers([state({ lastSyncedAt: NOW - STALE_AFTER_POLLS * POLL - 1 })], NOW)).toEqual([{ label: 'Jira LAUNCH', lastSyncedAt: NOW - 2 * POLL - 1, reason: 'no sync for 10 min' }]);
    // the poll period is the source's own: 30 min polls are not late after 20 min
    expect(staleTrackers([state({ lastSyncedAt: NOW - 20 * 60_000, pollEveryMs: 30 * 60_000 })], NOW)).toEqual([]);
  });

  it('a last error is shown even when the last sync is recent, its text on one line and cut', () => {
    const [s] = staleTrackers([state({ lastError: 'unavailable:\n 503', lastErrorAt: NOW - 1000 })], NOW);
    expect(s).toEqual({ label: 'Jira LAUNCH', lastSyncedAt: NOW - 60_000, reason: 'unavailable: 503' });
    const [long] = staleTrackers([state({ lastError: 'x'.repeat(500) })], NOW);
    expect(long!.reason).toHaveLength(120);
    expect(long!.reason.endsWith('…')).toBe(true);
  });

  it('never synced: shown when an error says why, not while the first sync runs', () => {
    expect(staleTrackers([state({ lastSyncedAt: null })], NOW)).toEqual([]);
    expect(staleTrackers([state({ lastSyncedAt: null, lastError: 'token refused (JIRA_TOKEN)' })], NOW)).toEqual([{ label: 'Jira LAUNCH', lastSyncedAt: null, reason: 'token refused (JIRA_TOKEN)' }]);
  });
});

describe('syncedAtText and staleTrackerLine', () => {
  it('the time in the zone; with the day when not today there', () => {
    expect(syncedAtText(NOW - 60 * 60_000, NOW, 'America/New_York')).toBe('13:05');
    // 19:05 UTC on the 13th is already the 14th in Tokyo (04:05): a sync at 14:00 UTC on the 13th was yesterday there
    expect(syncedAtText(NOW - 5 * 3_600_000 - 5 * 60_000, NOW, 'Asia/Tokyo')).toBe('Fri 13 Nov 23:00');
  });

  it('reads "<label> tasks last synced <time> — <reason>", or "not synced yet"', () => {
    expect(staleTrackerLine({ label: 'Jira LAUNCH', lastSyncedAt: NOW - 60 * 60_000, reason: 'unavailable: 503' }, NOW, 'America/New_York')).toBe(
      'Jira LAUNCH tasks last synced 13:05 — unavailable: 503',
    );
    expect(staleTrackerLine({ label: 'Linear ENG', lastSyncedAt: null, reason: 'token refused (LINEAR_TOKEN)' }, NOW, 'UTC')).toBe('Linear ENG tasks not synced yet — token refused (LINEAR_TOKEN)');
  });
});
