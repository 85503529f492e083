import type { DateTime } from 'luxon';

/**
 * What Preflight will do at one instant, as the preview lists it:
 * - `checkin_prompt` / `checkin_reminder` / `checkin_close`: a participant's DM at the check-in time, the single
 *   reminder (only if they have not answered by then) and the end of their answer window;
 * - `gonogo_reminder` / `gonogo_post`: the DM an hour before `gonogo.at` to sign-off authorities of pending gates,
 *   and the summary posted in the program channel at `gonogo.at`;
 * - `gate_due` / `gate_escalation`: a gate's due time, and the notices of its escalation ladder if it is still not
 *   signed off (services/gonogo/gates.ts `gatePolicy`);
 * - `task_due` / `task_escalation`: an open task's due time (issue 10), and the notices of its ladder (the owner, then
 *   its priority's or `tasks.escalation`'s levels, services/tasks/escalate.ts `taskEscalation`) if it is still not done;
 * - `blocker_escalation`: the next ladder steps of a blocker open now (live state only).
 */
export type PreviewEventKind =
  | 'checkin_prompt'
  | 'checkin_reminder'
  | 'checkin_close'
  | 'gonogo_reminder'
  | 'gonogo_post'
  | 'gate_due'
  | 'gate_escalation'
  | 'task_due'
  | 'task_escalation'
  | 'blocker_escalation';

/** One line of the preview. */
export interface PreviewEvent {
  /** When it happens, UTC. */
  at: DateTime;
  kind: PreviewEventKind;
  /** Who gets it: a Slack user ID (a DM) or a channel ID; null for a due time that sends nothing by itself. */
  to: string | null;
  /** IANA zone of the recipient (a participant's own zone), or the program's for channels: their local time. */
  zone: string;
  workstreamId: string | null;
  /** Check-in id (`standup` for today's `standup:`), for check-in events. */
  checkinId: string | null;
  gateId: string | null;
  /** Task id, for `task_due` / `task_escalation` (absent on other events). */
  taskId?: string;
  blockerId: number | null;
  /** The check-in's workstream-local date (YYYY-MM-DD): its identity with workstream and check-in. */
  localDate: string | null;
  /** One human line: "Payments · standup: prompt". */
  summary: string;
  /** When it only happens under a condition: "if not answered by then", "if still not signed off". */
  condition: string | null;
  /** A DST change on that day in `zone` ("clocks go forward: 02:30 moves to 03:30"), else null. */
  dst: string | null;
  /** For a check-in prompt: the participant's reminder and the close of their answer window (UTC), else null. */
  window: { remindAt: DateTime; closeAt: DateTime } | null;
}

/**
 * Why a check-in does not happen on a date, for the whole workstream (`userId` null) or one participant:
 * not a workday (`weekend`), a `calendar.holidays` date, not one of the check-in's `days`, the participant is out
 * of office or typed `/standup skip` (live state), the workstream is not active yet / has ended / waits on a gate, or
 * the check-in of that date was started early with `/standup start` (it took that date's slot; live state).
 */
export type SkipReason = 'weekend' | 'holiday' | 'not_a_checkin_day' | 'out_of_office' | 'skipped' | 'not_active_yet' | 'ended' | 'waiting_on_gate' | 'started_early';

/** A date a check-in is skipped, with the reason. */
export interface SkippedDay {
  /** Workstream-local date, YYYY-MM-DD. */
  localDate: string;
  workstreamId: string;
  checkinId: string;
  /** The participant skipped, or null when the whole check-in is. */
  userId: string | null;
  reason: SkipReason;
  /** Human detail: "holiday (calendar.holidays)", "waiting for Gate 2: Security review". */
  detail: string;
}

/** Everything Preflight would do in a span. */
export interface Preview {
  /** The span, UTC, [from, until). */
  from: DateTime;
  until: DateTime;
  programZone: string;
  /** Sorted by instant, then kind, then recipient. */
  events: PreviewEvent[];
  /** Sorted by date, workstream, check-in, participant. */
  skipped: SkippedDay[];
}

const KIND_ORDER: PreviewEventKind[] = [
  'gate_due',
  'gate_escalation',
  'task_due',
  'task_escalation',
  'gonogo_reminder',
  'gonogo_post',
  'checkin_prompt',
  'checkin_reminder',
  'checkin_close',
  'blocker_escalation',
];

/** Orders events by instant, then kind (a due time before its escalation), workstream, check-in and recipient. */
export function compareEvents(a: PreviewEvent, b: PreviewEvent): number {
  return (
    a.at.toMillis() - b.at.toMillis() ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.workstreamId ?? '').localeCompare(b.workstreamId ?? '') ||
    (a.checkinId ?? '').localeCompare(b.checkinId ?? '') ||
    (a.to ?? '').localeCompare(b.to ?? '')
  );
}

/** Orders skipped days by date, workstream, check-in, then participant (whole-check-in lines first). */
export function compareSkipped(a: SkippedDay, b: SkippedDay): number {
  return a.localDate.localeCompare(b.localDate) || a.workstreamId.localeCompare(b.workstreamId) || a.checkinId.localeCompare(b.checkinId) || (a.userId ?? '').localeCompare(b.userId ?? '');
}
