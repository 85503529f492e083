import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDmReply } from '../../../../src/services/checkins/record-answers.js';
import { sendPrompt } from '../../../../src/services/checkins/prompts.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import * as transitions from '../../../../src/services/delivery/transitions.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

/*
 * A DM reply to a prompt that reached the member but whose record did not (the process posted it and then lost
 * Postgres, or died, before marking it sent): the reply answers that prompt's check-in, not the one before it
 * ("You already answered"), so the answer is not lost. Seen in the CI chaos drill (issue 25) during a Postgres restart.
 * Whether Slack took it is looked up in the DM (conversations.history, the fake's message store): a prompt claimed
 * but not posted yet (its post waiting out a rate limit) is not one the member can be answering.
 * London on Tuesday 3 Feb 2026 (UTC+0): the program's 11:00 check-in of the critical path (U01, U02, U03), open for 3 h,
 * and Team Omega's 13:00 checkpoint, so both are open from 13:00 to 14:00.
 */
const YAML = aConfig({
  program: {
    name: 'Launch',
    timezone: 'Europe/London',
    channel: 'C0PROG',
    groups: { critical_path: ['U01', 'U02', 'U03'] },
    checkins: [{ id: 'morning', name: 'Critical path 11:00', at: '11:00', participants: ['critical_path'], remind_after: '2h', close_after: '3h' }],
  },
  checkins: {
    questions: [
      { id: 'status', prompt: 'Status?', kind: 'text' },
      { id: 'risk', prompt: 'Risk flag?', kind: 'risk' },
    ],
  },
  workstreams: [
    aWorkstream({
      id: 'omega',
      name: 'Team Omega',
      channel: 'C0OMEGA',
      leads: ['U0OL'],
      members: ['U01', 'U02', 'U03'],
      checkins: [{ id: 'midday', name: 'Checkpoint 13:00', at: '13:00', remind_after: '45m', close_after: '1h' }],
    }),
  ],
});

