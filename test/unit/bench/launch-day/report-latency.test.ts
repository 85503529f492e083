import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { reportLatency, type AcceptedCall } from '../../../../bench/launch-day/report-latency.js';
import { buildReport, type ReportMember } from '../../../../src/domain/checkins/report.js';
import { standupReportMessage } from '../../../../src/slack/blocks/standup-report.js';

// The bench reads the report as Slack receives it: these messages come from the real renderer, so a change of the
// report's format that the bench would misread fails here.
const QUESTIONS = [{ id: 'status', prompt: 'Status?', kind: 'text' as const, required: true }];
const report = (checkinName: string, members: ReportMember[], status: 'open' | 'closed' = 'open') =>
  standupReportMessage(
    buildReport({
      workstreamName: 'Workstream 1',
      checkinName,
      localDate: '2026-12-08',
      zone: 'UTC',
      status,
      openAt: DateTime.fromISO('2026-12-08T10:00:00Z'),
      closeAt: DateTime.fromISO('2026-12-08T11:00:00Z'),
      questions: QUESTIONS,
      members,
    }),
  );
const answered = (userId: string, late = false): ReportMember => ({ userId, state: late ? 'late' : 'answered', answers: { status: 'On track' }, edited: false, section: null });
const waiting = (userId: string): ReportMember => ({ userId, state: 'waiting', answers: undefined, edited: false, section: null });
const call = (method: string, at: number, msg: { blocks: unknown; text: string }, ts = '1.000100', status = 200): AcceptedCall => ({
  method,
  at,
  status,
  args: { channel: 'CWS1', ts, text: msg.text, blocks: msg.blocks },
});
const T = 1_000_000; // any instant: only differences count

describe('reportLatency: how soon an answer shows in its check-in’s report, and how often a report is edited', () => {
  it('matches an answer to the first message of its check-in that has the person’s entry, not the waiting list', () => {
    const calls = [
      call('chat.postMessage', T, report('Check-in 1', [waiting('U1'), waiting('U2')])),
      // U1 answered at T+1 s; this edit (T+2 s) still lists U1 among those not answered (rendered before the commit)
      call('chat.update', T + 2_000, report('Check-in 1', [waiting('U1'), waiting('U2')])),
      call('chat.update', T + 8_000, report('Check-in 1', [answered('U1'), waiting('U2')])),
      // a 429'd attempt changed nothing in Slack
      call('chat.update', T + 9_000, report('Check-in 1', [answered('U1'), answered('U2')]), '1.000100', 429),
      call('chat.update', T + 14_000, report('Check-in 1', [answered('U1'), answered('U2', true)])),
      // another check-in's report shows U2 earlier: not this answer's
      call('chat.postMessage', T + 4_000, report('Check-in 2', [answered('U2')]), '2.000100'),
    ];
    const out = reportLatency(
      calls,
      [
        { user: 'U1', checkin: 'Check-in 1', at: T + 1_000, status: 200 },
        { user: 'U2', checkin: 'Check-in 1', at: T + 3_000, status: 200 },
        { user: 'U3', checkin: 'Check-in 1', at: T + 3_000, status: 200 }, // never shown
        { user: 'U3', checkin: 'Check-in 1', at: T + 3_000, status: 500 }, // not acked: not counted
      ],
      ['Check-in 1', 'Check-in 2', 'Check-in 10'],
    );
    expect(out).toMatchObject({ shown: 2, neverShown: 1, shownAfterS: { p50S: 7, p95S: 11, maxS: 11 } });
  });

  it('does not take a mention in a program check-in’s section lines, risk flags or “did not answer” for an entry', () => {
    const questions = [...QUESTIONS, { id: 'risk', prompt: 'Risk?', kind: 'risk' as const, required: true }];
    const msg = standupReportMessage(
      buildReport({
        workstreamName: 'Launch',
        checkinName: 'Program check-in',
        localDate: '2026-12-08',
        zone: 'UTC',
        status: 'closed',
        openAt: DateTime.fromISO('2026-12-08T10:00:00Z'),
        closeAt: DateTime.fromISO('2026-12-08T11:00:00Z'),
        questions,
        members: [
          { userId: 'U1', state: 'answered', answers: { status: 'Red', risk: 'red' }, edited: false, section: 'Alpha' },
          { userId: 'U2', state: 'no_answer', answers: undefined, edited: false, section: 'Alpha' },
          { userId: 'U3', state: 'no_answer', answers: undefined, edited: false, section: 'Beta' },
        ],
      }),
    );
    const json = JSON.stringify(msg.blocks);
    // the lines the bench must not misread: a section line, the risk flags, who did not answer
    expect(json).toContain('*▸ Alpha* · 1/2 answered · ❌ did not answer: <@U2>');
    expect(json).toContain('🔴 <@U1>');
    const out = reportLatency(
      [call('chat.update', T + 1_000, msg)],
      ['U1', 'U2', 'U3'].map((user) => ({ user, checkin: 'Program check-in', at: T, status: 200 })),
      ['Program check-in'],
    );
    expect(out).toMatchObject({ shown: 1, neverShown: 2 });
  });

  it('counts edits per report message and those less than 5 s after the previous one', () => {
    const msg = report('Check-in 1', [answered('U1')]);
    const out = reportLatency(
      [call('chat.update', T, msg), call('chat.update', T + 5_000, msg), call('chat.update', T + 7_500, msg), call('chat.update', T + 1_000, msg, '9.000100')],
      [],
      ['Check-in 1'],
    );
    expect(out).toMatchObject({ reportsEdited: 2, edits: 4, editsWithin5s: 1, minEditGapS: 2.5 });
  });
});
