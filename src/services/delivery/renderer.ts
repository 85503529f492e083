import type { BoardModel } from '../../domain/board/board.js';
import type { Question } from '../../config/workspace.js';
import type { StaleTracker } from '../../domain/trackers/staleness.js';
import type { BlockerActReply } from '../../domain/blockers/act-reply.js';
import type { DigestModel } from '../../domain/digest/digest.js';
import type { DecisionAnnouncement, GateOutcomeNotice, SignOffReminder, SignOffReply, SignOffsWithdrawnNotice } from '../../domain/gonogo/messages.js';
import type { Verdict, VerdictInput } from '../../domain/gonogo/verdict.js';
import type { ReportModel } from '../../domain/checkins/report.js';
import type { TaskStartNotice } from '../../domain/tasks/start-notice.js';
import type { BlockerView } from '../blockers/view.js';
import type { OncallNote } from '../../domain/oncall/note.js';
import type { OverrideChange } from '../plan/override-record.js';
import type { WarRoomMessage } from '../../domain/warroom/room.js';

/** A message ready for chat.postMessage / chat.update: the plain `text` fallback and optional Block Kit `blocks`. */
export interface OutgoingMessage {
  text: string;
  blocks?: unknown[];
}

/** A standup prompt or reminder DM: the run, the member's own close time and where they are in the questions. */
export interface StandupDmModel {
  runId: number;
  workstreamName: string;
  /** The check-in's display name ("Standup" for the standup). */
  checkinName: string;
  /** The run's workstream-local date, ISO (YYYY-MM-DD). */
  localDate: string;
  /** The member's close time in their own zone, e.g. "12:00 EST". */
  closesAtLocal: string;
  questions: readonly Question[];
  /** Index of the member's next question in the DM conversation (reminders resume there). */
  step: number;
  /** The member's open tasks (prompt only), each asked for its progress. */
  tasks?: readonly { id: string; title: string; progress: number; dueLocal: string | null; waitingOn: string[] }[];
}

/** The DM confirming a member's complete answer (services/checkins/answer-receipts.ts). */
export interface AnswerReceiptModel {
  runId: number;
  workstreamName: string;
  /** The check-in's display name ("Standup" for the standup). */
  checkinName: string;
  /** The run's workstream-local date, ISO (YYYY-MM-DD). */
  localDate: string;
  /** The member's close time in their own zone, e.g. "12:00 EST". */
  closesAtLocal: string;
  /** The report's channel id. */
  reportChannel: string;
  /** The answer came after the run closed: it went to the report's thread, and can no longer be edited. */
  late: boolean;
  /** A late answer the closed report counts too, marked late (domain/checkins/late-answers.ts); absent: false. */
  lateInReport?: boolean;
  /** The run is still open when the receipt is sent, so the answer can still be edited (false once it closed). */
  editable: boolean;
}

/** An answer given after the run closed, shown in the report's thread. */
export interface LateAnswerModel {
  userId: string;
  lines: { label: string; value: string }[];
  /** True when this replaces an earlier late answer. */
  edited: boolean;
}

/**
 * One escalation DM: the blocker as it stands now (its `zone` the recipient's), the ladder level (0-based) and the
 * repeat attempt (0 = first ping) that sent it, to whom, and when it was first sent (Unix seconds: its "open for"
 * age stays the one it was sent with when it is edited).
 */
export interface EscalationNoticeModel {
  blocker: BlockerView;
  level: number;
  attempt: number;
  recipient: string;
  sentAt: number;
  /** When a rotation named the recipient: who, until when, per which source (issue 22). */
  oncall?: OncallNote | null;
  /** When the recipient got the step as a delegate (issue 22): "<@ana> is away until 24 Dec; <@ben> is covering". */
  covering?: readonly string[];
}

/** One timeline event of a blocker, as a line in its message's thread. */
export interface ThreadLineModel {
  kind: string;
  actor: string | null;
  data: Record<string, unknown>;
}

