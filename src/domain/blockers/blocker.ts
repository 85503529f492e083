import type { EscalationPolicy, Severity, StepOutcome } from './ladder.js';

export type BlockerStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * How a blocker was raised: `command` (`/blocker …`, and `/task block`), `modal` (the `/blocker` form), `standup`
 * (a check-in answer's blockers field), `gate` (a gate not signed off by its due time, or failed), `task` (a task
 * not done by its due time) or `workflow` (the "Raise a blocker" Workflow Builder step, issue 24). Stored in `blockers.source`; exported and served as the record's `source`.
 */
export const BLOCKER_SOURCES = ['command', 'modal', 'standup', 'gate', 'task', 'workflow'] as const;
export type BlockerSource = (typeof BLOCKER_SOURCES)[number];

/** The short id users see: B-42. */
export const shortId = (id: number) => `B-${id}`;

/** Parses "B-42", "b42", "42" into 42, else null. */
export function parseShortId(text: string): number | null {
  const m = /^(?:b-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/**
 * Everything the blocker's messages show (its channel message, its escalation DMs, lists), independent of the
 * database row. Times are Unix seconds. Built by services/blockers/view.ts; stored as is (JSON) when a gate's
 * escalation starts a new episode, as the state its earlier DMs end on (blocker_notices.closed_view).
 */
export interface BlockerView {
  id: number;
  severity: Severity;
  status: BlockerStatus;
  text: string;
  reporter: string;
  owner: string | null;
  workstreamName: string;
  gateId: string | null;
  /** The task it is about (`/task block`, a task's escalation) with its page (issue 21: the id links to it); absent/null for none. */
  task?: { id: string; url: string | null } | null;
  raisedAt: number;
  levelsDone: number;
  /** What the latest level did (notified whom, or skipped and why); null before the first or on rows that predate it. */
  lastLevel: StepOutcome | null;
  policy: EscalationPolicy;
  acknowledgedBy: string[];
  snoozedUntil: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  permalink: string | null;
  /** When the gate or task this escalation is about was due (a "not done by its due time" escalation); else null. */
  dueAt: number | null;
  /** Snooze menu choices, ms. */
  snoozeChoices: number[];
  /** "now" in Unix seconds, for the snooze line. */
  now: number;
  /**
   * The IANA zone of whoever reads the message (the DM's recipient, the person viewing a list, the blocker channel's
   * workstream): the plain-text fallbacks of its `<!date>` times are written in it.
   */
  zone: string;
}
