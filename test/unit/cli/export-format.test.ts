import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { parse as parseCsv } from 'csv-parse/sync';
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

const blocker = (id: number, text: string) => ({
  id,
  short_id: `B-${id}`,
  workstream_id: 'ws1',
  gate_id: null,
  task_id: null,
  severity: 'P1',
  status: 'open',
  text,
  reporter: 'U1',
  owner: null,
  source: 'command',
  standup_answer_id: null,
  raised_at: '2026-11-02T15:00:00.000Z',
  first_acknowledged_at: null,
  acknowledged_by: [],
  resolved_at: null,
  resolved_by: null,
  levels_done: 0,
  permalink: null,
  timeline: [{ id: 1, kind: 'raised', actor: 'U1', at: '2026-11-02T15:00:00.000Z', data: { text } }],
});

const run = () => ({
  id: 1,
  checkin_id: 'standup',
  workstream_id: 'ws1',
  workstream_name: 'Broker',
  local_date: '2026-11-02',
  zone: 'UTC',
  status: 'closed',
  open_at: '2026-11-02T15:00:00.000Z',
  close_at: '2026-11-02T17:00:00.000Z',
  closed_at: '2026-11-02T17:00:00.000Z',
  started_by: null,
  report_channel: 'C1',
  report_ts: null,
  prompted: 1,
  skipped: 0,
  answered: 1,
});

/** RFC 4180 rows, as a spreadsheet reads the file (csv-parse: quoted line breaks kept, CRLF record ends). */
const parse = (csv: string): string[][] => parseCsv(csv, { relax_column_count: false });

describe('export formats', () => {
  it('CSV: a header of the schema keys, quoted text, true/false, empty for null, nested values as JSON, CRLF after every record (RFC 4180)', async () => {
    const out = await text(Readable.from([answer(1, 'ship, "v2"\nthen rest'), answer(2, 'x')]).pipe(formatter('answers', 'csv')));
    const lines = out.split('\r\n');
    expect(lines[0]).toBe(csvColumns('answers').join(','));
    expect(lines[0]).toBe('id,run_id,checkin_id,workstream_id,local_date,user_id,complete,late,source,edits,completed_at,updated_at,answers');
    expect(lines.slice(1)).toEqual([
      '1,1,standup,ws1,2026-11-02,U1,true,false,dm,0,,2026-11-02T15:00:00.000Z,"{""today"":""ship, \\""v2\\""\\nthen rest"",""progress"":60}"',
      '2,1,standup,ws1,2026-11-02,U1,false,false,dm,0,,2026-11-02T15:00:00.000Z,"{""today"":""x"",""progress"":60}"',
      '',
    ]);
    // no bare LF anywhere: every line break is a record's CRLF
    expect(out.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(out.startsWith('\uFEFF')).toBe(false);
  });

  it('CSV: a free-text cell that a spreadsheet would run as a formula starts with a quote (OWASP); numbers, even negative, stay numbers', async () => {
    const attacks = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tcmd', '\r=1+1'];
    const out = await text(Readable.from(attacks.map((t, i) => blocker(i + 1, t))).pipe(formatter('blockers', 'csv')));
    const texts = parse(out)
      .slice(1)
      .map((row) => row[csvColumns('blockers').indexOf('text')]);
    expect(texts).toEqual(attacks.map((t) => `'${t}`));
    // nothing else in those rows is touched: ids, user ids, instants, JSON cells
    expect(parse(out)[1]!.slice(0, 3)).toEqual(['1', 'B-1', 'ws1']);
    // the same check on every free-text column of the other kinds
    const gate = { gate_id: 'qa', name: '=1+2', status: 'passed', signed_by: 'U1', signed_at: null, note: '@evil', updated_at: '2026-11-02T15:00:00.000Z' };
    expect(parse(await text(Readable.from([gate]).pipe(formatter('gates', 'csv'))))[1]).toEqual(['qa', "'=1+2", 'passed', 'U1', '', "'@evil", '2026-11-02T15:00:00.000Z']);
    const checkin = { ...run(), workstream_name: '-cmd' };
    expect(parse(await text(Readable.from([checkin]).pipe(formatter('checkins', 'csv'))))[1]![csvColumns('checkins').indexOf('workstream_name')]).toBe("'-cmd");
    const task = {
      id: 'O-1',
      workstream_id: 'ws1',
      title: '+1 the partners',
      owner: 'U1',
      due: null,
      due_local: null,
      estimate_h: 1,
      priority: 'P1',
      requires: [],
      status: 'open',
      progress: 0,
      done_at: null,
      done_by: null,
      updated_at: null,
      updated_by: null,
      url: null,
      source: null,
      owner_unmatched: null,
    };
    expect(parse(await text(Readable.from([task]).pipe(formatter('tasks', 'csv'))))[1]![csvColumns('tasks').indexOf('title')]).toBe("'+1 the partners");
    // a number column keeps its sign: -12.5 is a number, not a formula
    const decision = { id: 7, decision: 'go', verdict: 'GO', percent: -12.5, note: '-1', actor: 'U1', at: '2026-11-02T15:00:00.000Z' };
    expect(parse(await text(Readable.from([decision]).pipe(formatter('decisions', 'csv'))))[1]).toEqual(['7', 'go', 'GO', '-12.5', "'-1", 'U1', '2026-11-02T15:00:00.000Z']);
  });

  it('CSV with bom: the UTF-8 byte order mark first (for Excel on Windows), then the same text', async () => {
    const plain = await text(Readable.from([answer(1, 'café ☕')]).pipe(formatter('answers', 'csv')));
    const withBom = await buffer(Readable.from([answer(1, 'café ☕')]).pipe(formatter('answers', 'csv', { bom: true })));
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.subarray(3).toString('utf8')).toBe(plain);
  });
  it('JSON: one record per line (NDJSON), text exactly as stored (no formula escaping: JSON is not a spreadsheet)', async () => {
    const raw = await text(Readable.from([blocker(1, '=HYPERLINK("http://evil.example","click")')]).pipe(formatter('blockers', 'json')));
    expect(JSON.parse(raw).text).toBe('=HYPERLINK("http://evil.example","click")');

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
