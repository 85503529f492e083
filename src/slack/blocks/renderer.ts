import type { MessageRenderer } from '../../services/delivery/renderer.js';
import { blockerMessage, escalationDm, threadLine } from './blocker.js';
import { blockerActReplyMessage } from './blocker-replies.js';
import { boardMessage } from './board.js';
import { boardCanvasMarkdown, boardTitle } from '../canvas/board.js';
import { digestMessage } from './digest.js';
import { gateOutcomeNoticeMessage, signOffsWithdrawnMessage } from './gate-notices.js';
import { gonogoSummaryMessage } from './gonogo.js';
import { signOffReminderMessage } from './gonogo-reminder.js';
import { decisionAnnouncementMessage, signOffReplyMessage } from './gonogo-replies.js';
import { answerRecordedMessage, lateAnswerMessage, reminderMessage, standupPromptMessage } from './standup-dm.js';
import { standupReportMessage } from './standup-report.js';
import { taskStartMessage } from './task-start.js';
import { warRoomMessage } from './warroom.js';

/** {@link MessageRenderer} in Block Kit: each model through the builder of this folder that lays it out. */
export const blockKitRenderer: MessageRenderer = {
  standupPrompt: (m) => standupPromptMessage(m, m.questions, m.tasks),
  standupReminder: (m) => reminderMessage(m, m.questions, m.step),
  answerReceipt: (m) => answerRecordedMessage(m, m.reportChannel, m.late, m.editable, m.lateInReport),
  standupReport: (m) => standupReportMessage(m),
  lateAnswer: (m) => lateAnswerMessage(m.userId, m.lines, m.edited),
  blockerMessage: (v) => blockerMessage(v),
  escalationNotice: (m) => escalationDm(m),
  blockerThreadLine: (m) => ({ text: threadLine(m.kind, m.actor, m.data as Record<string, any>) }),
  gonogoSummary: (m) => gonogoSummaryMessage(m),
  digest: (m) => digestMessage(m),
  gateOutcomeNotice: (m) => gateOutcomeNoticeMessage(m),
  signOffsWithdrawn: (m) => signOffsWithdrawnMessage(m),
  decisionAnnouncement: (m) => decisionAnnouncementMessage(m),
  signOffReminder: (m) => signOffReminderMessage(m),
  signOffReply: (m) => signOffReplyMessage(m),
  taskStartNotice: (m) => taskStartMessage(m),
  blockerActReply: (m) => blockerActReplyMessage(m),
  warRoomMessage: (m) => warRoomMessage(m),
  boardMessage: (m) => boardMessage(m),
  boardCanvas: (m) => ({ title: boardTitle(m), markdown: boardCanvasMarkdown(m) }),
};
