import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

const SECRET = 'e2e-task-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;

// Due times from the test's own now (UTC program): O-1 was due two hours ago, O-2 is due tomorrow, O-3 waits on O-1.
// ws1's scheduled standup is never due during the test: no prompt or report.
const local = (d: DateTime) => d.toUTC().toFormat("yyyy-MM-dd'T'HH:mm");
const now = DateTime.utc();
const CONFIG = aConfig({
  program: { name: 'Phase 11' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: { sweep_every: '1s' },
  workstreams: [
    aWorkstream({
      name: 'Broker Integration',
      blockers_channel: 'C0BLK',
      members: ['U01', 'U02'],
      standup: { at: standupTimeAwayFromNow('UTC') },
      checklist: ['Runbook reviewed'],
      tasks: [
        { id: 'O-1', title: 'MongoDB', owner: 'U01', due: local(now.minus({ hours: 2 })), estimate: 2, priority: 'P0' },
        { id: 'O-2', title: 'OAuth', owner: 'U01', due: local(now.plus({ days: 1 })), estimate: 2 },
        { id: 'O-3', title: 'Email', owner: 'U02', requires: ['O-1'] },
      ],
    }),
  ],
});

describe('/task through the real process over signed HTTP', () => {
  const t = withBot(CONFIG, { label: 'e2et', secret: SECRET });
  const task = async (userId: string, text: string) =>
    (await (await postToSlackEndpoint(t.bot.baseUrl, SECRET, slashCommandBody({ command: '/task', text, userId, channelId: 'C0WS1' }), FORM)).json()) as {
      response_type: string;
      text: string;
      blocks?: unknown[];
    };
  const dms = (user: string, needle: string) => t.fake.ok('chat.postMessage', (a) => a.channel === user && JSON.stringify([a.text, a.blocks]).includes(needle));

  it('shows my queue, escalates the overdue task to its owner, refuses a stranger naming who can, and done stops the ladder and frees what waited', async () => {
    const mine = await task('U01', '');
    expect(mine.response_type).toBe('ephemeral');
    expect(mine.text).toBe('NOW: O-1 MongoDB');
    const lines = JSON.stringify(mine.blocks);
    expect(lines).toMatch(/\*NOW\* \*O-1\* MongoDB · P0 · 2h · due .* · 0% · \*overdue\* by 2h/);
    expect(lines).toContain('*NEXT* *O-2* OAuth');
    expect((await task('U02', '')).blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: expect.objectContaining({ text: expect.stringContaining('*WAIT* *O-3* Email · P1 · 1h · 0% · waiting on O-1') }) })]),
    );

    // the sweep raises O-1's due-time escalation; its owner is pinged once
    await t.fake.waitFor('the owner of O-1 is pinged', () => dms('U01', 'needs you').length === 1, 10_000);
    const ping = JSON.stringify(dms('U01', 'needs you')[0]!.args.blocks);
    expect(ping).toContain('Task O-1 “MongoDB” is not done (0%).');
    expect(ping).toMatch(/was due <!date\^\d+\^\{date_short_pretty\} at \{time\}\|\w{3} \d{1,2} \w{3} at \d\d:\d\d UTC>/);

    expect(await task('U02', 'done O-1')).toMatchObject({ response_type: 'ephemeral', text: "Only O-1's owner, Broker Integration's leads or the PM can update it: <@U01>, <@U0LEAD>, <@U0PM>." });
    expect(await task('U01', 'progress O-2 75')).toMatchObject({ text: '📈 O-2 “OAuth” at 75%.' });
    expect(await task('U01', 'done o-1')).toMatchObject({ text: '✅ O-1 “MongoDB” is done.' });
    // the escalation DM is edited in place: resolved, no buttons (issue 18, defect 11)
    const edited = () => t.fake.ok('chat.update', (a) => String(a.channel).startsWith('D') && JSON.stringify(a.blocks ?? []).includes('Resolved by <@U01>'));
    await t.fake.waitFor('the owner’s escalation DM is edited to resolved', () => edited().length === 1);
    expect(JSON.stringify(edited()[0]!.args.blocks ?? [])).not.toContain('"type":"actions"');
    await t.fake.waitFor('the owner of O-3 is told it can start', () => dms('U02', 'can start now').length === 1);
    expect(String(dms('U02', 'can start now')[0]!.args.text)).toContain('*O-3* “Email” can start now: O-1 is done.');
    const rows = (await t.sql.query("SELECT source, status, resolved_by FROM blockers WHERE task_id = 'O-1'")).rows;
    expect(rows).toEqual([{ source: 'task', status: 'resolved', resolved_by: 'U01' }]);

    // O-1 done (2 h), O-2 at 75% (2 h → 1.5 h), O-3 at 0 (1 h), checklist unticked (1 h): 3.5 of 6 h
    const list = await task('U0PM', 'list ws1');
    expect(list.text).toBe('Broker Integration: 58% complete');
    expect(JSON.stringify(list.blocks)).toContain('% complete: tasks weighted by their estimate');
  }, 40_000);

  it('block raises a blocker linked to the task, posted in the blockers channel; bad input gets the usage', async () => {
    expect(await task('U01', 'block O-2 waiting for the OAuth client secret')).toMatchObject({ text: expect.stringMatching(/^🚧 Raised B-\d+ on O-2 “OAuth” \(P1\)\.$/) });
    await t.fake.waitFor(
      'blocker message',
      () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK' && JSON.stringify(a.blocks ?? []).includes('O-2 “OAuth”: waiting for the OAuth client secret')).length === 1,
    );
    const [b] = (await t.sql.query("SELECT task_id, source, owner FROM blockers WHERE source = 'command'")).rows;
    expect(b).toEqual({ task_id: 'O-2', source: 'command', owner: 'U01' });
    const bad = await task('U01', 'progress O-2 lots');
    expect(bad.text).toBe('Give the progress as a whole percent from 0 to 100, e.g. `/task progress O-2 75`.');
    expect(JSON.stringify(bad.blocks)).toContain('/task done O-3');
  }, 20_000);
});
