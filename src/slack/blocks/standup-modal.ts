import type { KnownBlock, ModalView, PlainTextOption, View } from '@slack/types';
import type { Question } from '../../config/workspace.js';
import type { Answers } from '../../domain/checkins/answers.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import { IDS, questionBlockId, taskBlockId } from './ids.js';
import { LIMITS } from './limits.js';
import { answerRecordedText, type RunContext } from './standup-dm.js';
import { safeMrkdwn, safePlain, truncate } from './text.js';

const RISK_OPTIONS: PlainTextOption[] = [
  { text: { type: 'plain_text', text: '🟢 Green: on track', emoji: true }, value: 'green' },
  { text: { type: 'plain_text', text: '🟡 Yellow: on track but risky', emoji: true }, value: 'yellow' },
  { text: { type: 'plain_text', text: '🔴 Red: behind, need help', emoji: true }, value: 'red' },
];

function input(q: Question, initial: Answers[string] | undefined): KnownBlock {
  const label = { type: 'plain_text' as const, text: safePlain(q.prompt, 2000), emoji: true };
  const base = { type: 'input' as const, block_id: questionBlockId(q.id), label, optional: !q.required };
  if (q.kind === 'percent') {
    return {
      ...base,
      element: {
        type: 'number_input',
        action_id: IDS.answerAction,
        is_decimal_allowed: false,
        min_value: '0',
        max_value: '100',
        ...(typeof initial === 'number' ? { initial_value: String(initial) } : {}),
      },
      hint: { type: 'plain_text', text: 'A whole number from 0 to 100.' },
    } as KnownBlock;
  }
  if (q.kind === 'risk') {
    const initialOption = RISK_OPTIONS.find((o) => o.value === initial);
    return {
      ...base,
      element: { type: 'static_select', action_id: IDS.answerAction, options: RISK_OPTIONS, ...(initialOption ? { initial_option: initialOption } : {}) },
    } as KnownBlock;
  }
  return {
    ...base,
    element: {
      type: 'plain_text_input',
      action_id: IDS.answerAction,
      multiline: true,
      max_length: LIMITS.inputMaxLength,
      ...(typeof initial === 'string' && initial !== '' ? { initial_value: truncate(initial, LIMITS.inputMaxLength) } : {}),
      ...(q.kind === 'blockers' ? { placeholder: { type: 'plain_text', text: 'Anything in your way? Write "none" if not.' } } : {}),
    },
  } as KnownBlock;
}

/**
 * The standup form (a modal view). `initial` pre-fills it: the member's current answers when editing, else
 * last run's "today" offered as this run's "yesterday".
 */
