import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { findTask } from '../../../../src/services/tasks/catalog.js';
import { taskEscalation } from '../../../../src/services/tasks/escalate.js';

// Issue 21: a tracker task whose assignee is not in Slack (`owner_unmatched`; its owner is the lead) skips the owner's
// level on each of the three ladders a task can have, and the leads are not told twice.
const yaml = (extra: string) => `
program: { name: Launch, timezone: UTC, pm: U0PM, execs: [U0EXEC], channel: C0LAUNCH }
${extra}
workstreams:
  api:
    name: API
    channel: C0API
    leads: [U0LEAD]
    members: [U0ANN]
    tasks:
      - { id: T-1, title: Schema, owner: U0ANN, due: "2026-12-08T12:00" }
      - { id: LAUNCH-1, title: Import, owner: U0LEAD, due: "2026-12-08T12:00", owner_unmatched: ana@acme.com }
      - { id: LAUNCH-2, title: Export, owner: U0LEAD, due: "2026-12-08T12:00", priority: P0, owner_unmatched: ana@acme.com }
`;
const ladderOf = (config: ReturnType<typeof parseWorkspaceConfig>, id: string) => taskEscalation(config, findTask(config, id)!.task).policy.ladder.map((l) => `${l.afterMs / 60_000}m ${l.notify}`);
const parse = (extra = '') => parseWorkspaceConfig(yaml(extra), 'preflight.yml');

describe('taskEscalation of a task whose assignee is not in Slack', () => {
  it('the default task ladder: the leads at the due time (not at 30 min again), the PM at 1 h; a matched owner keeps their level', () => {
    const config = parse();
    expect(ladderOf(config, 'T-1')).toEqual(['0m U0ANN', '30m lead', '60m pm']);
    expect(ladderOf(config, 'LAUNCH-1')).toEqual(['0m lead', '60m pm']);
  });

  it('a priority’s ladder and tasks.escalation: the leads first, a later leads-only level left out, the others at their times', () => {
    expect(ladderOf(parse(), 'LAUNCH-2')).toEqual(['0m lead', '15m pm', '30m exec']);
    const custom = parse('tasks: { escalation: [{ after: 10m, notify: lead }, { after: 20m, notify: [U0EXEC] }] }');
    expect(ladderOf(custom, 'LAUNCH-1')).toEqual(['0m lead', '20m U0EXEC']);
    expect(ladderOf(custom, 'T-1')).toEqual(['0m U0ANN', '10m lead', '20m U0EXEC']);
  });
});
