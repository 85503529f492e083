import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { buildReport, type DayIndexEntry, type ReportMember } from '../../../../src/domain/checkins/report.js';
import { checkinChooserMessage } from '../../../../src/slack/blocks/checkin-chooser.js';
import { blockProblems, LIMITS } from '../../../../src/slack/blocks/limits.js';
import { standupReportMessage } from '../../../../src/slack/blocks/standup-report.js';

/** Seed 004's answers at their longest plausible size, per member. */
const answer = (i: number) => ({
  yesterday: `Finished task ${i} of the OAuth 2.0 flow, wrote tests and deployed to staging; also reviewed two pull requests`.repeat(3),
  today: `Token refresh and multi-account support, item ${i}`.repeat(4),
  blockers: i % 5 === 0 ? `Waiting on credentials from the broker for account ${i}`.repeat(3) : 'none',
  progress: (i * 7) % 101,
  risk: i % 7 === 0 ? 'red' : 'green',
});

const CHECKINS = ['Standup', 'Checkpoint 11:00', 'Checkpoint 13:00', 'Checkpoint 15:00', 'Sign-off 17:00'];
const members = (n: number, section?: (i: number) => string): ReportMember[] =>
  Array.from({ length: n }, (_, i) => ({ userId: `U${1000 + i}`, state: i % 9 === 8 ? 'waiting' : 'answered', answers: i % 9 === 8 ? undefined : answer(i), section: section?.(i) ?? null }));

