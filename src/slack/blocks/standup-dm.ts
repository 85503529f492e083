import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { Question } from '../../config/workspace.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import { IDS } from './ids.js';
import { LIMITS } from './limits.js';
import { safeMrkdwn, taskRef, truncate } from './text.js';

/** What the DM builders need to know about a run. */
export interface RunContext {
  runId: number;
  workstreamName: string;
  /** The check-in's name; absent or "Standup" for the standup. */
  checkinName?: string;
  localDate: string;
  /** Member's close time in their own zone, e.g. "12:00 EST". */
  closesAtLocal: string;
}

const formButton = (runId: number, label = '📝 Open the form'): KnownBlock => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: IDS.openStandupForm, value: encodeSlack(slackPayloads.openStandupForm, runId), style: 'primary', text: { type: 'plain_text', text: label, emoji: true } }],
});

const isStandup = (run: RunContext) => !run.checkinName || run.checkinName === 'Standup';

/** "*Omega* standup" or "*Omega · Checkpoint 13:00* check-in" (mrkdwn, escaped). */
export function checkinPhrase(run: RunContext): string {
  return isStandup(run) ? `*${safeMrkdwn(run.workstreamName, 200)}* standup` : `*${safeMrkdwn(`${run.workstreamName} · ${run.checkinName}`, 200)}* check-in`;
}

/** The same in plain words, for notification text (escaped). */
const plainPhrase = (run: RunContext) => safeMrkdwn(isStandup(run) ? `${run.workstreamName} standup` : `${run.workstreamName} · ${run.checkinName} check-in`, 300);

const day = (localDate: string) => DateTime.fromISO(localDate).toFormat('cccc d LLLL');

/** "*2/5* What are you working on today?" */
export function questionLine(questions: readonly Question[], step: number): string {
  const q = questions[step];
  return q ? `*${step + 1}/${questions.length}* ${safeMrkdwn(q.prompt, 500)}` : '';
}

/** The open tasks a check-in prompt lists (services/tasks/checkin.ts CheckinTask). */
export interface PromptTask {
  id: string;
  title: string;
  progress: number;
  dueLocal: string | null;
  waitingOn: string[];
  /** The task's page (issue 21): its id links to it. */
  url?: string | null;
}

/** Tasks listed in a prompt at most; the rest are counted (`/task` shows them all). */
const PROMPT_TASKS = 15;

/**
 * The member's open tasks in a check-in prompt, and how to report progress on them in one DM line
 * (domain/tasks/progress-line.ts: `O-1 75, O-3 done`).
 */
export function promptTasksBlock(tasks: readonly PromptTask[]): KnownBlock {
  const lines = tasks.slice(0, PROMPT_TASKS).map((t) => {
    const parts = [`• *${taskRef(t)}* ${safeMrkdwn(t.title, 120)}`, `${t.progress}%`];
    if (t.dueLocal) parts.push(`due ${t.dueLocal}`);
    if (t.waitingOn.length) parts.push(`waiting on ${t.waitingOn.map((w) => safeMrkdwn(w, 40)).join(', ')}`);
    return parts.join(' · ');
  });
  if (tasks.length > PROMPT_TASKS) lines.push(`…and ${tasks.length - PROMPT_TASKS} more (\`/task\`)`);
  const a = tasks[0]!.id;
  const b = tasks[1]?.id;
  const example = b ? `${a} 75, ${b} done` : `${a} 75`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(`*Your open tasks*\n${lines.join('\n')}\nHow far along is each? Reply \`tasks: ${safeMrkdwn(example, 100)}\` here (or use the form).`, LIMITS.sectionText) },
  };
}

/**
 * The standup prompt DM: who/when, a button that opens the form, the member's open tasks (when they own any) with
 * how to report their progress, and the first question so the member can simply reply in the conversation.
 */
