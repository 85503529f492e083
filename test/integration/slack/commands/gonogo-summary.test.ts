import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { queueSummary } from '../../../../src/services/gonogo/decisions.js';
import { registerGonogoCommand } from '../../../../src/slack/commands/gonogo.js';
import { uniquePrefix } from '../../../support/db.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// enough workstreams that the summary does not fit one message (about 43 sections of 3,000 characters): the
// rest goes in its thread, as overflow replies
const WORKSTREAMS = 1_300;
const YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: Array.from({ length: WORKSTREAMS }, (_, i) => aWorkstream({ id: `ws${i}`, name: `Workstream ${i}, payments broker integration and rollout`, channel: `C0WS${i}` })),
});

describe('/gonogo posts the summary once (in process; real Postgres, Slack faked with nock, the outbound worker driven by hand)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let slack: ReturnType<typeof boltInProcess>;
  const nocked = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T15:00:00Z');
    bot = await h.process({ workers: false });
    redis = new Redis(inject('redisUrl'));
    slack = boltInProcess((app) => registerGonogoCommand(app, { deps: bot.deps, redis, keyPrefix: uniquePrefix('gonogo-summary') }));
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await h.cleanup();
    nocked.done();
  });

  /** What the outbound worker does: delivers every pending message (a reply waits for its parent), a few rounds. */
  const deliverPending = async () => {
    for (let round = 0; round < 4; round++) {
      for (const { id } of await h.sql<{ id: number }>(
        "SELECT m.id FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE d.status = 'pending' ORDER BY m.id",
      )) {
        await sendOutbound(bot.deps, id).catch(() => {}); // a 429 releases the message; the next round retries it
      }
    }
  };
  const topLevel = (channel: string) => nocked.of('chat.postMessage', (a) => a.channel === channel && !a.thread_ts);

  it('typed in a workstream channel: acked at once; a 429 on a thread reply retries that reply alone, never the summary', async () => {
    const answer = await slack.command('/gonogo', '', 'U01', 'C0WS1');
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Posting the go\/no-go summary here… \(if I cannot post in this channel, it goes to <#C0LAUNCH> instead\)/),
    });
    const rows = await h.sql<{ key: string; parent_id: number | null }>("SELECT key, parent_id FROM outbound_messages WHERE channel = 'C0WS1' ORDER BY id");
    const replies = rows.filter((r) => r.parent_id !== null).length;
    expect(replies).toBeGreaterThan(0); // the summary has overflow lines for its thread
    // the same command handled twice (same trigger_id) queues nothing new
    expect(await queueSummary(bot.deps, 'C0WS1', rows[0]!.key.replace(/^gonogo-asked:/, ''))).toBe(false);

    await sendOutbound(bot.deps, (await h.sql<{ id: number }>("SELECT id FROM outbound_messages WHERE channel = 'C0WS1' AND parent_id IS NULL"))[0]!.id);
    nocked.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' });
    await deliverPending();

    expect(topLevel('C0WS1').map((c) => c.args.text)).toEqual(['Launch: GO (100% of the checklist)']);
    const [summary] = nocked.messages.in('C0WS1').filter((m) => !m.thread_ts);
    expect(nocked.messages.in('C0WS1').filter((m) => m.thread_ts === summary!.ts)).toHaveLength(replies);
    expect(topLevel('C0LAUNCH')).toEqual([]);
  });

  it('typed where the bot is not in the channel: posted once in the program channel, with its thread', async () => {
    const answer = await slack.command('/gonogo', '', 'U01', 'C0NOTIN');
    expect(answer.text).toMatch(/^Posting the go\/no-go summary here…/);
    const [parent] = await h.sql<{ id: number }>("SELECT id FROM outbound_messages WHERE channel = 'C0NOTIN' AND parent_id IS NULL");
    nocked.failNext('chat.postMessage', 200, { ok: false, error: 'not_in_channel' });
    expect(await sendOutbound(bot.deps, parent!.id)).toBe('failed');
    await deliverPending();

    expect(nocked.messages.in('C0NOTIN')).toEqual([]);
    expect(topLevel('C0LAUNCH').map((c) => c.args.text)).toEqual(['Launch: GO (100% of the checklist)']);
    const [summary] = nocked.messages.in('C0LAUNCH').filter((m) => !m.thread_ts);
    const thread = nocked.messages.in('C0LAUNCH').filter((m) => m.thread_ts === summary!.ts);
    expect(thread.length).toBeGreaterThan(0);
    expect(new Set(thread.map((m) => m.text)).size).toBe(thread.length); // each overflow reply once
  });

  it('typed in the program channel: "here", and one summary there', async () => {
    const before = topLevel('C0LAUNCH').length;
    const answer = await slack.command('/gonogo', '', 'U01', 'C0LAUNCH');
    expect(answer.text).toBe('Posting the go/no-go summary here…');
    await deliverPending();
    expect(topLevel('C0LAUNCH')).toHaveLength(before + 1);
  });
});
