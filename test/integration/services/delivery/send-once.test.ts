import { afterEach, describe, expect, it } from 'vitest';
import { postThreadLine, renderBlockerMessage } from '../../../../src/services/blockers/delivery.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { LOOKUP_MARGIN_MS } from '../../../../src/services/delivery/lookup.js';
import { sendPrompt } from '../../../../src/services/checkins/prompts.js';
import { renderReport } from '../../../../src/services/checkins/report-message.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { PROMPT_STATES, CRASHED_PROMPT } from '../../../support/prompt-states.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

/*
 * The send-once delivery after a crash, driven by hand (no workers) on real Postgres and Redis with the Web
 * API faked by nock. "A crash" is a row left as the dead process left it: claimed (status sending, one claim
 * counted, no ts), and, when the kill came after Slack had the request, the message in the fake workspace
 * with its metadata. The fake Slack stamps ts with the test's clock, so the lookup window is the test's own.
 */

const YAML = aConfig({
  program: { name: 'Launch' },
  scheduler: { reclaim_after: '1m' },
  workstreams: [
    aWorkstream({
      name: 'QA',
      blockers_channel: 'C0BLK',
      members: ['U10', 'U11', 'U12'],
      standup: { at: '09:00', remind_after: '20m', close_after: '1h' },
    }),
  ],
});
const START = '2026-02-03T09:00:00Z';

