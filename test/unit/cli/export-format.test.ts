import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { csvColumns, formatter } from '../../../src/cli/export-format.js';

const answer = (id: number, today: string) => ({
  id,
  run_id: 1,
  checkin_id: 'standup',
  workstream_id: 'ws1',
  local_date: '2026-11-02',
  user_id: 'U1',
  complete: id === 1,
  late: false,
  source: 'dm',
  edits: 0,
  completed_at: null,
  updated_at: '2026-11-02T15:00:00.000Z',
  answers: { today, progress: 60 },
});

describe('export formats', () => {
  it('CSV: a header of the schema keys, quoted text, true/false, empty for null, nested values as JSON', async () => {
    const out = await text(Readable.from([answer(1, 'ship, "v2"\nthen rest'), answer(2, 'x')]).pipe(formatter('answers', 'csv')));
    const lines = out.split('\n');
    expect(lines[0]).toBe(csvColumns('answers').join(','));
    expect(lines[0]).toBe('id,run_id,checkin_id,workstream_id,local_date,user_id,complete,late,source,edits,completed_at,updated_at,answers');
    expect(out).toContain('1,1,standup,ws1,2026-11-02,U1,true,false,dm,0,,2026-11-02T15:00:00.000Z,"{""today"":""ship, \\""v2\\""\\nthen rest"",""progress"":60}"\n');
    expect(out).toContain('2,1,standup,ws1,2026-11-02,U1,false,false,dm,0,,2026-11-02T15:00:00.000Z,"{""today"":""x"",""progress"":60}"\n');
  });
  it('JSON: one record per line (NDJSON)', async () => {
    const out = await text(Readable.from([answer(1, 'a'), answer(2, 'b')]).pipe(formatter('answers', 'json')));
    expect(out.split('\n')).toHaveLength(3);
    expect(out.endsWith('\n')).toBe(true);
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).answers.today),
    ).toEqual(['a', 'b']);
  });
});
