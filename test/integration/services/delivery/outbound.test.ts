import { afterEach, describe, expect, it } from 'vitest';
import { queueOutbound, sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({
  program: { name: 'Launch' },
  scheduler: { reclaim_after: '1m' },
  workstreams: [aWorkstream({ name: 'QA', members: ['U10'] })],
});

describe('outbound messages (go/no-go posts, withdrawal notices): queued once per key, delivered once, threads in order', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('a summary with overflow replies: queued twice, posted once, replies in its thread in order; a crashed reply is found, not re-posted', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    const hh = h;
    slack = nockSlack({ now: () => hh.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    const item = {
      kind: 'gonogo_summary' as const,
      key: 'gonogo-post:test',
      channel: 'C0LAUNCH',
      message: { text: 'GO', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'GO' } }] },
      replies: ['more 1', 'more 2', 'more 3'],
    };
    const [parent] = await queueOutbound(bot.deps, [item]);
    expect(await queueOutbound(bot.deps, [item])).toEqual([]); // the same key again: nothing new
    const rows = await h.sql<{ id: number; parent_id: number | null }>('SELECT id, parent_id FROM outbound_messages ORDER BY id');
    expect(rows).toHaveLength(4);
    const [r1, r2, r3] = rows.slice(1).map((r) => r.id);

    // a reply before its parent is posted waits (not claimed for good, no Slack call)
    expect(await sendOutbound(bot.deps, r1!)).toBe('not-due');
    expect(await sendOutbound(bot.deps, parent!)).toBe('sent');
    // the second reply waits for the first
    expect(await sendOutbound(bot.deps, r2!)).toBe('not-due');
    expect(await sendOutbound(bot.deps, r1!)).toBe('sent');

    // the process dies while posting the second reply, after Slack posted it
    const [p] = await h.sql<{ ts: string }>('SELECT ts FROM deliveries WHERE owner_key = $1::text', [parent]);
    await h.sql("UPDATE deliveries SET status = 'sending', claims = 1, claimed_at = $2, first_claimed_at = $2 WHERE kind = 'gonogo_summary' AND owner_key = $1::text", [
      r2,
      new Date('2026-02-03T14:00:00Z'),
    ]);
    const earlier = slack.messages.post({
      channel: 'C0LAUNCH',
      thread_ts: p!.ts,
      text: 'more 2',
      metadata: { event_type: 'preflight_gonogo_summary', event_payload: { reservation: `gonogo_summary-${r2}` } },
    });
    h.clock.advance({ minutes: 2 });
    await tick(bot.deps);
    expect(await sendOutbound(bot.deps, r2!)).toBe('found');
    expect(await sendOutbound(bot.deps, r3!)).toBe('sent');

    const posts = slack.of('chat.postMessage', (a) => a.channel === 'C0LAUNCH');
    expect(posts.map((c) => [c.args.text, c.args.thread_ts ?? null])).toEqual([
      ['GO', null],
      ['more 1', p!.ts],
      ['more 3', p!.ts],
    ]);
    expect(slack.of('conversations.replies').map((c) => c.args.ts)).toEqual([p!.ts]);
    expect(
      slack.messages
        .in('C0LAUNCH')
        .filter((m) => m.thread_ts === p!.ts)
        .map((m) => m.text),
    ).toEqual(['more 1', 'more 2', 'more 3']);
    expect((await h.sql('SELECT ts FROM deliveries WHERE owner_key = $1::text', [r2]))[0]).toEqual({ ts: earlier.ts });
  });

  it('a DM Slack refuses for good is parked as failed, not retried', async () => {
    h = await harness(YAML, '2026-02-03T14:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const [id] = await queueOutbound(bot.deps, [{ kind: 'withdrawal', key: 'withdrawal-1:U0GONE', channel: 'U0GONE', message: { text: 'withdrawn' } }]);
    slack.failNext('chat.postMessage', 200, { ok: false, error: 'user_not_found' });
    expect(await sendOutbound(bot.deps, id!)).toBe('failed');
    expect(await sendOutbound(bot.deps, id!)).toBe('not-due');
    expect((await h.sql('SELECT status FROM deliveries WHERE owner_key = $1::text', [id]))[0]).toEqual({ status: 'failed' });
  });
});
