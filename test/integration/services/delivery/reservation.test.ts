import type { Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { sendPrompt } from '../../../../src/services/checkins/prompts.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack, type NockedCall } from '../../../support/slack-nock.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

/*
 * A claim released as stale while its worker is still running (its Slack answer was slow): the worker that
 * claims the message since delivers it, and the first one neither posts it again nor records over it.
 * "Slow" is the fake Slack advancing the test's clock past reclaim_after and letting a second worker run
 * (the tick's stale-claim release, then sendPrompt) before the first worker gets its answer.
 */

const YAML = aConfig({
  program: { name: 'Launch' },
  scheduler: { reclaim_after: '1m' },
  workstreams: [
    aWorkstream({
      name: 'QA',
      blockers_channel: 'C0BLK',
      members: ['U10'],
      standup: { at: '09:00', remind_after: '20m', close_after: '1h' },
    }),
  ],
});
const START = '2026-02-03T09:00:00Z';

describe('a claim released as stale while its worker still runs', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  /**
   * A bot at 09:00 with U10's prompt pending. The first call to `slowMethod` is answered after the clock moved
   * 2 min (past reclaim_after) and a second worker ran the tick and sendPrompt; its outcome is kept.
   */
  async function setUp(slowMethod: string) {
    h = await harness(YAML, START);
    const hh = h;
    let bot: Process | undefined;
    const second: { outcome?: string } = {};
    let slowed = false;
    const onCall = async (call: NockedCall) => {
      if (slowed || call.method !== slowMethod) return;
      slowed = true;
      hh.clock.advance({ minutes: 2 });
      expect((await tick(bot!.deps)).released).toBe(1);
      second.outcome = await sendPrompt(bot!.deps, id);
    };
    slack = nockSlack({ now: () => hh.clock.now().toMillis(), onCall });
    bot = await h.process({ workers: false });
    await tick(bot.deps);
    const [p] = await h.sql<{ id: number }>("SELECT id FROM standup_prompts WHERE user_id = 'U10'");
    const id = p!.id;
    const warnings: string[] = [];
    const log = Object.assign(Object.create(bot.deps.log) as Logger, { warn: (_o: unknown, msg: string) => warnings.push(msg) });
    return { first: { ...bot.deps, log }, warnings, second, s: slack, h, id };
  }

  const promptsIn = (s: ReturnType<typeof nockSlack>, id: number) => s.messages.in('U10').filter((m) => m.metadata?.event_payload.reservation === `prompt-${id}`);

  it('released during its search: the first worker does not post after the second one did', async () => {
    const { first, second, s, h, id } = await setUp('conversations.history');
    // an earlier claim had crashed before reaching Slack, so this claim searches first
    await h.sql("UPDATE deliveries SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2 WHERE kind = 'prompt' AND owner_key = $1::text", [id, new Date(START)]);
    h.clock.advance({ minutes: 2 });
    await tick(first);

    expect(await sendPrompt(first, id)).toBe('not-due');
    expect(second.outcome).toBe('sent');
    const posted = promptsIn(s, id);
    expect(posted).toHaveLength(1);
    expect((await h.sql(`SELECT status, prompt_ts FROM ${PROMPT_STATES} p WHERE id = $1`, [id]))[0]).toEqual({ status: 'sent', prompt_ts: posted[0]!.ts });
  });

  it('released while its post was in flight: the second worker finds the message, the first does not record over it and says so', async () => {
    const { first, warnings, second, s, h, id } = await setUp('chat.postMessage');

    expect(await sendPrompt(first, id)).toBe('sent');
    expect(second.outcome).toBe('sent'); // found in the DM, not posted again
    const posted = promptsIn(s, id);
    expect(posted).toHaveLength(1);
    expect(s.of('chat.postMessage')).toHaveLength(1);
    expect((await h.sql(`SELECT status, prompt_ts, dm_channel FROM ${PROMPT_STATES} p WHERE id = $1`, [id]))[0]).toEqual({ status: 'sent', prompt_ts: posted[0]!.ts, dm_channel: 'D10' });
    expect(warnings).toEqual([expect.stringContaining('another worker owns the message now')]);
  });
});
