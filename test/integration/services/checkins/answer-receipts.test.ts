import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pendingAnswerReceipts, sendAnswerReceipt } from '../../../../src/services/checkins/answer-receipts.js';
import { handleDmReply, submitForm } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

// a fixed clock: Tuesday 3 Feb 2026, 10:00 in New York (UTC-5) is 15:00Z
const YAML = aConfig({
  program: { name: 'Phase 11', timezone: 'America/New_York' },
  workstreams: [aWorkstream({ name: 'Broker Integration', members: ['U01', 'U02', 'U03'], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } })],
});
const ANSWERS = { yesterday: 'Sync tests', today: 'Reconciliation', blockers: 'none', progress: 90, risk: 'green' } as const;
const DM_REPLIES = ['Wired the OAuth callback', 'Token refresh', 'none', '60', 'green'];

/** The receipt DM ("✅ Thanks! …") as Slack received it: its text and metadata, whatever fields a call lacks. */
const isReceipt = (a: Record<string, any>) => String(a?.metadata?.event_type ?? '') === 'preflight_answer_receipt';
// one Slack fake for the file (each describe answers as its own members)
const slack = nockSlack();
const receipts = (user: string) => slack.of('chat.postMessage', (a) => a?.channel === user && isReceipt(a));
afterAll(() => slack.done());

/**
 * The confirmation of an answer ("Thanks! Your answer is in the report") is the answer's receipt: a delivery opened
 * with the answer, sent once per saved version by the `dm` queue behind the prompts (issue 25: prompts get Slack's
 * posting budget first).
 */
