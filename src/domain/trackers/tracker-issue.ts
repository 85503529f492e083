import type { Severity } from '../blockers/ladder.js';

/*
 * Tasks from trackers (issue 21): the tracker-neutral shapes every adapter (services/trackers/<kind>/) returns and
 * the sync (services/trackers/sync.ts) turns into tasks. Pure types: no I/O here.
 */

/** The trackers Preflight reads tasks from. */
export const TRACKER_KINDS = ['jira', 'linear', 'github'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/**
 * A due as the tracker holds it: a calendar date only (Jira's `duedate`, Linear's `dueDate`, a GitHub milestone's
 * `due_on` date), which the sync places at the source's `due_hour` in the program's zone; or an instant (a Jira
 * date-time custom field), ISO 8601 with its offset.
 */
export type TrackerDue = { date: string } | { at: string };

/**
 * One issue of a tracker, as an adapter maps it (the mapping table in docs/trackers.md).
 * - `key`: the task id, a valid Preflight task id (`LAUNCH-42` for Jira, `ENG-12` for Linear, `<repo>-<number>`
 *   such as `launch-42` for GitHub).
 * - `assigneeEmail`: null when unassigned or the tracker hides the email; `assigneeName` for display.
 * - `estimate`: hours when the tracker holds time (Jira's original estimate), else points (story points, Linear's
 *   estimate); the sync converts points with the source's `hours_per_point`.
 * - `status`: the tracker's status name as written ("In Review"); `done`: the tracker's done category (Jira's
 *   statusCategory `done`, Linear's state type `completed` (or `canceled`), GitHub's `closed`).
 * - `priority`: P0–P2 from the tracker's priority (Highest/High → P0, Medium → P1, Low/Lowest → P2 for Jira;
 *   Urgent → P0, High → P1, Medium/Low → P2 for Linear; a `P0`/`P1`/`P2` or `priority: …` label on GitHub), null
 *   when it has none.
 * - `blockedBy`: keys of the issues this one waits for ("is blocked by" links, Linear's blocking relations,
 *   GitHub's "tracked by"/sub-issue parent is NOT a blocker: only "blocked by" dependencies), in the same source.
 * - `updatedAt`: ISO 8601, the tracker's last change (orders webhook deliveries against poll results).
 */
export interface TrackerIssue {
  key: string;
  title: string;
  url: string;
  assigneeEmail: string | null;
  assigneeName: string | null;
  due: TrackerDue | null;
  estimate: { hours: number } | { points: number } | null;
  status: string;
  done: boolean;
  priority: Severity | null;
  blockedBy: string[];
  updatedAt: string;
}

/**
 * What a webhook delivery tells: an issue created or changed (`upsert`, with the issue as the payload has it when
 * the payload is complete, else `refetch` so the sync reads it through the API), or deleted (`delete`). A delivery
 * about something else (a comment, a project) gives `ignored` with why (logged at debug).
 */
export type TrackerChange = { kind: 'upsert'; issue: TrackerIssue } | { kind: 'refetch'; key: string } | { kind: 'delete'; key: string } | { kind: 'ignored'; why: string };
