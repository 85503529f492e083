import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';
import { gridBlockActionBody, gridSlashCommandBody, gridViewSubmissionBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { withBot } from '../support/with-bot.js';

const SECRET = 'e2e-grid-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;

// One Enterprise Grid org, E0ACME, with Preflight installed org-wide: the program channel and the US workstream live
// in workspace T0ACMEUS, the EU workstream in T0ACMEEU. EU's channel is also shared through Slack Connect with Globex
// (E0GLOBEX), whose W0GLOBEX1 the plan lists as an EU member and whose W0GLOBEX2 it does not.
// The scheduled standups are never due during the test (any hour, any day): prompts come from /standup start only.
const ORG = 'E0ACME';
const US = 'T0ACMEUS';
const EU = 'T0ACMEEU';
const CONFIG = aConfig({
  program: { name: 'Grid launch', channel: 'C0PROG', team: US, execs: ['U0EXEC'] },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: {
    sweep_every: '1s',
    ladders: {
      P1: [
        { after: '2s', notify: 'lead' },
        { after: '1h', notify: 'pm' },
      ],
    },
  },
  workstreams: [
    aWorkstream({ id: 'us', name: 'US web', channel: 'C0US', leads: ['U0USLEAD'], members: ['U0US1'], standup: { at: standupTimeAwayFromNow('UTC') } }),
    aWorkstream({
      id: 'eu',
      name: 'EU web',
      channel: 'C0EU',
      team: EU,
      slack_connect: ['T0GLOBEX'],
      leads: ['U0EULEAD'],
      members: ['U0EU1', 'W0GLOBEX1'],
      standup: { at: standupTimeAwayFromNow('UTC') },
    }),
  ],
  gates: [{ id: 'qa', name: 'QA sign-off', sign_off: ['U0USLEAD'], unblocks: ['eu'] }],
});

describe('one Preflight for an Enterprise Grid org (two workspaces), with a Slack Connect channel', () => {
  const t = withBot(CONFIG, {
    label: 'e2egrid',
    secret: SECRET,
    env: { SLACK_ENTERPRISE_ID: ORG },
    fake: { grid: { enterpriseId: ORG, teams: [US, EU], channels: { C0PROG: US, C0US: US, C0EU: EU } } },
  });
  const post = async (body: string) => {
    const res = await postToSlackEndpoint(t.bot.baseUrl, SECRET, body, FORM);
    expect(res.status).toBe(200);
    return res.json() as Promise<{ response_type?: string; text?: string }>;
  };
  const command = (command: string, text: string, userId: string, channelId: string, teamId: string, enterpriseId?: string) =>
    post(gridSlashCommandBody({ command, text, userId, channelId, teamId, ...(enterpriseId ? { enterpriseId } : {}) }));
  const dmsTo = (user: string) => t.fake.ok('chat.postMessage', (a) => a.channel === user);
  const blockers = async () => (await t.sql.query('SELECT id, reporter, workstream_id FROM blockers ORDER BY id')).rows;

  it('checked every channel in its workspace at start-up', () => {
    const asked = t.fake.ok('conversations.info').map((c) => c.args.channel);
    expect(new Set(asked)).toEqual(new Set(['C0PROG', 'C0US', 'C0EU']));
  });

  it('prompts, a blocker with its escalation DM and /gonogo work from both workspaces', async () => {
    // the EU lead starts EU's standup from the EU workspace: both members are prompted, the Globex one too
    expect(await command('/standup', 'start eu', 'U0EULEAD', 'C0EU', EU, ORG)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('prompting 2 members') });
    await t.fake.waitFor('EU prompts', () => dmsTo('U0EU1').length === 1 && dmsTo('W0GLOBEX1').length === 1);
    // the US lead starts US's from the US workspace
    expect(await command('/standup', 'start us', 'U0USLEAD', 'C0US', US, ORG)).toMatchObject({ text: expect.stringContaining('prompting 1 member') });
    await t.fake.waitFor('US prompt', () => dmsTo('U0US1').length === 1);

    // a blocker raised in the EU workspace escalates to its lead by DM
    expect(await command('/blocker', 'Payments API down P1', 'U0EU1', 'C0EU', EU, ORG)).toMatchObject({ text: expect.stringMatching(/Raised \*B-1\* \(P1\) in \*EU web\*/) });
    await t.fake.waitFor(
      'blocker posted in the EU channel',
      () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0EU' && JSON.stringify(a.blocks ?? '').includes('Payments API down')).length === 1,
    );
    await t.fake.waitFor('EU lead pinged', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'U0EULEAD' && String(a.text).includes('needs you')).length === 1, 10_000);

    // /gonogo from the US workspace's program channel sees the EU blocker's workstream and the gate
    await command('/gonogo', '', 'U0PM', 'C0PROG', US, ORG);
    await t.fake.waitFor('go/no-go summary', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0PROG' && String(a.text).includes('Grid launch')).length === 1);
    const summary = JSON.stringify(t.fake.ok('chat.postMessage', (a) => a.channel === 'C0PROG' && String(a.text).includes('Grid launch'))[0]!.args.blocks);
    expect(summary).toContain('EU web');
    expect(summary).toContain('US web');
    expect(summary).toContain('QA sign-off');
  });

  it('Slack Connect: the listed Globex member answers the check-in from their DM with the form', async () => {
    const prompt = dmsTo('W0GLOBEX1')[0]!;
    const button = (prompt.args.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'standup_open_form');
    const opened = t.fake.ok('views.open').length;
    const click = gridBlockActionBody({
      userId: 'W0GLOBEX1',
      actionId: 'standup_open_form',
      value: button.value,
      channelId: 'D0GLOBEX1',
      messageTs: '1700000000.000001',
      teamId: 'T0GLOBEX',
      enterpriseId: 'E0GLOBEX',
    });
    expect((await postToSlackEndpoint(t.bot.baseUrl, SECRET, click, FORM)).status).toBe(200);
    await t.fake.waitFor('the form opened', () => t.fake.ok('views.open').length === opened + 1);
    const view = t.fake.ok('views.open').at(-1)!.args.view;
    const submitted = await postToSlackEndpoint(
      t.bot.baseUrl,
      SECRET,
      gridViewSubmissionBody({
        userId: 'W0GLOBEX1',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        teamId: 'T0GLOBEX',
        enterpriseId: 'E0GLOBEX',
        values: {
          q_yesterday: { answer: { type: 'plain_text_input', value: 'Webhook client done' } },
          q_today: { answer: { type: 'plain_text_input', value: 'Retries' } },
          q_blockers: { answer: { type: 'plain_text_input', value: 'none' } },
          q_progress: { answer: { type: 'number_input', value: '60' } },
          q_risk: { answer: { type: 'static_select', selected_option: { value: 'green' } } },
        },
      }),
      FORM,
    );
    expect(submitted.status).toBe(200);
    // the answer is recorded: the form turns into its confirmation (issue 25: no receipt DM)
    const confirmation = await submitted.json();
    expect(confirmation).toMatchObject({ response_action: 'update', view: { type: 'modal', close: { text: 'Done' } } });
    expect(JSON.stringify(confirmation.view.blocks)).toContain('Thanks! Your answer is in the');
    const answers = await t.sql.query("SELECT count(*)::int AS n FROM standup_answers WHERE user_id = 'W0GLOBEX1'");
    expect(answers.rows[0].n).toBeGreaterThan(0);
    expect(dmsTo('W0GLOBEX1')).toHaveLength(1); // the prompt only
  });

  it('Slack Connect: the listed Globex member raises a blocker; an unlisted one is refused and nothing changes', async () => {
    const listed = await command('/blocker', 'Webhook retries failing P2', 'W0GLOBEX1', 'C0EU', 'T0GLOBEX', 'E0GLOBEX');
    expect(listed.text).toMatch(/Raised \*B-2\* \(P2\) in \*EU web\*/);
    const before = await blockers();
    const callsBefore = t.fake.calls.length;
    const refused = await command('/blocker', 'Let me in P0', 'W0GLOBEX2', 'C0EU', 'T0GLOBEX', 'E0GLOBEX');
    expect(refused).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('You are in this channel through Slack Connect, from another organization, and this launch plan does not list you'),
    });
    expect(await blockers()).toEqual(before);
    expect(t.fake.calls.slice(callsBefore).some((c) => JSON.stringify(c.args).includes('Let me in'))).toBe(false);
  });

  it('a third, foreign org (or a stray workspace) is refused with the usual words and changes nothing', async () => {
    const before = await blockers();
    const runs = (await t.sql.query('SELECT count(*)::int AS n FROM standup_runs')).rows[0].n;
    const callsBefore = t.fake.calls.length;
    for (const [team, org] of [
      ['T0INITECH', 'E0INITECH'],
      ['T0STRAY', undefined],
    ] as const) {
      expect(await command('/blocker', 'Foreign outage P0', 'U0EU1', 'C0INITECH', team, org)).toEqual({
        response_type: 'ephemeral',
        text: 'This Preflight serves another Slack workspace, so it cannot act on this request.',
      });
      expect(await command('/standup', 'start eu', 'U0EULEAD', 'C0INITECH', team, org)).toMatchObject({ text: expect.stringContaining('serves another Slack workspace') });
    }
    expect(await blockers()).toEqual(before);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM standup_runs')).rows[0].n).toBe(runs);
    expect(t.fake.calls.slice(callsBefore).some((c) => JSON.stringify(c.args).includes('Foreign outage') || c.args.channel === 'C0INITECH')).toBe(false);
  });
});
