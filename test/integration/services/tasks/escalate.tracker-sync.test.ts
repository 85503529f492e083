import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

/*
 * A tracker sync stores the issues it read, reloads the plan (a new task appears, not done yet), then applies the
 * issues' states (done). A due-work sweep between the reload and the states used to escalate a task its tracker had
 * already closed: a P1 "was due" blocker posted in the channel, resolved a moment later (seen in the sandbox on a
 * loaded machine: the README walkthrough's team channel was not empty). LAUNCH-12 and LAUNCH-13 come from Jira, as the
 * sync writes them; O-2 is a task of preflight.yml. All three were due at 09:00 on Fri 13 Nov 2026 in New York.
 */
const jira = { tracker: 'jira', label: 'Jira LAUNCH' };
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', channel: 'C0PROGRAM' },
  calendar: { workdays: ['sun'] },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      members: ['U0B'],
      tasks: [
        { id: 'LAUNCH-12', title: 'Load-test the broker feed', owner: 'U0B', due: '2026-11-13T09:00', url: 'https://acme.atlassian.net/browse/LAUNCH-12', source: jira },
        { id: 'LAUNCH-13', title: 'Rotate the feed keys', owner: 'U0B', due: '2026-11-13T09:00', url: 'https://acme.atlassian.net/browse/LAUNCH-13', source: jira },
        { id: 'O-2', title: 'OAuth', owner: 'U0B', due: '2026-11-13T09:00' },
      ],
    }),
  ],
});
const slack = nockSlack();
afterAll(() => slack.done());

describe('a tracker task closed in the tracker, its state not applied yet, is not escalated (real Postgres)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  /** The stored issue, as the sync writes it (tracker_issues) before it reloads the plan. */
  const stored = (key: string, done: boolean) => {
    const issue = {
      key,
      title: key,
      url: `https://acme.atlassian.net/browse/${key}`,
      assigneeEmail: null,
      assigneeName: null,
      due: null,
      estimate: null,
      status: done ? 'Done' : 'In Progress',
      done,
      priority: null,
      blockedBy: [],
      updatedAt: '2026-11-13T14:59:00.000Z',
    };
    return h.sql(
      `INSERT INTO tracker_issues (key, source_id, workstream_id, issue, tracker_updated_at, synced_at) VALUES ($1, 'omega/0', 'omega', $2, $3, $3)
       ON CONFLICT (key) DO UPDATE SET issue = excluded.issue`,
      [key, JSON.stringify(issue), new Date('2026-11-13T14:59:00Z')],
    );
  };
  const escalated = async () => (await h.sql<{ task_id: string }>("SELECT task_id FROM blockers WHERE source = 'task' ORDER BY task_id")).map((r) => r.task_id);

  beforeAll(async () => {
    h = await harness(YAML, '2026-11-13T15:00:00Z'); // 10:00 in New York: all three an hour overdue
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('the sweep escalates the open tasks and not the one Jira calls done', async () => {
    await stored('LAUNCH-12', true);
    await stored('LAUNCH-13', false);
    expect(await sweepTasks(bot.deps)).toMatchObject({ raised: 2 });
    expect(await escalated()).toEqual(['LAUNCH-13', 'O-2']);
  });

  it('re-opened in the tracker before its state was applied: the next sweep escalates it', async () => {
    await stored('LAUNCH-12', false);
    expect(await sweepTasks(bot.deps)).toMatchObject({ raised: 1 });
    expect(await escalated()).toEqual(['LAUNCH-12', 'LAUNCH-13', 'O-2']);
  });
});
