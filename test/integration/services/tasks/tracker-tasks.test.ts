import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { registerTaskCommand } from '../../../../src/slack/commands/task.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

// Issue 21, as a user sees it: a task brought from a tracker (written here by hand: `url`, `source`, `owner_unmatched`,
// as the sync writes them) whose assignee is not in Slack, so its `owner` is the workstream's lead (U0LEAD). Its title
// is hostile tracker text. LAUNCH-42 has no priority (the default task ladder: lead 30 min, PM 1 h after the due
// time); O-2 is a task of preflight.yml on the same ladder. Fri 13 Nov 2026 in New York; standups only on Sundays.
const HOSTILE = '*Fix* <!channel> <@U123> <https://evil.example|click> & more';
const URL = 'https://acme.atlassian.net/browse/LAUNCH-42';
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
        { id: 'LAUNCH-42', title: HOSTILE, owner: 'U0LEAD', due: '2026-11-13T13:00', url: URL, source: { tracker: 'jira', label: 'Jira LAUNCH' }, owner_unmatched: 'ana@acme.com' },
        { id: 'O-2', title: 'OAuth', owner: 'U0B', due: '2026-11-13T13:00' },
      ],
    }),
  ],
});
const slack = nockSlack();
afterAll(() => slack.done());

describe('a tracker task whose assignee is not in Slack: its link, its owner and its escalation', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  /** Escalation DMs as `recipient task`, in the order sent. */
  const pinged = () =>
    slack
      .of('chat.postMessage', (x) => String(x.channel).startsWith('U') && String(x.text).includes('needs you'))
      .map((x) => `${x.args.channel} ${/LAUNCH-42|O-2/.exec(String(x.args.text))?.[0] ?? '?'}`);
  const escalateAll = async () => {
    const open = await h.sql<{ id: number; version: number }>("SELECT id, version FROM blockers WHERE source = 'task' AND status <> 'resolved' ORDER BY id");
    return Promise.all(open.map((o) => escalate(bot.deps, o.id, o.version)));
  };
  const at = (hhmm: string) => DateTime.fromISO(`2026-11-13T${hhmm}`, { zone: 'America/New_York' });
  const live = (s: string) => ['<!channel>', '<@U123>', '<https://evil.example'].filter((t) => s.includes(t));
  /** Every mrkdwn text of some blocks, joined (plain_text objects, such as a header, are never parsed for mentions). */
  const mrkdwnOf = (blocks: unknown): string => {
    const out: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
        Object.values(o).forEach(walk);
      }
    };
    walk(blocks);
    return out.join('\n');
  };

  beforeAll(async () => {
    h = await harness(YAML, '2026-11-13T17:00:00Z'); // 12:00 in New York: due in an hour
    bot = await h.process();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('/task show: the id links to the issue, the source and "owner not in Slack (email)" are shown, the title is text', async () => {
    const app = boltInProcess((a) => registerTaskCommand(a, { deps: bot.deps, redis: null as never /* /task show does not use Redis */, keyPrefix: 'unused' }));
    const shown = await app.command('/task', 'show LAUNCH-42', 'U0LEAD');
    const body = mrkdwnOf(shown.blocks);
    expect(body).toContain(`🔗 <${URL}|LAUNCH-42> · from Jira LAUNCH`);
    expect(body).toContain('Owner owner not in Slack (ana@acme.com), told to <@U0LEAD> (lead) · due Fri 13 Nov 13:00 (America/New_York)');
    expect(live(body)).toEqual([]);
    expect(live(String(shown.text))).toEqual([]);
    const list = await app.command('/task', 'list omega', 'U0B');
    const listed = mrkdwnOf(list.blocks);
    expect(listed).toContain(`*<${URL}|LAUNCH-42>* *Fix* &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; more · P1 · 1h · owner not in Slack (ana@acme.com)`);
    // a task of preflight.yml: its id as before, its owner mentioned
    expect(listed).toContain('*O-2* OAuth · P1 · 1h · <@U0B>');
    expect(live(listed)).toEqual([]);
    // the lead stands in for the assignee: `/task progress` answers with the title as text
    const progress = await app.command('/task', 'progress LAUNCH-42 0', 'U0LEAD');
    expect(progress.text).toBe('📈 LAUNCH-42 “*Fix* &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; more” at 0%.');
  });

  it('the preview: the due line names the link and the owner not in Slack; the ladder starts at the lead, who is not told twice', () => {
    const lines = buildPreview(bot.deps.config, null, '2026-11-13', 1)
      .events.filter((e) => e.kind === 'task_due' || e.kind === 'task_escalation')
      .map((e) => `${e.at.setZone('America/New_York').toFormat('HH:mm')} ${e.to ? `${e.to} ${e.taskId}` : e.summary}`);
    expect(lines).toEqual([
      `13:00 Task LAUNCH-42 “${HOSTILE}” (${URL}) due (ladder: the default task ladder); owner not in Slack (ana@acme.com): the lead is told from the first level`,
      '13:00 Task O-2 “OAuth” due (ladder: the default task ladder)',
      '13:00 U0B O-2',
      '13:00 U0LEAD LAUNCH-42',
      '13:30 U0LEAD O-2',
      '14:00 U0PM LAUNCH-42',
      '14:00 U0PM O-2',
    ]);
  });

  it('at the due time the lead (not an owner) is told first, that the assignee is not in Slack, with the link; then the PM at 14:00, the lead not again', async () => {
    h.clock.set(at('13:00'));
    // the bot's own periodic sweep (its workers run) may raise one of them first: what counts is each raised once
    await sweepTasks(bot.deps);
    const raised = async () => (await h.sql<{ task_id: string }>("SELECT task_id FROM blockers WHERE source = 'task' ORDER BY task_id")).map((r) => r.task_id);
    await eventually('both tasks raised', async () => (await raised()).length >= 2);
    expect(await raised()).toEqual(['LAUNCH-42', 'O-2']);
    await eventually('the first level of both tasks', () => pinged().length === 2);
    expect(pinged().sort()).toEqual(['U0B O-2', 'U0LEAD LAUNCH-42']);
    const dm = slack.of('chat.postMessage', (x) => x.channel === 'U0LEAD' && String(x.text).includes('LAUNCH-42'))[0]!;
    const body = mrkdwnOf(dm.args.blocks);
    expect(body).toContain('Its assignee is not in Slack (ana@acme.com), so it comes to the lead.');
    expect(body).toContain(`task <${URL}|LAUNCH-42>`);
    expect(body).toContain('1. the lead at 0s');
    expect(live(body)).toEqual([]);
    expect(live(String(dm.args.text))).toEqual([]);

    const steps: [string, string[]][] = [
      ['13:30', ['U0LEAD O-2']],
      ['14:00', ['U0PM LAUNCH-42', 'U0PM O-2']],
    ];
    for (const [hhmm, expected] of steps) {
      const before = pinged().length;
      h.clock.set(at(hhmm).minus({ minutes: 1 }));
      await escalateAll();
      h.clock.set(at(hhmm));
      await escalateAll();
      await eventually(`the pings due at ${hhmm}`, () => pinged().length === before + expected.length);
      expect(pinged().slice(before).sort(), hhmm).toEqual(expected);
    }
  });
});
