import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { buildReport, type ReportMember } from '../../../../src/domain/checkins/report.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { standupReportMessage } from '../../../../src/slack/blocks/standup-report.js';

const base = {
  workstreamName: 'WS1: Broker Integration',
  localDate: '2026-02-03',
  zone: 'America/New_York',
  openAt: DateTime.fromISO('2026-02-03T15:00:00Z'),
  closeAt: DateTime.fromISO('2026-02-03T17:00:00Z'),
  questions: DEFAULT_QUESTIONS,
};

const answer = (i: number, extra: Partial<Record<string, string | number>> = {}) => ({
  yesterday: `Finished task ${i} of the OAuth 2.0 flow, wrote tests and deployed to staging`,
  today: `Token refresh and multi-account support, item ${i}`,
  blockers: 'none',
  progress: (i * 7) % 101,
  risk: 'green',
  ...extra,
});

const allText = (blocks: unknown[]) => JSON.stringify(blocks);

describe('standup report', () => {
  it('leads with blockers, red/yellow flags and who has not answered', () => {
    const members: ReportMember[] = [
      { userId: 'U1', state: 'answered', answers: answer(1) },
      { userId: 'U2', state: 'answered', answers: answer(2, { blockers: 'Waiting on Alpaca API credentials', risk: 'red' }) },
      { userId: 'U3', state: 'answered', answers: answer(3, { risk: 'yellow' }) },
      { userId: 'U4', state: 'waiting' },
      { userId: 'U5', state: 'skipped' },
      { userId: 'U6', state: 'ooo' },
    ];
    const model = buildReport({ ...base, status: 'open', members });
    expect(model.counts).toEqual({ expected: 4, answered: 3, waiting: 1, skipped: 1, ooo: 1, noAnswer: 0 });
    expect(model.blockers).toEqual([{ userId: 'U2', text: 'Waiting on Alpaca API credentials' }]);
    expect(model.flags).toEqual([
      { userId: 'U2', risk: 'red' },
      { userId: 'U3', risk: 'yellow' },
    ]);
    const { blocks, text } = standupReportMessage(model);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const sections = blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    const headline = sections[0]!;
    expect(headline.indexOf('Blockers (1)')).toBeLessThan(headline.indexOf('Risk flags'));
    expect(headline).toContain('<@U2>: Waiting on Alpaca API credentials');
    expect(headline).toContain('🔴 <@U2>  🟡 <@U3>');
    expect(headline).toContain('Not answered yet (1):* <@U4>');
    expect(allText(blocks)).toContain('3/4* answered');
    expect(text).toContain('3/4 answered, 1 blocker');
  });

  it('lists blockers carried over with their age, whose <!date> fallback is in the workstream’s zone (issue 18, defect 6)', () => {
    const raisedAt = Math.floor(Date.parse('2026-02-02T15:30:00Z') / 1000);
    const model = buildReport({ ...base, status: 'open', members: [{ userId: 'U1', state: 'waiting' }], carriedOver: [{ id: 9, severity: 'P1', text: 'No staging DB', raisedAt, owner: 'U2' }] });
    expect(allText(standupReportMessage(model).blocks)).toContain(`*B-9* P1 · raised <!date^${raisedAt}^{ago}|Mon 2 Feb 10:30 EST> · waiting on <@U2>: No staging DB`);
  });
  it('after close says who did not answer', () => {
    const model = buildReport({
      ...base,
      status: 'closed',
      members: [
        { userId: 'U1', state: 'no_answer' },
        { userId: 'U2', state: 'late', answers: answer(2) },
      ],
    });
    const json = allText(standupReportMessage(model).blocks);
    expect(json).toContain('Closed at 12:00 EST');
    expect(json).toContain('Did not answer (1):* <@U1>');
    expect(json).toContain('<@U2> _late_');
  });

  it('a missed run says so', () => {
    const model = buildReport({ ...base, status: 'missed', members: [] });
    expect(allText(standupReportMessage(model).blocks)).toContain('Missed');
  });

  it('stays within Block Kit limits for a 35-person workstream with long answers, showing everyone', () => {
    const long = 'x'.repeat(2_500);
    const members: ReportMember[] = Array.from({ length: 35 }, (_, i) => ({
      userId: `U${String(i).padStart(3, '0')}`,
      state: i < 30 ? 'answered' : 'waiting',
      answers: i < 30 ? answer(i, { yesterday: long, today: long, blockers: i % 3 === 0 ? `blocked ${long}` : 'none', risk: i % 5 === 0 ? 'red' : 'green' }) : undefined,
    }));
    const { blocks, text } = standupReportMessage(buildReport({ ...base, status: 'open', members }));
    expect(blockProblems(blocks, 'message')).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(4000);
    for (let i = 0; i < 35; i++) expect(allText(blocks)).toContain(`<@U${String(i).padStart(3, '0')}>`);
    expect(allText(blocks)).not.toContain('more answers not shown');
    expect(allText(blocks)).toContain('… (cut)');
  });

  it('past what one message can hold (400 members), it counts what it left out instead of failing', () => {
    const members: ReportMember[] = Array.from({ length: 400 }, (_, i) => ({ userId: `U${i}`, state: 'answered', answers: answer(i, { yesterday: 'y'.repeat(400), today: 't'.repeat(400) }) }));
    const { blocks } = standupReportMessage(buildReport({ ...base, status: 'open', members }));
    expect(blockProblems(blocks, 'message')).toEqual([]);
    expect(allText(blocks)).toMatch(/and \d+ more answers not shown/);
  });

  it('escapes user text: it can never ping @channel or inject a link', () => {
    const members: ReportMember[] = [{ userId: 'U1', state: 'answered', answers: answer(1, { today: '<!channel> <!here> <@U999> <http://evil|click>', blockers: '<!everyone> help' }) }];
    const json = allText(standupReportMessage(buildReport({ ...base, status: 'open', members })).blocks);
    expect(json).not.toMatch(/<!(channel|here|everyone)>/);
    expect(json).not.toContain('<@U999>');
    expect(json).not.toContain('<http://evil');
    expect(json).toContain('&lt;!channel&gt;');
  });
});