describe('answer receipts on real Postgres and Redis (Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T15:00:00Z');
    bot = await h.process();
    await tick(bot.deps);
    await eventually('prompts recorded as sent', async () => {
      const rows = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent'`);
      return rows[0]!.n === 3;
    });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('a DM answer gets one receipt in that DM conversation, naming the report channel, with the edit button', async () => {
    h.clock.set('2026-02-03T15:05:00Z');
    const kinds = [];
    for (const r of DM_REPLIES) kinds.push((await handleDmReply(bot.deps, 'U01', 'D01', r)).kind);
    expect(kinds.at(-1)).toBe('done');
    // in the conversation the member typed in (the prompt's IM channel)
    await eventually('U01 receipt', () => receipts('D01').length === 1);
    expect(receipts('U01')).toHaveLength(0);
    const [receipt] = receipts('D01');
    expect(receipt!.args.text).toBe('Thanks! Your standup answer is recorded.');
    expect(JSON.stringify(receipt!.args.blocks)).toContain('report in <#C0WS1>');
    expect(JSON.stringify(receipt!.args.blocks)).toContain('Edit my answer');
    expect(receipt!.args.metadata?.event_payload?.reservation).toMatch(/^answer_receipt-\d+\.1$/);
    // the sweep's recovery finds nothing left to send, and a repeated wake-up sends nothing
    expect(await pendingAnswerReceipts(bot.deps)).toEqual([]);
    const [row] = await h.sql<{ id: number }>("SELECT id FROM standup_answers WHERE user_id = 'U01'");
    await bot.deps.wakeups.sendAnswerReceipts([{ answerId: row!.id, version: 1 }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(receipts('D01')).toHaveLength(1);
  });

  it('a form answer and its edit get one receipt each (version 1, then 2), posted to the member', async () => {
    expect(await submitForm(bot.deps, 'U02', 1, ANSWERS)).toMatchObject({ kind: 'saved', edited: false });
    await eventually('first U02 receipt', () => receipts('U02').length === 1);
    expect(await submitForm(bot.deps, 'U02', 1, { ...ANSWERS, today: 'Reconciliation and the cut-over' })).toMatchObject({ kind: 'saved', edited: true });
    await eventually('second U02 receipt', () => receipts('U02').length === 2);
    expect(
      receipts('U02').map((c) =>
        String(c.args.metadata?.event_payload?.reservation ?? '')
          .split('.')
          .at(-1),
      ),
    ).toEqual(['1', '2']);
    // Slack has them; the worker records each as sent right after
    const states = async () => (await h.sql<{ status: string }>("SELECT status FROM deliveries WHERE kind = 'answer_receipt' ORDER BY owner_key")).map((s) => s.status);
    await eventually('receipts recorded as sent', async () => (await states()).every((s) => s === 'sent'));
    expect(await states()).toEqual(['sent', 'sent', 'sent']);
  });

  it('a form edit stored in time is confirmed by the form itself (no receipt DM); one stored too late for that gets the DM', async () => {
    // U02's form answer and its edit (versions 1 and 2) got their receipts above; two more edits through the form
    const inTime = await submitForm(bot.deps, 'U02', 1, { ...ANSWERS, progress: 95 }, { confirmInModalBy: Date.now() + 60_000 });
    expect(inTime).toMatchObject({
      kind: 'saved',
      edited: true,
      confirmation: { runId: 1, workstreamName: 'Broker Integration', reportChannel: 'C0WS1', closesAtLocal: '12:00 EST', late: false, editable: true },
    });
    const [row] = await h.sql<{ id: number }>("SELECT id FROM standup_answers WHERE user_id = 'U02'");
    const receiptRows = async () =>
      (await h.sql<{ owner_key: string }>(`SELECT owner_key FROM deliveries WHERE kind = 'answer_receipt' AND owner_key LIKE '${row!.id}.%' ORDER BY owner_key`)).map((r) => r.owner_key);
    expect(await receiptRows()).toEqual([`${row!.id}.1`, `${row!.id}.2`]);
    // the next edit's write came after the form could still show it (Slack's 3 s had run out): the receipt DM says it
    const tooLate = await submitForm(bot.deps, 'U02', 1, { ...ANSWERS, risk: 'yellow' }, { confirmInModalBy: Date.now() - 1 });
    expect(tooLate).toMatchObject({ kind: 'saved', edited: true, confirmation: null });
    await eventually('the late confirmation DM to U02', () => receipts('U02').length === 3);
    expect(receipts('U02').map((c) => String(c.args.metadata?.event_payload?.reservation ?? ''))).toEqual([1, 2, 4].map((v) => `answer_receipt-${row!.id}.${v}`));
    expect(await receiptRows()).toEqual([`${row!.id}.1`, `${row!.id}.2`, `${row!.id}.4`]);
    await eventually('no receipt left pending', async () => (await pendingAnswerReceipts(bot.deps)).length === 0);
  });

  it('a form answer whose follow-ups before the ack (waking the report) ran past the deadline is confirmed by DM, once', async () => {
    // the report's wake-up takes 300 ms here: in time when the answer is written, too late once the follow-ups ran
    const wakeups = bot.deps.wakeups;
    const slowReport = new Proxy(wakeups, {
      get: (target, key) =>
        key === 'renderReports'
          ? async (...args: Parameters<typeof wakeups.renderReports>) => {
              await new Promise((r) => setTimeout(r, 300));
              return target.renderReports(...args);
            }
          : Reflect.get(target, key),
    });
    const saved = await submitForm({ ...bot.deps, wakeups: slowReport }, 'U02', 1, { ...ANSWERS, progress: 99 }, { confirmInModalBy: Date.now() + 150 });
    expect(saved).toMatchObject({ kind: 'saved', edited: true, confirmation: null });
    const [row] = await h.sql<{ id: number }>("SELECT id FROM standup_answers WHERE user_id = 'U02'");
    await eventually('the confirmation DM to U02 for version 5', () => receipts('U02').length === 4);
    expect(String(receipts('U02').at(-1)!.args.metadata?.event_payload?.reservation ?? '')).toBe(`answer_receipt-${row!.id}.5`);
    await eventually('no receipt left pending', async () => (await pendingAnswerReceipts(bot.deps)).length === 0);
  });
});

