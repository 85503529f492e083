import { describe, expect, it } from 'vitest';
import { percentInput, runnerOf, textInput, workstreamInput } from '../../../../src/slack/functions/inputs.js';

describe('workflow step inputs as Slack sends them', () => {
  it('the runner is the user_context input’s id ({ id, secret }); none when the workflow maps nothing', () => {
    expect(runnerOf({ user_context: { id: 'U01', secret: 's' } })).toBe('U01');
    expect(runnerOf({})).toBeNull();
    expect(runnerOf({ user_context: { secret: 's' } })).toBeNull();
  });

  it('text inputs are trimmed; blank is absent', () => {
    expect(textInput({ a: '  x ' }, 'a')).toBe('x');
    expect(textInput({ a: '   ' }, 'a')).toBeUndefined();
    expect(textInput({}, 'a')).toBeUndefined();
    expect(textInput({ a: 3 }, 'a')).toBe('3');
  });

  it('a percent is a whole number 0–100 (a number, or text of one); anything else names the input and the range', () => {
    expect(percentInput({ p: 0 }, 'p')).toEqual({ ok: true, percent: 0 });
    expect(percentInput({ p: '100' }, 'p')).toEqual({ ok: true, percent: 100 });
    for (const bad of [101, -1, 2.5, 'half', '', undefined]) {
      const r = percentInput({ p: bad }, 'p');
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.error).toContain("set the step's “p” input to a whole number from 0 to 100");
    }
  });

  it('an unknown workstream lists the valid ids with their names', () => {
    const ws = { pay: { name: 'Payments' }, web: { name: 'Website' } };
    expect(workstreamInput(ws, 'pay')).toEqual({ ok: true, id: 'pay' });
    expect(workstreamInput(ws, 'Pay')).toEqual({ ok: false, error: "There is no workstream “Pay” in preflight.yml. Set the step's workstream to one of: pay (Payments), web (Website)." });
  });
});