/** The go/no-go summary: the verdict and what it was computed from. `now` is epoch ms. */
export interface GonogoSummaryModel {
  programName: string;
  /** IANA zone the due times are shown in. */
  zone: string;
  input: VerdictInput;
  verdict: Verdict;
  pm: string;
  now: number;
  /** Tracker sources whose tasks may be out of date (issue 21, domain/trackers/staleness.ts); none: no line. */
  staleTrackers?: StaleTracker[];
}

/**
 * The daily digest (`kind: 'digest'`, posted in the program channel) or `/preflight stats` (ephemeral): the
 * numbers, and the program-local date of the digest its changes are measured against (null: none before).
 */
export interface DigestMessageModel {
  kind: 'digest' | 'stats';
  digest: DigestModel;
  comparedWith: string | null;
  /** Stats for one workstream: its name (shown in the title). */
  scope?: string;
  /** Overrides made or dropped from Slack in the window (issue 20, "Plan changes today"); none: no section. */
  planChanges?: OverrideChange[];
  /** Tracker sources whose tasks may be out of date at the digest's time (issue 21); none: no line. */
  staleTrackers?: StaleTracker[];
}

/**
 * The port through which services turn their models into Slack messages. Services build models and never
 * import Block Kit; src/slack/blocks/renderer.ts implements this and src/main.ts (and the test harnesses)
 * inject it through `Deps.renderer`. Every method is pure.
 */
export interface MessageRenderer {
  standupPrompt(model: StandupDmModel): OutgoingMessage;
  standupReminder(model: StandupDmModel): OutgoingMessage;
  /** The DM confirming a complete answer (and where it shows), with the button to edit it while the run is open. */
  answerReceipt(model: AnswerReceiptModel): OutgoingMessage;
  standupReport(model: ReportModel): OutgoingMessage;
  lateAnswer(model: LateAnswerModel): OutgoingMessage;
  blockerMessage(model: BlockerView): OutgoingMessage;
  escalationNotice(model: EscalationNoticeModel): OutgoingMessage;
  blockerThreadLine(model: ThreadLineModel): OutgoingMessage;
  /** The summary message, plus the lines that did not fit (each ≤ one message) for its thread. */
  gonogoSummary(model: GonogoSummaryModel): OutgoingMessage & { overflow: string[] };
  /** The daily digest or `/preflight stats`, within Block Kit's limits. */
  digest(model: DigestMessageModel): OutgoingMessage;
  /** A gate passing or failing, told to a downstream workstream's channel or one of its participants. */
  gateOutcomeNotice(model: GateOutcomeNotice): OutgoingMessage;
  /** The DM saying a gate's sign-off was withdrawn by a blocker raised against it afterwards. */
  signOffsWithdrawn(model: SignOffsWithdrawnNotice): OutgoingMessage;
  /** A go/no-go decision's announcement. */
  decisionAnnouncement(model: DecisionAnnouncement): OutgoingMessage;
  /** The go/no-go reminder DM to a sign-off authority, as its gates stand now. */
  signOffReminder(model: SignOffReminder): OutgoingMessage;
  /** The answer to a gate sign-off (or fail) that was not refused. */
  signOffReply(model: SignOffReply): OutgoingMessage;
  /** The DM telling a task's owner it can start. */
  taskStartNotice(model: TaskStartNotice): OutgoingMessage;
  /** The answer to an action on a blocker that was not refused. */
  blockerActReply(model: BlockerActReply): OutgoingMessage;
  /** A war room post (why it opened, the board, the closing summary) or the DM saying Slack refused a step (issue 23). */
  warRoomMessage(model: WarRoomMessage): OutgoingMessage;
  /** The live status board as a message (the pinned fallback where canvases are not available; issue 23). */
  boardMessage(model: BoardModel): OutgoingMessage;
  /** The live status board as a channel canvas: its title and its canvas markdown (issue 23). */
  boardCanvas(model: BoardModel): { title: string; markdown: string };
}