export function standupFormView(args: {
  runId: number;
  workstreamName: string;
  /** The check-in's name; absent or "Standup" for the standup. */
  checkinName?: string;
  dayLabel: string;
  closesAtLocal: string;
  questions: readonly Question[];
  initial: Answers;
  editing: boolean;
  late: boolean;
  /** Closed, but the closed report still counts a late answer (services/checkins/form.ts); absent: false. */
  lateInReport?: boolean;
  /** The member's open tasks: one optional percent input each, pre-filled with the last reported percent. */
  tasks?: readonly { id: string; title: string; progress: number; dueLocal: string | null }[];
}): View {
  const standup = !args.checkinName || args.checkinName === 'Standup';
  const heading = standup ? args.workstreamName : `${args.workstreamName} · ${args.checkinName}`;
  const note = args.late
    ? args.lateInReport
      ? '⚠️ This check-in has closed: your answer will be added to its report, marked late, and to the report’s thread.'
      : '⚠️ This check-in has closed: your answer will be added to the report’s thread.'
    : `Open until *${args.closesAtLocal}*.${args.editing ? ' You are editing your answer.' : ''}`;
  return {
    type: 'modal',
    callback_id: IDS.standupForm,
    private_metadata: encodeSlack(slackPayloads.standupForm, { runId: args.runId }),
    title: { type: 'plain_text', text: standup ? 'Standup' : 'Check-in' },
    submit: { type: 'plain_text', text: args.editing ? 'Save' : 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${safeMrkdwn(heading, 200)}* · ${args.dayLabel}\n${note}` } },
      ...args.questions.map((q) => input(q, args.initial[q.id])),
      ...taskInputs(args.tasks ?? []),
    ],
  };
}

/**
 * The form's last view once a complete answer is stored: the ack of its `view_submission` replaces the form with it
 * (`response_action: "update"`), so the confirmation costs no Web API call and never waits behind a fan-out's
 * prompts (issue 25). Same words as the receipt DM ({@link answerRecordedText}); while the run is open it says how to
 * edit the answer (the prompt's "📝 Open the form", or `/standup`). No submit button: "Done" closes it.
 * @param run the receipt's model (services/checkins/answer-receipts.ts `answerReceiptModel`).
 */
export function answerRecordedView(run: RunContext & { reportChannel: string; late: boolean; lateInReport?: boolean; editable: boolean }): ModalView {
  const standup = !run.checkinName || run.checkinName === 'Standup';
  const howToEdit = !run.late && run.editable ? '\nTo change it, press *📝 Open the form* on your prompt in our DM, or type `/standup`.' : '';
  return {
    type: 'modal',
    callback_id: IDS.standupFormDone,
    title: { type: 'plain_text', text: standup ? 'Standup' : 'Check-in' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`${answerRecordedText(run, run.reportChannel, run.late, run.editable, run.lateInReport)}${howToEdit}`, LIMITS.sectionText) } }],
  };
}

/** Tasks asked in the form at most (a modal holds 100 blocks; 10 questions and a header leave room to spare). */
const FORM_TASKS = 40;

/** A header and one number_input (0–100, whole) per open task, optional, pre-filled with its last percent. */
function taskInputs(tasks: readonly { id: string; title: string; progress: number; dueLocal: string | null }[]): KnownBlock[] {
  if (!tasks.length) return [];
  const shown = tasks.slice(0, FORM_TASKS);
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Your open tasks: % done', emoji: true } },
    ...shown.map(
      (t) =>
        ({
          type: 'input',
          block_id: taskBlockId(t.id),
          optional: true,
          label: { type: 'plain_text', text: safePlain(`${t.id} ${t.title}`, 2000), emoji: true },
          element: { type: 'number_input', action_id: IDS.answerAction, is_decimal_allowed: false, min_value: '0', max_value: '100', initial_value: String(t.progress) },
          hint: { type: 'plain_text', text: safePlain(`100 marks it done.${t.dueLocal ? ` Due ${t.dueLocal}.` : ''}`, 2000) },
        }) as KnownBlock,
    ),
  ];
}

/**
 * Reads the task inputs of a submitted check-in form: `{ task, percent }` for each `task_<id>` block holding a
 * whole number 0–100 (Slack's number_input enforces the range; anything else is left out).
 */
export function readTaskValues(values: Record<string, Record<string, { value?: string | null }>>): { task: string; percent: number }[] {
  const out: { task: string; percent: number }[] = [];
  for (const [blockId, actions] of Object.entries(values)) {
    if (!blockId.startsWith('task_')) continue;
    const raw = actions[IDS.answerAction]?.value;
    if (raw == null || !/^\d{1,3}$/.test(raw) || Number(raw) > 100) continue;
    out.push({ task: blockId.slice('task_'.length), percent: Number(raw) });
  }
  return out;
}

/** Reads submitted values (view.state.values) back into raw strings per question id. */
export function readFormValues(questions: readonly Question[], values: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of questions) {
    const v = values[questionBlockId(q.id)]?.[IDS.answerAction];
    out[q.id] = v?.selected_option?.value ?? v?.value ?? '';
  }
  return out;
}
