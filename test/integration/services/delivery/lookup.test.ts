import { afterEach, describe, expect, it } from 'vitest';
import { SearchIncompleteError } from '../../../../src/services/delivery/lookup.js';
import { sendPrompt } from '../../../../src/services/checkins/prompts.js';
import { renderReport } from '../../../../src/services/checkins/report-message.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack, type NockedCall } from '../../../support/slack-nock.js';
import { PROMPT_STATES, CRASHED_PROMPT } from '../../../support/prompt-states.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

/*
 * The lookup of an earlier attempt (services/delivery/lookup.ts) where Slack makes it hard: a public channel
 * the bot posts in (chat:write.public) without being a member, and a search too slow to finish before the
 * claim would be released as stale. Real Postgres and Redis, the Web API faked by nock with the test's clock.
 */

const YAML = aConfig({
  program: { name: 'Launch' },
  scheduler: { reclaim_after: '1m' },
  workstreams: [
    aWorkstream({
      name: 'QA',
      blockers_channel: 'C0BLK',
      members: ['U10', 'U11'],
      standup: { at: '09:00', remind_after: '20m', close_after: '1h' },
    }),
  ],
});
const START = '2026-02-03T09:00:00Z';
const RECLAIM_AFTER_MS = 60_000;

describe('lookup of an earlier attempt', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  async function setUp(onCall?: (call: NockedCall) => void | Promise<void>): Promise<{ bot: Process; s: ReturnType<typeof nockSlack>; h: NonNullable<typeof h> }> {
    h = await harness(YAML, START);
    const hh = h;
    slack = nockSlack({ now: () => hh.clock.now().toMillis(), onCall });
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    return { bot, s: slack, h };
  }

  /** The run's report as a process killed mid-call leaves it: first post claimed once at START, Slack had posted it, no ts recorded. */
  async function reportCrashedAfterPosting(s: ReturnType<typeof nockSlack>, hh: NonNullable<typeof h>) {
    const [run] = await hh.sql<{ id: number }>('SELECT id FROM standup_runs');
    await hh.sql(
      "INSERT INTO deliveries (kind, owner_key, status, claims, attempts, claimed_at, first_claimed_at) VALUES ('report', $1::text, 'sending', 1, 1, $2, $2) ON CONFLICT (kind, owner_key) DO UPDATE SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2",
      [run!.id, new Date(START)],
    );
    const earlier = s.messages.post({ channel: 'C0WS1', text: 'QA standup', metadata: { event_type: 'preflight_report', event_payload: { reservation: `report-${run!.id}` } } });
    hh.clock.advance({ seconds: 20 });
    return { runId: run!.id, earlier };
  }

  it('in a public channel the bot posts in without being a member, it joins the channel and finds the message instead of posting it again', async () => {
    const { bot, s, h } = await setUp();
    s.messages.notMemberOf('C0WS1');
    const { runId, earlier } = await reportCrashedAfterPosting(s, h);

    expect(await renderReport(bot.deps, runId)).toBe('updated');

    expect(s.of('conversations.join').map((c) => c.args.channel)).toEqual(['C0WS1']);
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(0);
    expect(s.messages.in('C0WS1').filter((m) => m.metadata?.event_payload.reservation === `report-${runId}`)).toHaveLength(1);
    expect(s.of('chat.update').map((c) => c.args.ts)).toEqual([earlier.ts]);
    expect((await h.sql("SELECT (SELECT d.ts FROM deliveries d WHERE d.kind = 'report' AND d.owner_key = standup_runs.id::text) AS report_ts FROM standup_runs WHERE id = $1", [runId]))[0]).toEqual({
      report_ts: earlier.ts,
    });
  });

  it('when the channel cannot be joined (a private channel), the report is posted anyway, once', async () => {
    const { bot, s, h } = await setUp();
    s.messages.notMemberOf('C0WS1');
    s.failNext('conversations.join', 200, { ok: false, error: 'method_not_supported_for_channel_type' });
    const [run] = await h.sql<{ id: number }>('SELECT id FROM standup_runs');
    // the crashed attempt never reached Slack
    await h.sql(
      "INSERT INTO deliveries (kind, owner_key, status, claims, attempts, claimed_at, first_claimed_at) VALUES ('report', $1::text, 'sending', 1, 1, $2, $2) ON CONFLICT (kind, owner_key) DO UPDATE SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2",
      [run!.id, new Date(START)],
    );

    expect(await renderReport(bot.deps, run!.id)).toBe('posted');
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(1);
    expect(s.messages.in('C0WS1').filter((m) => m.metadata?.event_payload.reservation === `report-${run!.id}`)).toHaveLength(1);
  });

  it('a search slower than a third of reclaim_after stops, gives the claim back without posting, and the next claim finds the message', async () => {
    // every history page takes 10 s of the test's clock: the budget (reclaim_after 1 min / 3 = 20 s) allows 2 pages
    let slow = true;
    const { bot, s, h } = await setUp((call) => {
      if (slow && call.method === 'conversations.history') h?.clock.advance({ seconds: 10 });
    });
    const [p] = await h.sql<{ id: number }>(CRASHED_PROMPT, ['U10', new Date(START)]);
    const id = p!.id;
    const earlier = s.messages.post({ channel: 'U10', text: 'Standup for QA', metadata: { event_type: 'preflight_prompt', event_payload: { reservation: `prompt-${id}` } } });
    h.clock.advance({ seconds: 1 });
    for (let i = 0; i < 1000; i++) s.messages.post({ channel: 'U10', text: `chatter ${i}` }); // 6 pages of 200, the prompt on the last
    h.clock.advance({ minutes: 2 });
    expect((await tick(bot.deps)).released).toBe(1);

    const claimedAt = h.clock.now().toMillis();
    await expect(sendPrompt(bot.deps, id)).rejects.toBeInstanceOf(SearchIncompleteError);
    expect(s.of('conversations.history')).toHaveLength(2);
    // the claim never outlived reclaim_after, and nothing was posted blind
    expect(h.clock.now().toMillis() - claimedAt).toBeLessThan(RECLAIM_AFTER_MS);
    expect(s.of('chat.postMessage', (a) => a.channel === 'U10')).toHaveLength(0);
    expect((await h.sql(`SELECT status, prompt_ts, attempts FROM ${PROMPT_STATES} p WHERE id = $1`, [id]))[0]).toEqual({ status: 'pending', prompt_ts: null, attempts: 2 });

    slow = false; // Slack answers quickly again: the retry reads the whole window
    expect(await sendPrompt(bot.deps, id)).toBe('sent');
    expect(s.of('chat.postMessage', (a) => a.channel === 'U10')).toHaveLength(0);
    expect((await h.sql(`SELECT status, prompt_ts FROM ${PROMPT_STATES} p WHERE id = $1`, [id]))[0]).toEqual({ status: 'sent', prompt_ts: earlier.ts });
  });
});
