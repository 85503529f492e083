import { describe, expect, it } from 'vitest';
import { jiraWebhook } from '../../sandbox/tracker-stand-in/jira.js';
import { TrackerStandIn } from '../../sandbox/tracker-stand-in/server.js';
import { freePort, postToSlackEndpoint } from '../support/bot-process.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { withBot } from '../support/with-bot.js';

/*
 * Issue 21 end to end: the real bot process reads a Jira project from the tracker stand-in (JIRA_API_URL), takes
 * the stand-in's signed webhooks on its HTTP port and writes `/task done` back. The stand-in's 12 issues come from
 * a fixed seed (sandbox/tracker-stand-in/store.ts), whatever the date: LAUNCH-1 (To Do) blocks LAUNCH-4 and LAUNCH-10
 * (neither done), LAUNCH-3 and LAUNCH-5 are In Progress. Their dues are dates around the test's own now. No assignee
 * email is a Slack member (the Slack fake finds none), so every task's owner is the workstream's lead, U0LEAD.
 */

const SECRET = 'e2e-tracker-signing-secret';
const WEBHOOK_SECRET = 'e2e-jira-webhook-secret';
const SITE = 'https://acme.atlassian.net';
const FORM = 'application/x-www-form-urlencoded' as const;

const standIn = await new TrackerStandIn({ sources: [{ kind: 'jira', key: 'LAUNCH', count: 12 }], seed: 21 }).start();
const port = await freePort();
standIn.webhooks = { jira: { url: `http://127.0.0.1:${port}/webhooks/jira`, secret: WEBHOOK_SECRET } };

