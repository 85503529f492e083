import { pageSchema } from '../../src/api/openapi.js';
import { blockerSchema, decisionSchema } from '../../src/services/records/schemas.js';
import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { blockActionBody, slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

const SECRET = 'e2e-blocker-signing-secret';
const FORM = 'application/x-www-form-urlencoded' as const;

// ws1's scheduled standup is never due during the test (any hour, any day): no prompt or report in its channel.
// Timing tolerance: the PM (due at 4 s) resolves as soon as pinged; the exec level is due at 12 s, so the PM's
// ping and click may come up to 8 s late on a loaded 2-core box before the exec could be pinged.
const CONFIG = aConfig({
  program: { name: 'Phase 11', execs: ['U0EXEC'] },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: {
    sweep_every: '1s',
    ladders: {
      P1: [
        { after: '2s', notify: 'lead' },
        { after: '4s', notify: 'pm' },
        { after: '12s', notify: 'exec' },
      ],
    },
  },
  workstreams: [
    aWorkstream({
      name: 'Broker Integration',
      blockers_channel: 'C0BLK',
      members: ['U01', 'U02'],
      standup: { at: standupTimeAwayFromNow('UTC') },
      checklist: ['Alpaca integrated', 'Sync success rate 95%+'],
    }),
  ],
  gates: [{ id: 'qa', name: 'QA sign-off', sign_off: ['U0LEAD'], unblocks: ['ws1'] }],
});

const API_TOKEN = 'e2e-api-token-0123456789';
const blockerPageSchema = pageSchema(blockerSchema);
const decisionPageSchema = pageSchema(decisionSchema);

describe('blockers and /gonogo through the real process over signed HTTP', () => {
  const t = withBot(CONFIG, { label: 'e2eb', secret: SECRET, env: { PREFLIGHT_API_TOKEN: API_TOKEN } });
  const post = (body: string) => postToSlackEndpoint(t.bot.baseUrl, SECRET, body, FORM);
  const pings = (user: string) => t.fake.ok('chat.postMessage', (a) => a.channel === user && String(a.text).includes('needs you'));

  it('/blocker → lead pinged → PM pinged → Resolve stops it; a stranger is refused', async () => {
    const t0 = Date.now();
    const res = await post(slashCommandBody({ command: '/blocker', text: 'Staging DB is down P1 <@U02|bob>', userId: 'U01', channelId: 'C0WS1' }));
    expect(await res.json()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Raised \*B-1\* \(P1\) in \*Broker Integration\*, posted in <#C0BLK>\. It escalates to the lead after 2s/),
    });
    await t.fake.waitFor('blocker message', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK' && !a.thread_ts).length === 1);
    const message = JSON.stringify(t.fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK')[0]!.args.blocks);
    expect(message).toContain('Staging DB is down');
    expect(message).toContain('waiting on <@U02>');
    await t.fake.waitFor('lead pinged', () => pings('U0LEAD').length === 1, 8_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900);
    await t.fake.waitFor('PM pinged', () => pings('U0PM').length === 1, 8_000);

    // someone with no role clicks Resolve in a forwarded message: refused, nothing changes
    const refused = await post(
      blockActionBody({ userId: 'U0STRANGER', actionId: 'blocker_resolve', value: '1', channelId: 'C0BLK', messageTs: '1700000000.000001', responseUrl: `${t.fake.url}response/stranger` }),
    );
    expect(refused.status).toBe(200);
    await t.fake.waitFor('refusal', () => t.fake.calls.some((c) => c.method.includes('response/stranger')));
    expect(String(t.fake.calls.find((c) => c.method.includes('response/stranger'))!.args.text)).toBe(
      "Only B-1's owner, its reporter, Broker Integration's leads, the PM, an exec or someone its ladder names can resolve it: <@U02>, <@U01>, <@U0LEAD>, <@U0PM>, <@U0EXEC>.",
    );

    // the PM resolves it from the escalation DM
    const click = await post(blockActionBody({ userId: 'U0PM', actionId: 'blocker_resolve', value: '1', channelId: 'D0PM', messageTs: '1700000000.000009', responseUrl: `${t.fake.url}response/pm` }));
    expect(click.status).toBe(200);
    await t.fake.waitFor('resolution answer', () => t.fake.calls.some((c) => c.method.includes('response/pm')));
    expect(String(t.fake.calls.find((c) => c.method.includes('response/pm'))!.args.text)).toMatch(/B-1 resolved after \d+s/);
    const [row] = (await t.sql.query('SELECT status, resolved_by FROM blockers WHERE id = 1')).rows;
    expect(row).toEqual({ status: 'resolved', resolved_by: 'U0PM' });

    // the exec level (due at 12 s) never fires: nothing reserved for them, and no ping two sweeps past its time
    while (Date.now() - t0 < 14_000) await new Promise((r) => setTimeout(r, 250));
    expect((await t.sql.query("SELECT * FROM blocker_notices WHERE recipient = 'U0EXEC'")).rowCount).toBe(0);
    expect(pings('U0EXEC')).toHaveLength(0);
    expect([pings('U0LEAD').length, pings('U0PM').length]).toEqual([1, 1]);
    const thread = t.fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK' && a.thread_ts).map((c) => String(c.args.text));
    expect(thread.at(-1)).toMatch(/✅ Resolved by <@U0PM> after \d+s/);
    await t.fake.waitFor('message shows resolved', () => t.fake.ok('chat.update', (a) => a.channel === 'C0BLK' && JSON.stringify(a.blocks ?? []).includes('Resolved by <@U0PM>')).length > 0);
  }, 40_000);

  it('/gonogo posts the summary in the channel; a non-PM decide is refused, the PM’s is posted and audited', async () => {
    const res = await post(slashCommandBody({ command: '/gonogo', text: '', userId: 'U01', channelId: 'C0WS1' }));
    expect(res.status).toBe(200);
    await t.fake.waitFor('summary posted', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0WS1' && String(a.text).includes('Phase 11: NO-GO')).length === 1);
    const summary = JSON.stringify(t.fake.ok('chat.postMessage', (a) => a.channel === 'C0WS1' && String(a.text).includes('Phase 11'))[0]!.args.blocks);
    expect(summary).toContain('launch readiness');
    expect(summary).toContain('Gate “QA sign-off” is not signed off');
    expect(summary).toContain('*Broker Integration* · *0% complete* · checklist 0/2');
    // the blocks went through Postgres (jsonb, which orders keys its own way) on their way to Slack
    const buttons = JSON.parse(summary).flatMap((b: { elements?: unknown[] }) => b.elements ?? []);
    expect(buttons).toContainEqual(expect.objectContaining({ action_id: 'gate_signoff:0', value: 'qa' }));

    const refused = await (await post(slashCommandBody({ command: '/gonogo', text: 'decide go', userId: 'U01', channelId: 'C0WS1' }))).json();
    expect(refused).toMatchObject({ response_type: 'ephemeral', text: 'Only the PM or an exec can record the go/no-go decision: <@U0PM>, <@U0EXEC>.' });
    expect((await t.sql.query("SELECT * FROM gonogo_audit WHERE kind = 'decision'")).rowCount).toBe(0);

    expect((await post(slashCommandBody({ command: '/gonogo', text: 'decide no-go QA not signed', userId: 'U0PM', channelId: 'C0WS1' }))).status).toBe(200);
    await t.fake.waitFor('decision posted here and in the program channel', () =>
      ['C0WS1', 'C0LAUNCH'].every((c) => t.fake.ok('chat.postMessage', (a) => a.channel === c && String(a.text).includes('Decision: NO-GO')).length === 1),
    );
    const audit = (await t.sql.query("SELECT actor, data FROM gonogo_audit WHERE kind = 'decision'")).rows;
    expect(audit).toEqual([{ actor: 'U0PM', data: expect.objectContaining({ decision: 'no-go', note: 'QA not signed', verdict: 'NO-GO' }) }]);

    // the summary's sign-off button, clicked by someone who is not the gate's authority
    await post(blockActionBody({ userId: 'U01', actionId: 'gate_signoff:0', value: 'qa', channelId: 'C0WS1', messageTs: '1700000000.000050', responseUrl: `${t.fake.url}response/gate` }));
    await t.fake.waitFor('gate refusal', () => t.fake.calls.some((c) => c.method.includes('response/gate')));
    expect(String(t.fake.calls.find((c) => c.method.includes('response/gate'))!.args.text)).toBe('Only the sign-off authority of “QA sign-off” can sign it off: <@U0LEAD>.');
  }, 30_000);

  it('the read-only API of the same process shows the blocker with its timeline and the decision; no token, no data', async () => {
    const api = (path: string, token?: string) => fetch(`${t.bot.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const refused = await api('/api/v1/blockers');
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('Staging DB');
    const blockers = blockerPageSchema.parse(await (await api('/api/v1/blockers', API_TOKEN)).json());
    const b1 = blockers.data.find((b) => b.short_id === 'B-1')!;
    expect(b1).toMatchObject({ text: 'Staging DB is down', status: 'resolved', resolved_by: 'U0PM', owner: 'U02', reporter: 'U01' });
    expect(b1.timeline[0]).toMatchObject({ kind: 'raised', actor: 'U01' });
    expect(b1.timeline.map((e) => e.kind)).toContain('escalated');
    expect(b1.timeline.at(-1)).toMatchObject({ kind: 'resolved', actor: 'U0PM' });
    const decisions = decisionPageSchema.parse(await (await api('/api/v1/decisions', API_TOKEN)).json());
    expect(decisions.data).toEqual([expect.objectContaining({ decision: 'no-go', note: 'QA not signed', actor: 'U0PM', verdict: 'NO-GO' })]);
    expect((await api('/api/v1/openapi.json')).status).toBe(200);
  });
});
