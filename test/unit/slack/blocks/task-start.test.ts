import { describe, expect, it } from 'vitest';
import { taskStartMessage } from '../../../../src/slack/blocks/task-start.js';

describe('the task start notice', () => {
  it('names the task and what it waited for', () => {
    expect(taskStartMessage({ taskId: 'O-5', title: 'NextAuth', requires: ['O-3', 'infra'] })).toEqual({
      text: '▶️ *O-5* “NextAuth” can start now: O-3, infra are done. `/task` shows your queue.',
    });
    expect(taskStartMessage({ taskId: 'O-3', title: 'Email', requires: ['O-1'] }).text).toBe('▶️ *O-3* “Email” can start now: O-1 is done. `/task` shows your queue.');
  });
  it('escapes the ids and the title', () => {
    expect(taskStartMessage({ taskId: 'A&B', title: '<!here> fix', requires: ['<x>'] }).text).toBe('▶️ *A&amp;B* “&lt;!here&gt; fix” can start now: &lt;x&gt; is done. `/task` shows your queue.');
  });
});
