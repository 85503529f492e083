import { describe, expect, it } from 'vitest';
import { stateValues } from '../../../sandbox/bridge.js';
import { standupFormView } from '../../../src/slack/blocks/standup-modal.js';
import { readFormValues } from '../../../src/slack/blocks/standup-modal.js';
import { DEFAULT_QUESTIONS } from '../../../src/config/workspace.js';

describe('the page’s form values as Slack’s view.state.values', () => {
  it('round-trips through Preflight’s own reader of the standup form', () => {
    const view = standupFormView({ runId: 1, workstreamName: 'API', dayLabel: 'Wed', closesAtLocal: '12:00', questions: DEFAULT_QUESTIONS, initial: {}, editing: false, late: false });
    const values = stateValues(view.blocks as Record<string, any>[], {
      'q_yesterday/answer': 'Rate limiter',
      'q_today/answer': 'Load tests',
      'q_blockers/answer': '',
      'q_progress/answer': '60',
      'q_risk/answer': 'red',
    });
    expect(values.q_risk.answer).toEqual({ type: 'static_select', selected_option: { text: expect.objectContaining({ text: expect.stringContaining('Red') }), value: 'red' } });
    expect(values.q_blockers.answer).toEqual({ type: 'plain_text_input', value: null });
    expect(readFormValues(DEFAULT_QUESTIONS, values)).toEqual({ yesterday: 'Rate limiter', today: 'Load tests', blockers: '', progress: '60', risk: 'red' });
  });

  it('checkboxes, datepicker and users_select; an option the view does not offer is dropped', () => {
    const blocks = [
      { type: 'input', block_id: 'c', element: { type: 'checkboxes', action_id: 'x', options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }] } },
      { type: 'input', block_id: 'd', element: { type: 'datepicker', action_id: 'x' } },
      { type: 'input', block_id: 'u', element: { type: 'users_select', action_id: 'x' } },
    ];
    const dir = { programName: 'P', channels: [], people: [{ id: 'U01', name: 'Ana', zone: 'UTC' }] };
    expect(stateValues(blocks, { 'c/x': ['a', 'forged'], 'd/x': '2026-02-05', 'u/x': 'U01' }, dir)).toEqual({
      c: { x: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }] } },
      d: { x: { type: 'datepicker', selected_date: '2026-02-05' } },
      u: { x: { type: 'users_select', selected_user: 'U01' } },
    });
    expect(stateValues(blocks, { 'u/x': 'U99' }, dir).u.x.selected_user).toBeNull();
  });
});
