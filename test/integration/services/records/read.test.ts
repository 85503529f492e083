import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateRange } from '../../../../src/domain/records/range.js';
import { readPage, streamRecords } from '../../../../src/services/records/read.js';
import { answerSchema, type AnswerRecord, type CheckinRecord } from '../../../../src/services/records/schemas.js';
import { harness, type Process } from '../../../support/harness.js';
import { seedAnswers } from '../../../support/seed-answers.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const YAML = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ name: 'Broker', leads: undefined })] });

describe('reading records: keyset pages and the streamed export agree', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  beforeAll(async () => {
    h = await harness(YAML, '2026-11-30T12:00:00Z');
    bot = await h.process({ workers: false });
    await seedAnswers(bot.database.pool, 120, 25); // 3,000 answers over 3 days
  });
  afterAll(() => h.cleanup());

  const all = async (stream: Readable) => {
    const out: AnswerRecord[] = [];
    for await (const r of stream) out.push(r as AnswerRecord);
    return out;
  };

  it('the stream yields every record of the range once, in id order, batch after batch, and gives its connection back', async () => {
    const range = dateRange('2026-11-02', '2026-11-02', 'UTC');
    const streamed = await all(await streamRecords(bot.deps, 'answers', range, 97));
    expect(streamed).toHaveLength(50 * 25);
    expect(streamed.every((r) => r.local_date === '2026-11-02')).toBe(true);
    expect(streamed.map((r) => r.id)).toEqual([...streamed.map((r) => r.id)].sort((a, b) => a - b));
    for (const r of streamed.slice(0, 5)) answerSchema.parse(r);
    // the same records as walking the API's pages
    const paged: AnswerRecord[] = [];
    let cursor: string | undefined;
    do {
      const p = await readPage(bot.deps, 'answers', { range, cursor, limit: 200 });
      paged.push(...p.records);
      cursor = p.next ?? undefined;
    } while (cursor);
    expect(paged).toEqual(streamed);
    expect(bot.database.pool.idleCount).toBe(bot.database.pool.totalCount);
  });

  it("a run's check-in id is the one it was opened for (standup_runs.checkin_id), in checkins and answers alike", async () => {
    const { rows } = await bot.database.pool.query(
      `INSERT INTO standup_runs (workstream_id, checkin_id, local_date, status, open_at, close_at, questions, workstream_name, zone, report_channel)
       VALUES ('ws1', 'eod', '2026-12-15', 'closed', '2026-12-15 22:00Z', '2026-12-15 23:00Z', '[]'::jsonb, 'Broker', 'UTC', 'C0WS1') RETURNING id`,
    );
    await bot.database.pool.query(`INSERT INTO standup_answers (run_id, user_id, answers, complete, source, completed_at, updated_at) VALUES ($1, 'U01', '{}'::jsonb, true, 'dm', now(), now())`, [
      rows[0].id,
    ]);
    const range = dateRange('2026-12-15', '2026-12-15', 'UTC');
    const checkins = (await readPage(bot.deps, 'checkins', { range, limit: 10 })).records as CheckinRecord[];
    expect(checkins.map((c) => [c.checkin_id, c.local_date])).toEqual([['eod', '2026-12-15']]);
    const answers = await all(await streamRecords(bot.deps, 'answers', range));
    expect(answers.map((a) => [a.checkin_id, a.user_id])).toEqual([['eod', 'U01']]);
    // the seeded runs are the daily standup
    expect((await readPage(bot.deps, 'checkins', { range: dateRange('2026-11-02', '2026-11-02', 'UTC'), limit: 1 })).records[0]!.checkin_id).toBe('standup');
  });

  it('a consumer that stops early closes the cursor and releases the connection', async () => {
    const stream = await streamRecords(bot.deps, 'answers', { start: null, end: null }, 50);
    let n = 0;
    for await (const _ of stream) if (++n === 120) break;
    await new Promise((r) => setTimeout(r, 50));
    expect(bot.database.pool.waitingCount).toBe(0);
    expect(bot.database.pool.idleCount).toBe(bot.database.pool.totalCount);
    // the pool still works
    expect((await readPage(bot.deps, 'answers', { range: { start: null, end: null }, limit: 1 })).records[0]!.id).toBe(1);
  });
});
