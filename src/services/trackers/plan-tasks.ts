import { inArray, isNull } from 'drizzle-orm';
import type { StoredTrackerIssue, TrackerTaskContext } from '../../config/tracker-tasks.js';
import { emailKey } from '../../config/user-refs.js';
import { slackUserEmails, trackerIssues } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { userIdsByEmail } from '../people/resolve-emails.js';

/**
 * How long an assignee email no Slack member has is not asked again, ms. Every tracker change that touches the plan
 * reloads it, and users.lookupByEmail is Tier 3 (~50 a minute): without this, a few assignees outside Slack would
 * spend that budget and slow every reload. Per process.
 */
export const UNMATCHED_EMAIL_RETRY_MS = 60 * 60_000;
const unmatchedUntil = new Map<string, number>();

/** What {@link trackerTaskInputs} reads: the stored issues and who their assignees are in Slack. */
export interface TrackerTaskInputs {
  rows: StoredTrackerIssue[];
  userIdByEmail: TrackerTaskContext['userIdByEmail'];
}

/**
 * The inputs of config/tracker-tasks.ts `addTrackerTasks` for a start-up or a reload: every stored issue not deleted
 * (tracker_issues, kept by the sync, so every replica reads the same tasks and a tracker that is down keeps its
 * tasks), and the Slack user of each assignee email through the people cache (`slack_user_emails`, 7 days) and
 * `users.lookupByEmail` for the others (services/people/resolve-emails.ts `userIdsByEmail`).
 * @param deps.lookup the Slack client for lookups (with `clock` and `log`); without it (tools such as `npm run plan`
 *   and `npm run preview`, command checks) only cached addresses resolve, and nothing is asked of Slack.
 *   An address no member has is not asked again for {@link UNMATCHED_EMAIL_RETRY_MS}.
 *   A lookup Slack refuses (token, scope) is logged once per call and the address counts as unmatched.
 * @throws when Postgres does not answer.
 */
export async function trackerTaskInputs(deps: Pick<Deps, 'db'> & Partial<Pick<Deps, 'clock' | 'log'>> & { lookup?: Deps['slack'] }): Promise<TrackerTaskInputs> {
  const stored = await deps.db.select({ sourceId: trackerIssues.sourceId, issue: trackerIssues.issue }).from(trackerIssues).where(isNull(trackerIssues.deletedAt));
  const emails = [...new Set(stored.flatMap((r) => (r.issue.assigneeEmail ? [emailKey(r.issue.assigneeEmail)] : [])))];
  if (!emails.length) return { rows: stored, userIdByEmail: new Map() };
  if (deps.lookup && deps.clock && deps.log) {
    try {
      const now = deps.clock.now().toMillis();
      const ask = emails.filter((e) => (unmatchedUntil.get(e) ?? 0) <= now);
      const found = await userIdsByEmail({ db: deps.db, clock: deps.clock, log: deps.log, slack: deps.lookup }, ask);
      for (const [email, id] of found) {
        if (id === null) unmatchedUntil.set(email, now + UNMATCHED_EMAIL_RETRY_MS);
        else unmatchedUntil.delete(email);
      }
      return { rows: stored, userIdByEmail: found };
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'could not look up tracker assignees in Slack; using the addresses resolved before');
    }
  }
  const cached = await deps.db.select().from(slackUserEmails).where(inArray(slackUserEmails.email, emails));
  // an address resolved before keeps its user, however old (as resolve-emails does when Slack cannot be asked)
  return { rows: stored, userIdByEmail: new Map(cached.map((c) => [c.email, c.userId])) };
}
