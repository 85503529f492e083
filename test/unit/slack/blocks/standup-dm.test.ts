import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { blockProblems, viewProblems } from '../../../../src/slack/blocks/limits.js';
import { answerRecordedMessage, reminderMessage, standupPromptMessage } from '../../../../src/slack/blocks/standup-dm.js';
import { answerRecordedView, readFormValues, standupFormView } from '../../../../src/slack/blocks/standup-modal.js';

const run = { runId: 42, workstreamName: 'WS2: AI <Infrastructure>', localDate: '2026-02-03', closesAtLocal: '12:30 EST' };

describe('standup DMs', () => {
  it('the prompt has the form button (run id as value) and asks the first question', () => {
    const { blocks, text } = standupPromptMessage(run, DEFAULT_QUESTIONS);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('"action_id":"standup_open_form"');
    expect(json).toContain('"value":"42"');
    expect(json).toContain('*1/5* What did you complete yesterday?');
    expect(json).toContain('WS2: AI &lt;Infrastructure&gt;');
    expect(text).toContain('What did you complete yesterday?');
  });
  it('the reminder says when it closes and where the member was', () => {
    const json = JSON.stringify(reminderMessage(run, DEFAULT_QUESTIONS, 2).blocks);
    expect(json).toContain('closes at *12:30 EST*');
    expect(json).toContain('*3/5* Any blockers?');
  });
});

describe('standup form', () => {
  const view = standupFormView({
    ...run,
    dayLabel: 'Tuesday 3 February',
    questions: DEFAULT_QUESTIONS,
    initial: { yesterday: 'x'.repeat(5000), progress: 40, risk: 'red' },
    editing: true,
    late: false,
  });
  it('is a valid modal within limits, pre-filled', () => {
    expect(viewProblems(view)).toEqual([]);
    const json = JSON.stringify(view);
    expect(json).toContain('"initial_value":"40"');
    expect(json).toContain('"value":"red"');
    expect((view as { submit?: { text: string } }).submit?.text).toBe('Save');
    expect(JSON.parse(view.private_metadata!)).toEqual({ runId: 42 });
  });
  it('reads submitted values back by question id', () => {
    const values = {
      q_yesterday: { answer: { value: 'a' } },
      q_today: { answer: { value: 'b' } },
      q_blockers: { answer: { value: null } },
      q_progress: { answer: { value: '55' } },
      q_risk: { answer: { selected_option: { value: 'green' } } },
    };
    expect(readFormValues(DEFAULT_QUESTIONS, values)).toEqual({ yesterday: 'a', today: 'b', blockers: '', progress: '55', risk: 'green' });
  });
});

describe('the form after a complete answer (its confirmation view)', () => {
  const done = (over: { late?: boolean; lateInReport?: boolean; editable?: boolean; checkinName?: string } = {}) =>
    answerRecordedView({ ...run, workstreamName: 'Payments', reportChannel: 'C0REPORT', late: false, editable: true, ...over });
  it('says where the answer shows and until when it can be changed, with only a Done button', () => {
    const view = done();
    expect(viewProblems(view)).toEqual([]);
    expect(view.type).toBe('modal');
    expect((view as { submit?: unknown }).submit).toBeUndefined();
    expect(view.close?.text).toBe('Done');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Your answer is in the *Payments* standup report in <#C0REPORT>');
    expect(text).toContain(`You can edit it until *${run.closesAtLocal}*`);
    expect(text).toContain('*📝 Open the form*');
  });
  it('offers no edit once the run closed, and names the thread for a late answer', () => {
    expect(JSON.stringify(done({ editable: false }).blocks)).toContain('so it can no longer be edited');
    expect(JSON.stringify(done({ editable: false }).blocks)).not.toContain('Open the form');
    const late = JSON.stringify(done({ late: true, editable: false }).blocks);
    expect(late).toContain("added to the report's thread in <#C0REPORT>");
    expect(late).not.toContain('Open the form');
    // within the late-answer window the closed report counts it too, and the confirmation says so
    const counted = JSON.stringify(done({ late: true, lateInReport: true, editable: false }).blocks);
    expect(counted).toContain('added to the report in <#C0REPORT>, marked late, and to its thread.');
    expect(counted).not.toContain('Open the form');
    expect(answerRecordedMessage(run, 'C0REPORT', true, false, true).text).toBe('Thanks! Your late standup answer was added to the report, marked late, and to its thread.');
    expect(answerRecordedMessage(run, 'C0REPORT', true, false).text).toBe('Thanks! Your late standup answer was added to the report thread.');
  });
  it('is titled after the check-in', () => {
    expect(done().title.text).toBe('Standup');
    expect(done({ checkinName: 'Checkpoint 13:00' }).title.text).toBe('Check-in');
    expect(JSON.stringify(done({ checkinName: 'Checkpoint 13:00' }).blocks)).toContain('*Payments · Checkpoint 13:00* check-in report');
  });
});
