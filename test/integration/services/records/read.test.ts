import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateRange } from '../../../../src/domain/records/range.js';
import { readPage, streamRecords } from '../../../../src/services/records/read.js';
import { answerSchema, type AnswerRecord } from '../../../../src/services/records/schemas.js';
import { harness, type Process } from '../../../support/harness.js';
import { seedAnswers } from '../../../support/seed-answers.js';

const YAML = `
program: { name: Launch, timezone: UTC, pm: U0PM, channel: C0LAUNCH }
workstreams:
  ws1: { name: Broker, channel: C0WS1, members: [U01] }
`;

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
