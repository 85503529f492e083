import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { TrackerIssue, TrackerKind } from '../../domain/trackers/tracker-issue.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Tasks from trackers (issue 21; migration 0017). One row per configured source (`workstreams.<id>.tasks_from[i]`):
 * `source_id` is `<workstream>/<index>` (its place in the config). It records the sync's health, which `/gonogo` and
 * the digest show ("LAUNCH tasks last synced 14:05"), and the once-only notices: the warning of a source that is down
 * (`warned_at`, at most one per 30 min) and the PM's DM about a refused token (`pm_notified_at`, once until the token works).
 */
export const trackerSources = pgTable('tracker_sources', {
  sourceId: text('source_id').primaryKey(),
  workstreamId: text('workstream_id').notNull(),
  kind: text('kind').$type<TrackerKind>().notNull(),
  /** `Jira LAUNCH`, `Linear ENG`, `GitHub acme/launch`. */
  label: text('label').notNull(),
  /** The last sync that read the whole source (poll) without a fault. */
  lastSyncedAt: ts('last_synced_at'),
  lastAttemptAt: ts('last_attempt_at'),
  /** The last fault (null once a sync succeeds), for people: "unavailable: 503", "token refused (JIRA_TOKEN)". */
  lastError: text('last_error'),
  lastErrorAt: ts('last_error_at'),
  warnedAt: ts('warned_at'),
  authRefusedAt: ts('auth_refused_at'),
  pmNotifiedAt: ts('pm_notified_at'),
});

/**
 * The last known state of every issue of every source, as the adapter mapped it (`issue`, a TrackerIssue); the plan
 * takes its tracker tasks from here (start-up and every reload), so a tracker that is down keeps its tasks. A deleted
 * issue (or one that left the filter) keeps its row with `deleted_at` set. `key` is unique in the program (it is the
 * task id).
 */
export const trackerIssues = pgTable(
  'tracker_issues',
  {
    key: text('key').primaryKey(),
    sourceId: text('source_id').notNull(),
    workstreamId: text('workstream_id').notNull(),
    issue: jsonb('issue').$type<TrackerIssue>().notNull(),
    /** The tracker's own `updatedAt` of `issue`: an older delivery never overwrites a newer state. */
    trackerUpdatedAt: ts('tracker_updated_at').notNull(),
    syncedAt: ts('synced_at').notNull(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [index('tracker_issues_source_idx').on(t.sourceId).where(sql`${t.deletedAt} is null`)],
);

/**
 * Write-back to the tracker (opt-in `write_back: true`), exactly once per `purpose`: `done` (the task was done in
 * Preflight), `escalation:<step>` (one comment per escalation step), `blocker:<id>` (the blocker's permalink).
 * Inserted before the call (on conflict do nothing), `done_at` set after it succeeds.
 */
export const trackerWritebacks = pgTable(
  'tracker_writebacks',
  {
    issueKey: text('issue_key').notNull(),
    purpose: text('purpose').notNull(),
    sourceId: text('source_id').notNull(),
    createdAt: ts('created_at').notNull(),
    doneAt: ts('done_at'),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.issueKey, t.purpose] })],
);