describe('answer receipts without workers: recovery and superseded versions', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T15:00:00Z');
    bot = await h.process({ workers: false });
    await tick(bot.deps);
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('a receipt whose wake-up was lost is pending in Postgres for the sweep; a superseded version is cancelled, not sent', async () => {
    await submitForm(bot.deps, 'U03', 1, ANSWERS);
    await submitForm(bot.deps, 'U03', 1, { ...ANSWERS, risk: 'yellow' });
    const [row] = await h.sql<{ id: number }>("SELECT id FROM standup_answers WHERE user_id = 'U03'");
    const pending = await pendingAnswerReceipts(bot.deps);
    expect(pending).toEqual(
      expect.arrayContaining([
        { answerId: row!.id, version: 1 },
        { answerId: row!.id, version: 2 },
      ]),
    );
    expect(await sendAnswerReceipt(bot.deps, { answerId: row!.id, version: 1 })).toBe('not-due');
    expect(await sendAnswerReceipt(bot.deps, { answerId: row!.id, version: 2 })).toBe('sent');
    expect(await sendAnswerReceipt(bot.deps, { answerId: row!.id, version: 2 })).toBe('not-due');
    expect(receipts('U03')).toHaveLength(1);
    const states = await h.sql<{ owner_key: string; status: string; last_error: string | null }>(
      "SELECT owner_key, status, last_error FROM deliveries WHERE kind = 'answer_receipt' ORDER BY owner_key",
    );
    expect(states).toEqual([
      { owner_key: `${row!.id}.1`, status: 'cancelled', last_error: 'superseded' },
      { owner_key: `${row!.id}.2`, status: 'sent', last_error: null },
    ]);
    expect(await pendingAnswerReceipts(bot.deps)).toEqual([]);
  });

  it('the dm queue runs a fan-out’s prompts before reminders, and reminders before answer receipts queued earlier', async () => {
    // the wake-ups as the services queue them (the tick's prompts and the receipts above are queued too); a bare
    // worker with one slot shows the order BullMQ hands them out
    await bot.deps.wakeups.sendAnswerReceipts([{ answerId: 901, version: 1 }]);
    await bot.deps.wakeups.sendReminders([902]);
    await bot.deps.wakeups.sendPrompts(Array.from({ length: 10 }, (_, i) => ({ promptId: 1_000 + i, attempt: 0 })));
    const seen: string[] = [];
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const worker = new Worker('dm', async (job) => void seen.push(job.name), { connection, prefix: h.prefix, concurrency: 1 });
    try {
      await eventually(
        'the dm queue drained',
        async () => {
          const counts = await bot.queues.dm.getJobCounts('waiting', 'prioritized', 'active');
          return seen.length >= 12 && (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0) === 0;
        },
        20_000,
      );
    } finally {
      await worker.close();
      await connection.quit();
    }
    const rank: Record<string, number> = { 'send-prompt': 0, 'send-reminder': 1, 'send-answer-receipt': 2 };
    expect(seen.filter((n) => n === 'send-prompt').length).toBeGreaterThanOrEqual(10);
    expect(seen.filter((n) => n === 'send-reminder')).toHaveLength(1);
    expect(seen.filter((n) => n === 'send-answer-receipt').length).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual([...seen].sort((a, b) => (rank[a] ?? 3) - (rank[b] ?? 3)));
  });
  it('a receipt that goes out after its check-in closed says so and offers no edit', async () => {
    await submitForm(bot.deps, 'U01', 1, ANSWERS);
    const [row] = await h.sql<{ id: number }>("SELECT id FROM standup_answers WHERE user_id = 'U01'");
    // the check-in closes (close_after 2h) while the receipt still waits in the queue
    h.clock.set('2026-02-03T17:00:00Z');
    expect((await tick(bot.deps)).closed).toBe(1);
    expect(await sendAnswerReceipt(bot.deps, { answerId: row!.id, version: 1 })).toBe('sent');
    const [receipt] = receipts('U01');
    const blocks = JSON.stringify(receipt?.args.blocks ?? []);
    expect(blocks).toContain('can no longer be edited');
    expect(blocks).not.toContain('Edit my answer');
  });
});
