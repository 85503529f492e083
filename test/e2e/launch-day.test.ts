import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { blockActionBody, dmEventBody } from '../support/slack-payloads.js';
import { localMinute, middayZone } from '../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

/*
 * Issue 9 end to end: the real process (npm start, HTTP mode, signed requests) runs a launch day's rhythm on its
 * own scheduler: two check-ins of one workstream in a day, a program check-in of all leads, and a workstream that
 * waits for a joint gate and starts when the second of its two signers signs.
 *
 * Times come from the test's own now: a fixed-offset zone where it is about noon (no DST, no date change), the
 * first check-ins at the current minute (open when the bot starts: opened late, before their close), the second
 * check-in two minutes later. Tolerance: the bot must be up within ~60 s of the test's start (it takes 5-20 s on
 * a loaded 2-core box) for the first check-in's 2-minute window; waits allow up to 3 minutes in all.
 */

const SECRET = 'e2e-signing-secret-0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded' as const;
const JSON_TYPE = 'application/json' as const;
const NOW = DateTime.utc();
const ZONE = middayZone(NOW);
const at = (minutes: number) => localMinute(ZONE, NOW, minutes);
const STATUS = [{ id: 'status', prompt: 'Status?' }];

const CONFIG = aConfig({
  program: {
    name: 'Launch day',
    timezone: ZONE,
    channel: 'C0PROG',
    checkins: [{ id: 'leads', name: 'All team leads', at: at(0), participants: ['all_leads', 'U0PM'], questions: STATUS, remind_after: '90s', close_after: '6m' }],
  },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  scheduler: { tick: '1s' },
  workstreams: [
    aWorkstream({
      id: 'core',
      name: 'Core',
      channel: 'C0CORE',
      members: ['U01', 'U02'],
      checkins: [
        { id: 'first', name: 'First checkpoint', at: at(0), questions: STATUS, remind_after: '60s', close_after: '2m' },
        { id: 'second', name: 'Second checkpoint', at: at(2), questions: STATUS, remind_after: '60s', close_after: '2m' },
      ],
    }),
    aWorkstream({
      id: 'gated',
      name: 'Gated',
      channel: 'C0GATED',
      leads: ['U0GLEAD'],
      members: ['U03'],
      starts_when: { gate: 'joint' },
      checkins: [{ id: 'work', name: 'Work checkpoint', at: at(0), questions: STATUS, remind_after: '5m', close_after: '8m' }],
    }),
  ],
  gates: [{ id: 'joint', name: 'Joint gate', sign_off: { all_of: ['U0SIGNA', 'U0SIGNB'] } }],
});

