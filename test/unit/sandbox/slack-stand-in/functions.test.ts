import { describe, expect, it } from 'vitest';
import { FunctionExecutions, functionExecutedBody, userContext } from '../../../../sandbox/slack-stand-in/functions.js';

describe('the stand-in’s Workflow Builder steps (function_executed, functions.completeSuccess / completeError)', () => {
  it('builds the documented event_callback: callback id, inputs, execution id, workflow token', () => {
    const body = functionExecutedBody({ callbackId: 'raise_blocker', inputs: { user_context: userContext('U01'), text: 'x' }, functionExecutionId: 'Fx1' });
    expect(body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0PREFLIGHT',
      event_id: expect.stringMatching(/^Ev/),
      event: {
        type: 'function_executed',
        function: { callback_id: 'raise_blocker', type: 'app' },
        inputs: { user_context: { id: 'U01', secret: expect.any(String) }, text: 'x' },
        function_execution_id: 'Fx1',
        workflow_execution_id: expect.stringMatching(/^Wx/),
        bot_access_token: expect.stringMatching(/^xwfp-/),
      },
    });
  });

  it('an execution completes once: again → execution_not_in_running_state; unknown → function_execution_not_found; a required output missing → parameter_validation_failed', () => {
    const f = new FunctionExecutions();
    f.started(functionExecutedBody({ callbackId: 's', inputs: {}, functionExecutionId: 'Fx1', outputParameters: [{ name: 'id', type: 'string', is_required: true }] }));
    expect(f.answer('functions.completeSuccess', { function_execution_id: 'Fx1', outputs: {} })).toMatchObject({ ok: false, error: 'parameter_validation_failed' });
    expect(f.answer('functions.completeSuccess', { function_execution_id: 'Fx1', outputs: JSON.stringify({ id: 'B-1' }) })).toEqual({ ok: true });
    expect(f.answer('functions.completeError', { function_execution_id: 'Fx1', error: 'no' })).toEqual({ ok: false, error: 'execution_not_in_running_state' });
    expect(f.answer('functions.completeError', { function_execution_id: 'Fx9', error: 'no' })).toEqual({ ok: false, error: 'function_execution_not_found' });
    expect(f.executions.get('Fx1')).toMatchObject({ state: 'completed', outputs: { id: 'B-1' } });
    expect(f.answer('chat.postMessage', {})).toBeNull();
  });
});