const CONFIG = aConfig({
  program: { name: 'Launch' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  workstreams: [
    aWorkstream({
      name: 'Launch Web',
      members: ['U01'],
      standup: { at: standupTimeAwayFromNow('UTC') },
      tasks_from: [
        {
          jira: {
            site: SITE,
            jql: 'project = LAUNCH',
            email_env: 'JIRA_EMAIL',
            token_env: 'JIRA_TOKEN',
            webhook_secret_env: 'JIRA_WEBHOOK_SECRET',
            // the reconcile poll would also catch up a done issue; make it rare so the webhook is what is tested
            poll_every: '1h',
            write_back: true,
          },
        },
      ],
    }),
  ],
});

describe('tasks from a Jira project through the real process (tracker stand-in)', () => {
  const t = withBot(CONFIG, {
    label: 'e2etrk',
    secret: SECRET,
    env: {
      PORT: String(port),
      JIRA_API_URL: standIn.url,
      JIRA_EMAIL: 'preflight-bot@acme.example',
      JIRA_TOKEN: 'e2e-jira-token',
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    afterStop: () => standIn.stop(),
  });
  const task = async (userId: string, text: string) =>
    (await (await postToSlackEndpoint(t.bot.baseUrl, SECRET, slashCommandBody({ command: '/task', text, userId, channelId: 'C0WS1' }), FORM)).json()) as {
      response_type: string;
      text: string;
      blocks?: unknown[];
    };
  const shown = async (key: string) => JSON.stringify((await task('U0LEAD', `show ${key}`)).blocks ?? []);
  /** Polls `/task show <key>` until its blocks satisfy `ok` (the sync and webhooks apply in the background). */
  const waitForShow = async (what: string, key: string, ok: (blocks: string) => boolean, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = await shown(key);
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 500));
    }
    const trackerLog = t.bot
      .output()
      .split('\n')
      .filter((l) => /tracker|jira/i.test(l))
      .join('\n');
    throw new Error(`${what}: not within ${timeoutMs} ms; /task show ${key} last answered ${last}\nstand-in calls: ${JSON.stringify(standIn.calls)}\nbot's tracker log:\n${trackerLog}`);
  };
  const canStart = (key: string) => t.fake.ok('chat.postMessage', (a) => a.channel === 'U0LEAD' && String(a.text).includes(`can start now`) && String(a.text).includes(key));

  it('the first sync brings the issues as tasks: /task show LAUNCH-3 answers with the title and the issue’s link', async () => {
    const blocks = await waitForShow('LAUNCH-3 synced', 'LAUNCH-3', (b) => b.includes('Review the status page (LAUNCH 3)'), 120_000);
    const answer = await task('U01', 'show LAUNCH-3');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('LAUNCH-3 Review the status page (LAUNCH 3)');
    expect(blocks).toContain(`${SITE}/browse/LAUNCH-3`);
    expect(blocks).toContain('from Jira LAUNCH');
    expect(blocks).not.toContain('Status: done');
    // the blocked issues wait on LAUNCH-1
    expect(await shown('LAUNCH-4')).toContain('waiting on LAUNCH-1');
  }, 150_000);

  it('a webhook with a bad signature gets 401 and changes nothing', async () => {
    const { source, issue } = standIn.store.find('LAUNCH-5');
    const forged = jiraWebhook(standIn.url, { source, issue: { ...issue, status: 'Done', updatedAt: issue.updatedAt + 60_000 }, before: issue, fields: ['status'] }, 'not-the-secret');
    const res = await fetch(`${t.bot.baseUrl}/webhooks/jira`, { method: 'POST', headers: forged.headers, body: forged.rawBody });
    expect(res.status).toBe(401);
    // and without any signature: 401 too
    const unsigned = { ...forged.headers };
    for (const h of Object.keys(unsigned)) if (h.toLowerCase() === 'x-hub-signature') delete unsigned[h];
    expect((await fetch(`${t.bot.baseUrl}/webhooks/jira`, { method: 'POST', headers: unsigned, body: forged.rawBody })).status).toBe(401);
    await standIn.settled();
    expect(await shown('LAUNCH-5')).not.toContain('Status: done');
    expect(standIn.store.find('LAUNCH-5').issue.status).toBe('In Progress');
  }, 30_000);

  it('moving LAUNCH-1 to Done in Jira (its webhook) makes the task done and tells the owner of each task that waited, once', async () => {
    expect(canStart('LAUNCH-4')).toHaveLength(0);
    standIn.store.moveIssue('LAUNCH-1', 'Done');
    await standIn.settled();
    expect(standIn.webhooksSent.filter((w) => w.key === 'LAUNCH-1')).toEqual([{ kind: 'jira', key: 'LAUNCH-1', status: 202 }]);
    await waitForShow('LAUNCH-1 done', 'LAUNCH-1', (b) => b.includes('Status: done'));
    await t.fake.waitFor('the owner of LAUNCH-4 is told it can start', () => canStart('LAUNCH-4').length >= 1 && canStart('LAUNCH-10').length >= 1, 60_000);
    expect(String(canStart('LAUNCH-4')[0]!.args.text)).toContain('can start now: LAUNCH-1 is done.');
    // once: a later poll or reload does not tell them again (give the background work time to repeat itself)
    await new Promise((r) => setTimeout(r, 3_000));
    expect(canStart('LAUNCH-4')).toHaveLength(1);
    expect(canStart('LAUNCH-10')).toHaveLength(1);
  }, 120_000);

  it('with write_back: true, /task done LAUNCH-5 moves the issue to Done in Jira', async () => {
    expect(await task('U0LEAD', 'done LAUNCH-5')).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('LAUNCH-5') });
    const end = Date.now() + 120_000;
    while (standIn.store.find('LAUNCH-5').issue.status !== 'Done' && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
    expect(standIn.store.find('LAUNCH-5').issue.status).toBe('Done');
    expect(standIn.calls.some((c) => c.kind === 'jira' && c.method === 'POST' && c.path.includes('/issue/LAUNCH-5/transitions'))).toBe(true);
    expect(await shown('LAUNCH-5')).toContain('Status: done');
  }, 150_000);
});