describe('DM replies to a prompt Slack took that is not recorded yet (real Postgres and Redis, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  // the fake's message `ts` follow the test's clock, as Slack's follow the wall clock
  const slack = nockSlack({ now: () => h.clock.now().toMillis() });
  const runId = async (checkin: string) => (await h.sql<{ id: number }>('SELECT id FROM standup_runs WHERE checkin_id = $1', [checkin]))[0]!.id;
  const promptOf = async (checkin: string, user: string) =>
    (await h.sql<{ id: number }>('SELECT p.id FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id WHERE r.checkin_id = $1 AND p.user_id = $2', [checkin, user]))[0]!.id;
  const answerOf = async (checkin: string, user: string) =>
    (
      await h.sql<{ answers: Record<string, unknown>; complete: boolean }>(
        'SELECT a.answers, a.complete FROM standup_answers a JOIN standup_runs r ON r.id = a.run_id WHERE r.checkin_id = $1 AND a.user_id = $2',
        [checkin, user],
      )
    )[0];
  const promptsTo = (user: string) => slack.of('chat.postMessage', (a) => a.channel === user && String(a?.metadata?.event_type ?? '') === 'preflight_prompt');
  const historyReads = () => slack.of('conversations.history').length;
  /** A reply sent at `iso` (the harness clock is set there): its message.im `ts`. */
  const replyAt = (iso: string) => {
    h.clock.set(iso);
    return (h.clock.now().toMillis() / 1000).toFixed(6);
  };
  /**
   * What a process leaves when Slack took the prompt and its record was lost: claimed (`sending`, or `pending` once
   * the claim was given back after a timeout or found stale), no `ts`, no channel.
   */
  const unrecord = (promptId: number, status: 'sending' | 'pending') =>
    h.sql("UPDATE deliveries SET status = $2, ts = NULL, conversation = NULL, sent_at = NULL, claims = 1, first_claimed_at = claimed_at WHERE kind = 'prompt' AND owner_key = $1", [
      String(promptId),
      status,
    ]);

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:59:00Z');
    // no workers: the test sends each prompt itself
    bot = await h.process({ workers: false });
    h.clock.set('2026-02-03T11:00:00Z');
    await tick(bot.deps);
    for (const u of ['U01', 'U02', 'U03']) expect(await sendPrompt(bot.deps, await promptOf('morning', u))).toBe('sent');
    // U01 and U03 answer the 11:00 check-in
    for (const u of ['U01', 'U03']) {
      expect((await handleDmReply(bot.deps, u, `D${u.slice(1)}`, 'Deploying the 11:00 build', replyAt('2026-02-03T11:05:00Z'))).kind).toBe('next');
      expect((await handleDmReply(bot.deps, u, `D${u.slice(1)}`, 'green', replyAt('2026-02-03T11:06:00Z'))).kind).toBe('done');
    }
    h.clock.set('2026-02-03T13:00:00Z');
    await tick(bot.deps);
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('after answering the 11:00 check-in, a reply to the 13:00 prompt whose record was lost answers the 13:00 one', async () => {
    // with nothing in flight, a reply asks Slack nothing
    expect(historyReads()).toBe(0);
    const prompt = await promptOf('midday', 'U01');
    expect(await sendPrompt(bot.deps, prompt)).toBe('sent');
    expect(promptsTo('U01')).toHaveLength(2);
    await unrecord(prompt, 'sending');

    const first = await handleDmReply(bot.deps, 'U01', 'D01', 'Rolling back the 11:00 build', replyAt('2026-02-03T13:01:00Z'));
    expect(first).toMatchObject({ kind: 'next', runId: await runId('midday'), step: 1 });
    expect(historyReads()).toBe(1);
    // part-way through it by DM, the member has seen it: the next reply does not ask Slack again
    expect((await handleDmReply(bot.deps, 'U01', 'D01', 'red', replyAt('2026-02-03T13:02:00Z'))).kind).toBe('done');
    expect(historyReads()).toBe(1);
    expect(await answerOf('midday', 'U01')).toEqual({ answers: { status: 'Rolling back the 11:00 build', risk: 'red' }, complete: true });
    // the 11:00 answer is untouched
    expect(await answerOf('morning', 'U01')).toEqual({ answers: { status: 'Deploying the 11:00 build', risk: 'green' }, complete: true });
  });

  it('once the claim was given back (pending, claimed once): a reply sent before the prompt, or while Slack cannot be read, goes where it went before; then the 13:00 one', async () => {
    const prompt = await promptOf('midday', 'U03');
    h.clock.set('2026-02-03T13:00:30Z');
    expect(await sendPrompt(bot.deps, prompt)).toBe('sent');
    await unrecord(prompt, 'pending');
    // written at 13:00:10, before the prompt reached the DM
    expect(await handleDmReply(bot.deps, 'U03', 'D03', 'thanks', replyAt('2026-02-03T13:00:10Z'))).toMatchObject({ kind: 'already-answered', runId: await runId('morning') });
    // Slack fails the search: the reply is not held, it goes to the prompt recorded as sent
    slack.failNext('conversations.history', 500, { ok: false, error: 'internal_error' });
    expect((await handleDmReply(bot.deps, 'U03', 'D03', 'thanks again', replyAt('2026-02-03T13:01:00Z'))).kind).toBe('already-answered');
    expect(await handleDmReply(bot.deps, 'U03', 'D03', 'Watching the canary', replyAt('2026-02-03T13:02:00Z'))).toMatchObject({
      kind: 'next',
      runId: await runId('midday'),
      step: 1,
    });
    expect(await answerOf('midday', 'U03')).toEqual({ answers: { status: 'Watching the canary' }, complete: false });
  });

  it('a prompt claimed but not posted yet (its post held by a rate limit) is not answered: the reply goes where it went before', async () => {
    // U02 has not answered the 11:00 check-in; the 13:00 prompt is claimed, and Slack has not got it
    const claimed = await transitions.claim(bot.deps, { kind: 'prompt', ownerKey: await promptOf('midday', 'U02') });
    expect(claimed).not.toBeNull();
    expect(promptsTo('U02')).toHaveLength(1);
    expect(await handleDmReply(bot.deps, 'U02', 'D02', 'Waiting on the gate', replyAt('2026-02-03T13:03:00Z'))).toMatchObject({ kind: 'next', runId: await runId('morning'), step: 1 });
    expect((await handleDmReply(bot.deps, 'U02', 'D02', 'yellow', replyAt('2026-02-03T13:04:00Z'))).kind).toBe('done');
    // and with the 11:00 one answered, a further reply is "already answered", not the 13:00 prompt's first answer
    expect((await handleDmReply(bot.deps, 'U02', 'D02', 'thanks', replyAt('2026-02-03T13:05:00Z'))).kind).toBe('already-answered');
    expect(await answerOf('midday', 'U02')).toBeUndefined();
  });
});