describe('send-once delivery: a reservation reclaimed after a crash looks for its message before posting', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  /** A fresh bot at 09:00 with the run open and its prompts pending (no workers: nothing is sent by itself). */
  async function setUp(): Promise<{ bot: Process; s: ReturnType<typeof nockSlack>; h: NonNullable<typeof h> }> {
    h = await harness(YAML, START);
    const hh = h;
    slack = nockSlack({ now: () => hh.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    return { bot, s: slack, h };
  }

  /** Leaves prompt `userId` as a process killed mid-call leaves it: claimed once at `at`, no ts. */
  async function crashedMidCall(hh: NonNullable<typeof h>, userId: string, at: string): Promise<number> {
    const [row] = await hh.sql<{ id: number }>(CRASHED_PROMPT, [userId, new Date(at)]);
    return row!.id;
  }

  it('first sends make no history call, and every message carries its reservation in its metadata', async () => {
    const { bot, s, h } = await setUp();
    const prompts = await h.sql<{ id: number; user_id: string }>('SELECT id, user_id FROM standup_prompts ORDER BY id');
    for (const p of prompts) expect(await sendPrompt(bot.deps, p.id)).toBe('sent');
    expect(s.of('conversations.history')).toHaveLength(0);
    expect(s.of('conversations.open')).toHaveLength(0);
    const posts = s.of('chat.postMessage', (a) => /^U1\d$/.test(a.channel));
    expect(posts.map((p) => [p.args.channel, p.args.metadata])).toEqual(prompts.map((p) => [p.user_id, { event_type: 'preflight_prompt', event_payload: { reservation: `prompt-${p.id}` } }]));
  });

  it('the message of the crashed attempt is in the DM: its ts is recorded and nothing is posted', async () => {
    const { bot, s, h } = await setUp();
    const id = await crashedMidCall(h, 'U10', START);
    // what the dead process got through to Slack, followed by 250 other messages (the search pages back to it)
    const earlier = s.messages.post({ channel: 'U10', text: 'Standup for QA', metadata: { event_type: 'preflight_prompt', event_payload: { reservation: `prompt-${id}` } } });
    h.clock.advance({ seconds: 30 });
    for (let i = 0; i < 250; i++) s.messages.post({ channel: 'U10', text: `chatter ${i}`, metadata: { event_type: 'someone_else', event_payload: { reservation: `prompt-${id}` } } });

    h.clock.advance({ seconds: 45 }); // past reclaim_after (1 min): the tick releases the reservation
    expect((await tick(bot.deps)).released).toBe(1);
    expect(await sendPrompt(bot.deps, id)).toBe('sent');

    expect(s.of('chat.postMessage', (a) => a.channel === 'U10')).toHaveLength(0);
    expect(s.of('conversations.open').map((c) => c.args.users)).toEqual(['U10']);
    const searches = s.of('conversations.history');
    expect(searches.length).toBeGreaterThanOrEqual(2); // 251 messages in the window, 200 per page
    for (const c of searches) {
      expect(c.args).toMatchObject({
        channel: 'D10',
        include_all_metadata: 'true', // form-encoded on the wire
        oldest: ((Date.parse(START) - LOOKUP_MARGIN_MS) / 1000).toFixed(6),
      });
    }
    expect(searches[1]!.args.cursor).toBeTruthy();
    const [row] = await h.sql<{ status: string; prompt_ts: string; dm_channel: string }>(`SELECT status, prompt_ts, dm_channel FROM ${PROMPT_STATES} p WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'sent', prompt_ts: earlier.ts, dm_channel: 'D10' });
    // what conversations.open answered is kept: U10's next search needs no conversations.open
    expect(await h.sql('SELECT user_id, channel FROM dm_channels')).toEqual([{ user_id: 'U10', channel: 'D10' }]);
  });

  it('when the crashed attempt never reached Slack, the search finds nothing and the prompt is posted once', async () => {
    const { bot, s, h } = await setUp();
    const id = await crashedMidCall(h, 'U11', START);
    s.messages.post({ channel: 'U11', text: 'an older prompt', metadata: { event_type: 'preflight_prompt', event_payload: { reservation: 'prompt-999' } } });
    h.clock.advance({ minutes: 2 });
    await tick(bot.deps);
    expect(await sendPrompt(bot.deps, id)).toBe('sent');
    expect(await sendPrompt(bot.deps, id)).toBe('not-due');
    expect(s.of('conversations.history', (a) => a.channel === 'D11')).toHaveLength(1);
    const posts = s.of('chat.postMessage', (a) => a.channel === 'U11');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.metadata).toEqual({ event_type: 'preflight_prompt', event_payload: { reservation: `prompt-${id}` } });
    expect(s.messages.in('U11').filter((m) => m.metadata?.event_payload.reservation === `prompt-${id}`)).toHaveLength(1);
  });

  it('a DM to someone written to before, reclaimed after a crash, is searched in the IM channel recorded from the first post: no conversations.open', async () => {
    const { bot, s, h } = await setUp();
    const [first] = await h.sql<{ id: number }>("SELECT id FROM standup_prompts WHERE user_id = 'U10'");
    expect(await sendPrompt(bot.deps, first!.id)).toBe('sent');
    // chat.postMessage to U10 answered with the IM channel: recorded for U10
    expect(await h.sql('SELECT user_id, channel FROM dm_channels')).toEqual([{ user_id: 'U10', channel: 'D10' }]);

    // the next day's prompt to U10: claimed by a process that died after Slack had posted it
    h.clock.set('2026-02-04T09:00:00Z');
    await tick(bot.deps);
    const [next] = await h.sql<{ id: number }>("SELECT id FROM standup_prompts WHERE user_id = 'U10' AND id <> $1", [first!.id]);
    await h.sql("UPDATE deliveries SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2 WHERE kind = 'prompt' AND owner_key = $1::text", [
      next!.id,
      new Date('2026-02-04T09:00:00Z'),
    ]);
    const earlier = s.messages.post({ channel: 'U10', text: 'Standup for QA', metadata: { event_type: 'preflight_prompt', event_payload: { reservation: `prompt-${next!.id}` } } });
    h.clock.advance({ minutes: 2 });
    await tick(bot.deps);
    // a new process (nothing remembered in memory): the IM channel comes from Postgres
    const restarted = await h.process({ workers: false });
    expect(await sendPrompt(restarted.deps, next!.id)).toBe('sent');

    expect(s.of('conversations.open')).toHaveLength(0);
    expect(s.of('conversations.history').map((c) => c.args.channel)).toEqual(['D10']);
    expect(s.of('chat.postMessage', (a) => a.channel === 'U10')).toHaveLength(1);
    const [row] = await h.sql<{ status: string; prompt_ts: string }>(`SELECT status, prompt_ts FROM ${PROMPT_STATES} p WHERE id = $1`, [next!.id]);
    expect(row).toEqual({ status: 'sent', prompt_ts: earlier.ts });
  });

  it('a report whose first post was not recorded is found in the channel and edited, never posted twice', async () => {
    const { bot, s, h } = await setUp();
    const [run] = await h.sql<{ id: number }>('SELECT id FROM standup_runs');
    // the dead process had claimed the first post and Slack had posted it
    await h.sql(
      "INSERT INTO deliveries (kind, owner_key, status, claims, attempts, claimed_at, first_claimed_at) VALUES ('report', $1::text, 'sending', 1, 1, $2, $2) ON CONFLICT (kind, owner_key) DO UPDATE SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2",
      [run!.id, new Date(START)],
    );
    const earlier = s.messages.post({ channel: 'C0WS1', text: 'QA standup', metadata: { event_type: 'preflight_report', event_payload: { reservation: `report-${run!.id}` } } });
    h.clock.advance({ seconds: 20 });
    expect(await renderReport(bot.deps, run!.id)).toBe('updated');
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(0);
    expect(s.of('conversations.history', (a) => a.channel === 'C0WS1')).toHaveLength(1);
    const edits = s.of('chat.update', (a) => a.channel === 'C0WS1');
    expect(edits.map((e) => e.args.ts)).toEqual([earlier.ts]);
    expect(JSON.stringify(edits[0]!.args.blocks)).toContain('QA · standup');
    expect((await h.sql("SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts FROM standup_runs"))[0]).toEqual({
      report_ts: earlier.ts,
    });
  });

  it('a thread line reclaimed after a crash is looked for in the thread (conversations.replies), not posted again', async () => {
    const { bot, s, h } = await setUp();
    const raised = await raiseBlocker(bot.deps, { reporter: 'U10', text: 'staging is down', severity: 'P1', workstreamId: 'ws1', source: 'command' });
    const blockerId = raised.ok ? raised.blocker.id : 0;
    expect(await renderBlockerMessage(bot.deps, blockerId)).toBe('posted');
    const [b] = await h.sql<{ message_ts: string }>("SELECT ts AS message_ts FROM deliveries WHERE kind = 'blocker' AND owner_key = $1::text", [blockerId]);
    const [ev] = await h.sql<{ id: number }>("SELECT id FROM blocker_events WHERE blocker_id = $1 AND kind = 'raised'", [blockerId]);
    // (the raised event has no line of its own: this one is claimed as a process killed mid-call leaves it)
    await h.sql("INSERT INTO deliveries (kind, owner_key, status, claims, attempts, claimed_at, first_claimed_at) VALUES ('thread_line', $1::text, 'sending', 1, 1, $2, $2)", [
      ev!.id,
      new Date(START),
    ]);
    const earlier = s.messages.post({
      channel: 'C0BLK',
      thread_ts: b!.message_ts,
      text: '🚧 Raised by <@U10>',
      metadata: { event_type: 'preflight_thread_line', event_payload: { reservation: `thread_line-${ev!.id}` } },
    });
    h.clock.advance({ minutes: 2 });
    await tick(bot.deps);
    expect(await postThreadLine(bot.deps, ev!.id)).toBe('posted');
    expect(s.of('chat.postMessage', (a) => a.thread_ts === b!.message_ts)).toHaveLength(0);
    expect(s.of('conversations.replies').map((c) => [c.args.channel, c.args.ts])).toEqual([['C0BLK', b!.message_ts]]);
    expect(s.of('conversations.history')).toHaveLength(0);
    expect((await h.sql("SELECT status, ts FROM deliveries WHERE kind = 'thread_line' AND owner_key = $1::text", [ev!.id]))[0]).toEqual({ status: 'sent', ts: earlier.ts });
  });

  it('a report Slack refuses for good (archived channel) is given up for this version, not retried forever', async () => {
    const { bot, s, h } = await setUp();
    const [run] = await h.sql<{ id: number }>('SELECT id FROM standup_runs');
    s.failNext('chat.postMessage', 200, { ok: false, error: 'is_archived' });
    expect(await renderReport(bot.deps, run!.id)).toBe('failed');
    expect(
      (
        await h.sql(
          "SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts, report_rendered_version = report_version AS given_up FROM standup_runs",
        )
      )[0],
    ).toEqual({ report_ts: null, given_up: true });
    // the tick and the render job find nothing to do for this version
    expect(await renderReport(bot.deps, run!.id)).toBe('current');
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(0);
  });

  it('a blocker message whose edit Slack refuses for good (bot removed from a private channel) is given up for this version', async () => {
    const { bot, s, h } = await setUp();
    const raised = await raiseBlocker(bot.deps, { reporter: 'U10', text: 'staging is down', severity: 'P1', workstreamId: 'ws1', source: 'command' });
    const blockerId = raised.ok ? raised.blocker.id : 0;
    expect(await renderBlockerMessage(bot.deps, blockerId)).toBe('posted');
    await h.sql('UPDATE blockers SET message_version = message_version + 1 WHERE id = $1', [blockerId]);
    s.failNext('chat.update', 200, { ok: false, error: 'not_in_channel' });
    expect(await renderBlockerMessage(bot.deps, blockerId)).toBe('failed');
    expect(await renderBlockerMessage(bot.deps, blockerId)).toBe('current');
    expect(s.of('chat.update')).toHaveLength(0);
  });
  it('a post refused with 429 is retried without searching: Slack performed nothing, so there is nothing to find', async () => {
    const { bot, s, h } = await setUp();
    const [prompt] = await h.sql<{ id: number }>("SELECT id FROM standup_prompts WHERE user_id = 'U10'");
    const [run] = await h.sql<{ id: number }>('SELECT id FROM standup_runs');
    s.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    await expect(sendPrompt(bot.deps, prompt!.id)).rejects.toThrow(/rate/i);
    s.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    await expect(renderReport(bot.deps, run!.id)).rejects.toThrow(/rate/i);
    h.clock.advance({ seconds: 2 });
    expect(await sendPrompt(bot.deps, prompt!.id)).toBe('sent');
    expect(await renderReport(bot.deps, run!.id)).toBe('posted');
    expect(s.of('conversations.history')).toHaveLength(0);
    expect(s.of('conversations.open')).toHaveLength(0);
    expect(s.of('chat.postMessage', (a) => a.channel === 'U10')).toHaveLength(1);
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(1);
  });
});