describe('a day of five check-ins × 35 people in one channel', () => {
  const dayIndex: DayIndexEntry[] = CHECKINS.map((c, i) => ({ workstreamName: 'Team Omega', checkinName: c, status: i < 4 ? 'closed' : 'open', openAtLocal: `${9 + 2 * i}:00`, current: i === 0 }));

  it('every report stays within Block Kit’s limits; the first carries the index of all five', () => {
    CHECKINS.forEach((checkinName, i) => {
      const model = buildReport({
        workstreamName: 'Team Omega',
        checkinName,
        dayIndex: i === 0 ? dayIndex : [],
        localDate: '2026-02-04',
        zone: 'America/New_York',
        status: 'open',
        openAt: DateTime.fromISO('2026-02-04T14:00:00Z'),
        closeAt: DateTime.fromISO('2026-02-04T15:00:00Z'),
        questions: DEFAULT_QUESTIONS,
        members: members(35),
      });
      const { blocks, text } = standupReportMessage(model);
      expect(blockProblems(blocks, 'message'), checkinName).toEqual([]);
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
      const json = JSON.stringify(blocks);
      if (i === 0) {
        expect(json).toContain("Today's check-ins: 🔒 *Standup* 9:00  ·  🔒 Checkpoint 11:00 11:00  ·  🔒 Checkpoint 13:00 13:00  ·  🔒 Checkpoint 15:00 15:00  ·  🟢 Sign-off 17:00 17:00");
      } else {
        expect(json).not.toContain("Today's check-ins");
        expect(json).toContain(`Team Omega · ${checkinName} Wed 4 Feb`);
      }
    });
  });

  it('a program report of 35 leads in 7 sections stays within the limits and groups answers by section', () => {
    const teams = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Omega', 'Sigma', 'Pi'];
    const model = buildReport({
      workstreamName: 'Final deployment',
      checkinName: 'All team leads',
      localDate: '2026-02-04',
      zone: 'America/New_York',
      status: 'closed',
      openAt: DateTime.fromISO('2026-02-04T14:00:00Z'),
      closeAt: DateTime.fromISO('2026-02-04T15:00:00Z'),
      questions: DEFAULT_QUESTIONS,
      // interleaved on purpose: the report groups them
      members: members(35, (i) => `Team ${teams[i % 7]}`),
    });
    expect(model.sections.map((s) => [s.name, s.answered, s.expected])).toEqual([
      // members 8, 17 and 26 have not answered: Beta, Delta and Sigma
      ['Team Alpha', 5, 5],
      ['Team Beta', 4, 5],
      ['Team Gamma', 5, 5],
      ['Team Delta', 4, 5],
      ['Team Omega', 5, 5],
      ['Team Sigma', 4, 5],
      ['Team Pi', 5, 5],
    ]);
    const { blocks } = standupReportMessage(model);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    const at = teams.map((t) => json.indexOf(`▸ Team ${t}*`));
    expect(at.every((x) => x > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe('the /standup chooser', () => {
  it('offers one button per open check-in, each in its own block (unique action_id per block)', () => {
    const { blocks, text } = checkinChooserMessage([
      { runId: 7, workstreamName: 'Team Omega', checkinName: 'Checkpoint 11:00', closesAtLocal: '12:00 EST', answered: false },
      { runId: 3, workstreamName: 'Final deployment', checkinName: 'All team leads', closesAtLocal: '12:00 EST', answered: true },
    ]);
    expect(text).toBe('You have 2 check-ins open. Which one do you want to answer?');
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('*Team Omega · Checkpoint 11:00*\\n⏳ not answered until 12:00 EST');
    expect(json).toContain('*Final deployment · All team leads*\\n✅ answered, editable until 12:00 EST');
    expect(blocks.filter((b) => b.type === 'section' && 'accessory' in b)).toHaveLength(2);
  });
});

describe('a program check-in report (issue 18, defect 2)', () => {
  const program = (status: 'open' | 'closed', states: Record<string, ReportMember['state']>) =>
    buildReport({
      workstreamName: 'Final deployment',
      checkinName: 'All team leads',
      localDate: '2026-02-04',
      zone: 'America/New_York',
      status,
      openAt: DateTime.fromISO('2026-02-04T14:00:00Z'),
      closeAt: DateTime.fromISO('2026-02-04T15:00:00Z'),
      questions: DEFAULT_QUESTIONS,
      members: [
        { userId: 'UALPHA', state: states.UALPHA!, section: 'Alpha', ...(states.UALPHA === 'answered' ? { answers: answer(1) } : {}) },
        { userId: 'UBETA', state: states.UBETA!, section: 'Beta', ...(states.UBETA === 'answered' ? { answers: answer(2) } : {}) },
        { userId: 'UBETA2', state: states.UBETA2!, section: 'Beta', ...(states.UBETA2 === 'answered' ? { answers: answer(3) } : {}) },
      ],
    });
  const entryText = (model: ReturnType<typeof buildReport>) => {
    const { blocks } = standupReportMessage(model);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    // the sections after the divider: the per-workstream part of the report
    const after = blocks.slice(blocks.findIndex((b) => b.type === 'divider') + 1);
    return after.map((b) => (b.type === 'section' ? (b as { text: { text: string } }).text.text : '')).join('\n');
  };

  it('gives every workstream its section with its count and who has not answered, also one nobody answered for yet', () => {
    const open = entryText(program('open', { UALPHA: 'waiting', UBETA: 'answered', UBETA2: 'waiting' }));
    expect(open).toContain('*▸ Alpha* · 0/1 answered · ⏳ not answered yet: <@UALPHA>');
    expect(open).toContain('*▸ Beta* · 1/2 answered · ⏳ not answered yet: <@UBETA2>');
    expect(open.indexOf('▸ Alpha')).toBeLessThan(open.indexOf('▸ Beta'));
    expect(open.indexOf('▸ Beta')).toBeLessThan(open.indexOf('<@UBETA>\n'));
  });

  it('after the close, a workstream nobody answered for still has its section, saying who did not answer', () => {
    const closed = entryText(program('closed', { UALPHA: 'no_answer', UBETA: 'answered', UBETA2: 'skipped' }));
    expect(closed).toContain('*▸ Alpha* · 0/1 answered · ❌ did not answer: <@UALPHA>');
    expect(closed).toContain('*▸ Beta* · 1/1 answered');
    expect(closed).not.toContain('did not answer: <@UBETA2>');
  });

  it('a program check-in nobody answered yet shows each section (no answers below them)', () => {
    const none = entryText(program('open', { UALPHA: 'waiting', UBETA: 'waiting', UBETA2: 'waiting' }));
    expect(none).toContain('*▸ Alpha* · 0/1 answered · ⏳ not answered yet: <@UALPHA>');
    expect(none).toContain('*▸ Beta* · 0/2 answered · ⏳ not answered yet: <@UBETA> <@UBETA2>');
  });
});
