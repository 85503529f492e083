import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 18, defect 10. Seed 000's escalation path (/work/shared/seeds/000, "BLOCKER ESCALATION"): team member → team
// lead (5 min) → Managing Engineer (5 min) → exec (15 min), as examples/final-deployment-five-teams writes it for P0.
// O-1 writes `priority: P0`, so its due-time escalation climbs that ladder; O-2 writes none and keeps the ladder tasks
// always had (lead 30 min, PM 1 h). Fri 13 Nov 2026 in New York (EST, UTC−5); standups only on Sundays.
const YAML = aConfig({
  program: { name: 'Final deployment', timezone: 'America/New_York', execs: ['U0EXEC'], channel: 'C0PROGRAM' },
  calendar: { workdays: ['sun'] },
  escalation: {
    ladders: {
      P0: [
        { after: '5m', notify: 'lead' },
        { after: '10m', notify: 'pm' },
        { after: '25m', notify: 'exec' },
      ],
    },
  },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      members: ['U0A', 'U0B'],
      tasks: [
        { id: 'O-1', title: 'MongoDB', owner: 'U0A', due: '2026-11-13T13:00', priority: 'P0' },
        { id: 'O-2', title: 'OAuth', owner: 'U0B', due: '2026-11-13T13:00' },
      ],
    }),
  ],
});
const slack = nockSlack();
afterAll(() => slack.done());

describe('a task’s due-time escalation climbs the ladder of its priority, at the times the preview lists', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  /** Escalation DMs, as `HH:mm to task`, in the order sent (the recipient's DM; the task named in the message). */
  const pinged = () =>
    slack
      .of('chat.postMessage', (x) => String(x.channel).startsWith('U') && String(x.text).includes('needs you'))
      .map((x) => `${x.args.channel} ${/O-\d/.exec(JSON.stringify(x.args.blocks ?? []))?.[0] ?? '?'} ${/\((P\d)\)/.exec(String(x.args.text))?.[1] ?? '?'}`);
  /** Runs every open task escalation's handler once, as its delayed job would (the fixed clock moves, not the real one). */
  const escalateAll = async () => {
    const open = await h.sql<{ id: number; version: number }>("SELECT id, version FROM blockers WHERE source = 'task' AND status <> 'resolved' ORDER BY id");
    return Promise.all(open.map((o) => escalate(bot.deps, o.id, o.version)));
  };
  const at = (hhmm: string) => DateTime.fromISO(`2026-11-13T${hhmm}`, { zone: 'America/New_York' });

  beforeAll(async () => {
    h = await harness(YAML, '2026-11-13T18:00:00Z'); // 13:00 in New York: both tasks are due now
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('the preview lists O-1 on the P0 ladder and O-2 on the task ladder', () => {
    const lines = buildPreview(bot.deps.config, null, '2026-11-13', 1)
      .events.filter((e) => e.kind === 'task_due' || e.kind === 'task_escalation')
      .map((e) => `${e.at.setZone('America/New_York').toFormat('HH:mm')} ${e.to ?? e.summary}${e.to ? ` ${e.taskId}` : ''}`);
    expect(lines).toEqual([
      '13:00 Task O-1 “MongoDB” due (ladder: escalation.ladders.P0)',
      '13:00 Task O-2 “OAuth” due (ladder: the default task ladder)',
      '13:00 U0A O-1',
      '13:00 U0B O-2',
      '13:05 U0LEAD O-1',
      '13:10 U0PM O-1',
      '13:25 U0EXEC O-1',
      '13:30 U0LEAD O-2',
      '14:00 U0PM O-2',
    ]);
  });

  it('the sweep raises each task’s escalation at its priority and DMs its owner', async () => {
    expect((await sweepTasks(bot.deps)).raised).toBe(2);
    const rows = await h.sql<{ task_id: string; severity: string }>("SELECT task_id, severity FROM blockers WHERE source = 'task' ORDER BY task_id");
    expect(rows).toEqual([
      { task_id: 'O-1', severity: 'P0' },
      { task_id: 'O-2', severity: 'P1' },
    ]);
    await eventually('both owners are pinged', () => pinged().length === 2);
    expect(pinged().sort()).toEqual(['U0A O-1 P0', 'U0B O-2 P1']);
  });

  it('then the lead at 13:05, the PM at 13:10 and the exec at 13:25 about O-1; the lead at 13:30 and the PM at 14:00 about O-2; nobody a minute early', async () => {
    const steps: [string, string[]][] = [
      ['13:05', ['U0LEAD O-1 P0']],
      ['13:10', ['U0PM O-1 P0']],
      ['13:25', ['U0EXEC O-1 P0']],
      ['13:30', ['U0LEAD O-2 P1']],
      ['14:00', ['U0PM O-2 P1']],
    ];
    for (const [hhmm, expected] of steps) {
      const before = pinged().length;
      h.clock.set(at(hhmm).minus({ minutes: 1 }));
      expect(await escalateAll(), `${hhmm} − 1 min`).not.toContain('notified');
      h.clock.set(at(hhmm));
      expect(await escalateAll(), hhmm).toContain('notified');
      await eventually(`the pings due at ${hhmm}`, () => pinged().length === before + expected.length);
      expect(pinged().slice(before), hhmm).toEqual(expected);
    }
  });
});
