import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDmReply } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

/*
 * A DM reply to a prompt that reached the member but whose record did not (the process posted it and then lost
 * Postgres, or died, before marking it sent): the reply answers that prompt's check-in, not the one before it
 * ("You already answered"), so the answer is not lost. Seen in the CI chaos drill (issue 25) during a Postgres restart.
 * London on Tuesday 3 Feb 2026 (UTC+0): the program's 11:00 check-in of the critical path (U01, U02), open for 3 h,
 * and Team Omega's 13:00 checkpoint, so both are open from 13:00 to 14:00.
 */
const YAML = aConfig({
  program: {
    name: 'Launch',
    timezone: 'Europe/London',
    channel: 'C0PROG',
    groups: { critical_path: ['U01', 'U02'] },
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
      members: ['U01', 'U02'],
      checkins: [{ id: 'midday', name: 'Checkpoint 13:00', at: '13:00', remind_after: '45m', close_after: '1h' }],
    }),
  ],
});

describe('DM replies to a prompt posted but not recorded yet (real Postgres and Redis, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const runId = async (checkin: string) => (await h.sql<{ id: number }>('SELECT id FROM standup_runs WHERE checkin_id = $1', [checkin]))[0]!.id;
  const answerOf = async (checkin: string, user: string) =>
    (
      await h.sql<{ answers: Record<string, unknown>; complete: boolean }>(
        'SELECT a.answers, a.complete FROM standup_answers a JOIN standup_runs r ON r.id = a.run_id WHERE r.checkin_id = $1 AND a.user_id = $2',
        [checkin, user],
      )
    )[0];
  const sent = (checkin: string, users: string[]) =>
    eventually(`${checkin} prompts of ${users.join(', ')} recorded as sent`, async () => {
      const rows = await h.sql<{ n: number }>(
        `SELECT count(DISTINCT p.user_id)::int AS n FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id WHERE p.status = 'sent' AND r.checkin_id = $1 AND p.user_id = ANY($2)`,
        [checkin, users],
      );
      return rows[0]!.n === users.length;
    });
  /** The state a process leaves when it posted the prompt and could not record it: claimed, no `ts`, no channel. */
  const postedNotRecorded = (checkin: string, user: string) =>
    h.sql(
      `UPDATE deliveries d SET status = 'sending', ts = NULL, conversation = NULL, sent_at = NULL, claims = 1
         FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id
        WHERE d.kind = 'prompt' AND d.owner_key = p.id::text AND p.user_id = $1 AND r.checkin_id = $2`,
      [user, checkin],
    );

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T10:59:00Z');
    bot = await h.process();
    h.clock.set('2026-02-03T11:00:00Z');
    await tick(bot.deps);
    await sent('morning', ['U01', 'U02']);
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('after answering the 11:00 check-in, a reply to the 13:00 prompt not yet recorded answers the 13:00 one', async () => {
    expect((await handleDmReply(bot.deps, 'U01', 'D01', 'Deploying the 11:00 build')).kind).toBe('next');
    expect((await handleDmReply(bot.deps, 'U01', 'D01', 'green')).kind).toBe('done');
    h.clock.set('2026-02-03T13:00:00Z');
    await tick(bot.deps);
    await sent('midday', ['U01', 'U02']);
    await postedNotRecorded('midday', 'U01');

    const first = await handleDmReply(bot.deps, 'U01', 'D01', 'Rolling back the 11:00 build');
    expect(first).toMatchObject({ kind: 'next', runId: await runId('midday'), step: 1 });
    expect((await handleDmReply(bot.deps, 'U01', 'D01', 'red')).kind).toBe('done');
    expect(await answerOf('midday', 'U01')).toEqual({ answers: { status: 'Rolling back the 11:00 build', risk: 'red' }, complete: true });
    // the 11:00 answer is untouched
    expect(await answerOf('morning', 'U01')).toEqual({ answers: { status: 'Deploying the 11:00 build', risk: 'green' }, complete: true });
  });

  it('with two open check-ins not started, a reply goes to the one recorded as sent before one not recorded yet', async () => {
    // U02 has both prompts and has answered neither; the 13:00 one is in flight (it may not have reached them)
    await postedNotRecorded('midday', 'U02');
    const out = await handleDmReply(bot.deps, 'U02', 'D02', 'Waiting on the gate');
    expect(out).toMatchObject({ kind: 'next', runId: await runId('morning'), step: 1 });
    expect(await answerOf('midday', 'U02')).toBeUndefined();
  });

  it('a prompt in flight to another conversation is not answered from this one', async () => {
    await h.sql(
      `UPDATE deliveries d SET conversation = 'D0ELSEWHERE' FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id
        WHERE d.kind = 'prompt' AND d.owner_key = p.id::text AND p.user_id = 'U02' AND r.checkin_id = 'midday'`,
    );
    // U02 finishes the 11:00 check-in; the 13:00 prompt went elsewhere, so a further reply is about the 11:00 one
    expect((await handleDmReply(bot.deps, 'U02', 'D02', 'yellow')).kind).toBe('done');
    expect((await handleDmReply(bot.deps, 'U02', 'D02', 'thanks')).kind).toBe('already-answered');
    expect(await answerOf('midday', 'U02')).toBeUndefined();
  });
});