export function standupPromptMessage(run: RunContext, questions: readonly Question[], tasks: readonly PromptTask[] = []): { blocks: KnownBlock[]; text: string } {
  return {
    text: safeMrkdwn(`${isStandup(run) ? 'Standup' : run.checkinName} for ${run.workstreamName}: ${questions[0]?.prompt ?? ''}`, LIMITS.messageText),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `👋 Time for the ${checkinPhrase(run)} (${day(run.localDate)}). Answers are open until *${run.closesAtLocal}*.\nUse the form, or just reply here one question at a time.`,
        },
      },
      formButton(run.runId),
      ...(tasks.length ? [promptTasksBlock(tasks)] : []),
      { type: 'section', text: { type: 'mrkdwn', text: questionLine(questions, 0) } },
    ],
  };
}

/** The next question in the DM conversation. */
export function nextQuestionMessage(questions: readonly Question[], step: number): { text: string } {
  return { text: questionLine(questions, step) };
}

/** A reply that did not fit the question: the hint and the question again. */
export function invalidReplyMessage(hint: string, questions: readonly Question[], step: number): { text: string } {
  return { text: `🤔 ${hint}\n${questionLine(questions, step)}` };
}

/**
 * The confirmation of a complete answer (mrkdwn): where it shows (the report in `channelId`, or its thread when
 * `late`, and the closed report too when `lateInReport`) and until when it can be edited (`editable`: the run is still
 * open), e.g. "✅ Thanks! Your answer is in the *Omega* standup report in <#C1>. You can edit it until *12:00 EST*."
 * Shared by the receipt DM and the form's view.
 */
export function answerRecordedText(run: RunContext, channelId: string, late: boolean, editable: boolean, lateInReport = false): string {
  return late
    ? lateInReport
      ? `✅ Thanks! This run had closed, so your answer was added to the report in <#${channelId}>, marked late, and to its thread.`
      : `✅ Thanks! This run had closed, so your answer was added to the report's thread in <#${channelId}>.`
    : editable
      ? `✅ Thanks! Your answer is in the ${checkinPhrase(run)} report in <#${channelId}>. You can edit it until *${run.closesAtLocal}*.`
      : `✅ Thanks! Your answer is in the ${checkinPhrase(run)} report in <#${channelId}>. The check-in closed at *${run.closesAtLocal}*, so it can no longer be edited.`;
}

/**
 * Confirmation after a complete answer (modal or DM). `editable` false: the check-in has closed since the answer
 * was given (a receipt that waited behind a fan-out's prompts), so it offers no edit it could not make.
 */
export function answerRecordedMessage(run: RunContext, channelId: string, late: boolean, editable = true, lateInReport = false): { blocks: KnownBlock[]; text: string } {
  const text = answerRecordedText(run, channelId, late, editable, lateInReport);
  return {
    text: late
      ? lateInReport
        ? 'Thanks! Your late standup answer was added to the report, marked late, and to its thread.'
        : 'Thanks! Your late standup answer was added to the report thread.'
      : 'Thanks! Your standup answer is recorded.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...(late || !editable ? [] : [formButton(run.runId, '✏️ Edit my answer')])],
  };
}

/** The single reminder for a member who has not answered. */
export function reminderMessage(run: RunContext, questions: readonly Question[], step: number): { blocks: KnownBlock[]; text: string } {
  const next = step > 0 && step < questions.length ? `\nYou were at: ${questionLine(questions, step)}` : `\n${questionLine(questions, 0)}`;
  return {
    text: truncate(`Reminder: your ${plainPhrase(run)} closes at ${run.closesAtLocal}.`, LIMITS.messageText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `⏰ Reminder: your ${checkinPhrase(run)} closes at *${run.closesAtLocal}*.${next}` } }, formButton(run.runId)],
  };
}

/** A late answer, posted in the report's thread after the run closed. */
export function lateAnswerMessage(userId: string, lines: { label: string; value: string }[], edited: boolean): { blocks: KnownBlock[]; text: string } {
  const body = lines.map((l) => `${l.label}: ${safeMrkdwn(l.value, 600)}`).join('\n');
  const head = `<@${userId}> answered after the close${edited ? ' _(edited)_' : ''}:`;
  return {
    text: `Late standup answer from <@${userId}>`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`${head}\n${body}`, LIMITS.sectionText) } }],
  };
}

/** Plain ephemeral/DM text with a button to the form (used by `/standup` when no trigger is usable). */
export function formLinkMessage(runId: number, text: string): { blocks: KnownBlock[]; text: string } {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, formButton(runId)] };
}
