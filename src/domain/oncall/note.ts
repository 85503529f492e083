/**
 * Why a ladder step reached (or did not reach) someone through a rotation, kept in the blocker's timeline
 * (`blocker_events.data.oncall`) and on the notice it reserved (`blocker_notices.oncall`); built by services/oncall/ladder.ts, for
 * "on call for Omega until 21:00 per PagerDuty" (issue 22). Instants are Unix seconds.
 */
export interface OncallNote {
  rotation: string;
  name: string;
  /** "PagerDuty", "the calendar feed", "the rotation in preflight.yml". */
  source: string;
  /** Who is on call (null: nobody known, or named by the feed without a Slack account: see `person`). */
  userId: string | null;
  /** As the feed named them (an email), when it names someone. */
  person: string | null;
  /** When their shift ends (null: not known). */
  until: number | null;
  /** When the feed was last read, set only when the latest read failed (the last known rotation is used). */
  staleSince: number | null;
  /** IANA zone the times fall back to in plain text: the on-call person's (the program's when nobody is known). */
  zone: string;
}