describe('a launch day on the real process: two check-ins, a program check-in of all leads, a gated workstream (issue 9)', () => {
  const t = withBot(CONFIG, { label: 'e2e9', secret: SECRET, token: 'xoxb-e2e-token' });
  const post = (body: string, type: typeof FORM | typeof JSON_TYPE) => postToSlackEndpoint(t.bot.baseUrl, SECRET, body, type);
  const posts = (channel: string) => t.fake.ok('chat.postMessage', (a) => a.channel === channel);
  /** Every DM to `userId`: prompts are posted to the user ID, reminders and replies to their DM channel (D…). */
  const dms = (userId: string) => t.fake.ok('chat.postMessage', (a) => a.channel === userId || a.channel === `D${userId.slice(1)}`);
  const runs = async () =>
    (await t.sql.query("SELECT workstream_id, checkin_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, status FROM standup_runs ORDER BY id")).rows as {
      workstream_id: string;
      checkin_id: string;
      local_date: string;
      status: string;
    }[];
  const promptedIn = async (ws: string, checkin: string) =>
    (await t.sql.query('SELECT p.user_id FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id WHERE r.workstream_id = $1 AND r.checkin_id = $2 ORDER BY p.user_id', [ws, checkin])).rows.map(
      (r) => r.user_id as string,
    );
  const signOff = (userId: string) =>
    post(blockActionBody({ userId, actionId: 'gate_signoff:0', value: 'joint', channelId: 'C0PROG', messageTs: '1700000000.000100', responseUrl: `${t.fake.url}response/${userId}` }), FORM);

  it('opens the program check-in for the active workstreams’ leads and the PM, and the first check-in; the gated workstream waits', async () => {
    await t.fake.waitFor('program and first check-in prompts', () => ['U0LEAD', 'U0PM', 'U01', 'U02'].every((u) => posts(u).length >= 1), 30_000);
    await t.fake.waitFor('program report and first report', () => posts('C0PROG').length >= 1 && posts('C0CORE').length >= 1);
    expect(await promptedIn('_program', 'leads')).toEqual(['U0LEAD', 'U0PM']); // not U0GLEAD: Gated waits for its gate
    expect(await promptedIn('core', 'first')).toEqual(['U01', 'U02']);
    expect(String(posts('C0PROG')[0]!.args.text)).toContain('All team leads');
    expect((await runs()).filter((r) => r.workstream_id === 'gated')).toEqual([]);
    expect(posts('U03')).toHaveLength(0);
    expect(posts('U0GLEAD')).toHaveLength(0);

    // U01 answers the first check-in in the DM (one question)
    expect((await post(dmEventBody({ eventId: 'Ev9E2E1', userId: 'U01', channel: 'D01', text: 'Cluster is up' }), JSON_TYPE)).status).toBe(200);
    // the first check-in opened at the start of the test's minute with remind_after 60s: on a slow start the
    // reminder ("Reminder: your Core · First checkpoint…") reaches D01 before this answer, so look for the thanks
    const thanks = () => posts('D01').filter((c) => /^Thank/.test(String(c.args.text)));
    await t.fake.waitFor('answer to U01', () => thanks().length >= 1);
    expect(thanks()).toHaveLength(1);
    expect(posts('D01').every((c) => /^(Thank|Reminder: your Core · First checkpoint)/.test(String(c.args.text)))).toBe(true);
    const answers = async () => (await t.sql.query('SELECT a.user_id, r.checkin_id, a.answers, a.complete FROM standup_answers a JOIN standup_runs r ON r.id = a.run_id')).rows;
    for (let i = 0; i < 50 && (await answers()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await answers()).toEqual([{ user_id: 'U01', checkin_id: 'first', answers: { status: 'Cluster is up' }, complete: true }]);
  }, 60_000);

  it('the joint gate: one signature leaves the workstream waiting; the second passes the gate, tells the channel and the member, and opens its check-in', async () => {
    expect((await signOff('U0SIGNA')).status).toBe(200);
    await t.fake.waitFor('answer to the first signer', () => t.fake.calls.some((c) => c.method.includes('response/U0SIGNA')));
    expect((await t.sql.query("SELECT status FROM gate_states WHERE gate_id = 'joint'")).rows.map((r) => r.status)).not.toContain('passed');
    await new Promise((r) => setTimeout(r, 3_000)); // three scheduler ticks
    expect((await runs()).filter((r) => r.workstream_id === 'gated')).toEqual([]);
    expect(posts('U03')).toHaveLength(0);

    expect((await signOff('U0SIGNB')).status).toBe(200);
    await t.fake.waitFor('gate passed notices', () => posts('C0GATED').some((c) => String(c.args.text).includes('Gate “Joint gate” passed')), 20_000);
    expect(String(posts('C0GATED').find((c) => String(c.args.text).includes('passed'))!.args.text)).toBe('🟢 Gate “Joint gate” passed: Gated is no longer waiting for it. First check-in: now.');
    await t.fake.waitFor('the member told, then prompted', () => posts('U03').length >= 2, 20_000);
    expect(String(posts('U03')[0]!.args.text)).toBe('🟢 Gate “Joint gate” passed, so Gated starts. Your first check-in: now (you get a DM with the questions then).');
    expect(String(posts('U03')[1]!.args.text)).toContain('Work checkpoint for Gated');
    expect((await runs()).filter((r) => r.workstream_id === 'gated').map((r) => [r.checkin_id, r.status])).toEqual([['work', 'open']]);
    expect((await t.sql.query("SELECT status FROM gate_states WHERE gate_id = 'joint'")).rows).toEqual([{ status: 'passed' }]);
  }, 60_000);

  it('the second check-in of the day opens at its own time, prompts again, and its report replies in the thread of the day’s first', async () => {
    await t.fake.waitFor('second check-in prompts', () => [dms('U01'), dms('U02')].every((d) => d.some((c) => String(c.args.text).includes('Second checkpoint'))), 180_000);
    const core = (await runs()).filter((r) => r.workstream_id === 'core');
    expect(core.map((r) => r.checkin_id)).toEqual(['first', 'second']);
    expect(new Set(core.map((r) => r.local_date)).size).toBe(1); // the same local date
    expect(String(posts('U01').at(-1)!.args.text)).toContain('Second checkpoint for Core');
    // U02 never answered the first: one reminder for it, before the second's prompt
    const u02 = dms('U02').map((c) => JSON.stringify(c.args));
    expect(u02.filter((t) => t.includes('First checkpoint'))).toHaveLength(2);
    expect(u02.findIndex((t) => t.includes('Reminder'))).toBeLessThan(u02.findIndex((t) => t.includes('Second checkpoint')));
    await t.fake.waitFor('second report in the first one’s thread', () => posts('C0CORE').some((c) => c.args.thread_ts), 30_000);
    const reports = (
      await t.sql.query(
        "SELECT checkin_id, (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts, report_thread_ts FROM standup_runs WHERE workstream_id = 'core' ORDER BY id",
      )
    ).rows;
    expect(reports[1].report_thread_ts).toBe(reports[0].report_ts);
    expect(
      posts('C0CORE')
        .filter((c) => c.args.thread_ts)
        .map((c) => c.args.thread_ts),
    ).toEqual([reports[0].report_ts]);
    expect(posts('C0CORE').filter((c) => !c.args.thread_ts)).toHaveLength(1); // one top-level report a day in the channel
    // nothing was prompted twice: one prompt row per person and check-in
    const dupes = await t.sql.query('SELECT run_id, user_id, count(*) FROM standup_prompts GROUP BY run_id, user_id HAVING count(*) > 1');
    expect(dupes.rowCount).toBe(0);
  }, 200_000);
});
