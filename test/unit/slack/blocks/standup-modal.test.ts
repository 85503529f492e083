import { describe, expect, it } from 'vitest';
import { standupFormView } from '../../../../src/slack/blocks/standup-modal.js';
import { viewProblems } from '../../../../src/slack/blocks/limits.js';

describe('the standup form’s note: until when it is open, or where a late answer goes', () => {
  const form = (over: { late?: boolean; lateInReport?: boolean } = {}) =>
    standupFormView({
      runId: 7,
      workstreamName: 'Omega',
      dayLabel: 'Friday 13 November',
      closesAtLocal: '12:00 EST',
      questions: [{ id: 'status', prompt: 'Status?', kind: 'text', required: true }],
      initial: {},
      editing: false,
      late: false,
      ...over,
    });
  const note = (view: ReturnType<typeof form>) => JSON.stringify(view.blocks[0]);

  it('an open run: open until its close', () => {
    expect(viewProblems(form())).toEqual([]);
    expect(note(form())).toContain('Open until *12:00 EST*.');
  });
  it('a closed run within the late-answer window: the report too, marked late, and its thread', () => {
    const view = form({ late: true, lateInReport: true });
    expect(viewProblems(view)).toEqual([]);
    expect(note(view)).toContain('⚠️ This check-in has closed: your answer will be added to its report, marked late, and to the report’s thread.');
  });
  it('a closed run past the window: the thread only', () => {
    expect(note(form({ late: true }))).toContain('⚠️ This check-in has closed: your answer will be added to the report’s thread.');
    expect(note(form({ late: true }))).not.toContain('marked late');
  });
});
