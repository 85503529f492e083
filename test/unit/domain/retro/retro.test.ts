import { describe, expect, it } from 'vitest';
import { escapeMarkdown, retroMarkdown } from '../../../../src/domain/retro/markdown.js';
import { buildRetro, type RetroBlockerInput, type RetroInput } from '../../../../src/domain/retro/retro.js';

const T0 = Date.parse('2026-11-13T09:00:00Z');
const min = 60_000;

const blocker = (over: Partial<RetroBlockerInput>): RetroBlockerInput => ({
  id: 1,
  shortId: 'B-1',
  workstreamId: 'omega',
  severity: 'P0',
  text: 'Staging DB is down',
  source: 'command',
  raisedAt: T0,
  firstAcknowledgedAt: null,
  resolvedAt: null,
  ladder: [],
  permalink: null,
  ...over,
});

const input = (over: Partial<RetroInput>): RetroInput => ({
  programName: 'Launch',
  zone: 'Europe/Berlin',
  span: { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
  now: T0 + 600 * min,
  workstreams: [
    { id: 'omega', name: 'Team Omega' },
    { id: 'web', name: 'Web' },
  ],
  gates: [],
  decisions: [],
  blockers: [],
  tasks: [],
  checkins: [],
  answers: [],
  ...over,
});

describe('the retrospective model (pure)', () => {
  it("Preflight's own gate and task escalations stay out of the blocker numbers and waits, as in the digest; P2 blockers are not listed one by one", () => {
    const model = buildRetro(
      input({
        blockers: [
          blocker({ id: 1, shortId: 'B-1', firstAcknowledgedAt: T0 + 5 * min, resolvedAt: T0 + 60 * min }),
          blocker({ id: 2, shortId: 'B-2', source: 'task', severity: 'P1', raisedAt: T0, resolvedAt: null }),
          blocker({ id: 3, shortId: 'B-3', severity: 'P2', raisedAt: T0 + 30 * min, resolvedAt: T0 + 40 * min }),
        ],
      }),
    );
    expect(model.numbers.blockers).toMatchObject({ opened: 2, acknowledged: 1, resolved: 2 });
    expect(model.blockers.map((b) => b.shortId)).toEqual(['B-1', 'B-2']);
    expect(model.longestWaits.map((w) => [w.label, w.ms / min])).toEqual([
      ['B-1 "Staging DB is down" (P0, Team Omega)', 60],
      ['B-3 "Staging DB is down" (P2, Team Omega)', 10],
    ]);
  });

  it('open things are measured until the span ends or now, whichever comes first; equal waits list the earlier first', () => {
    const span = { from: T0 - 60 * min, to: T0 + 120 * min };
    const model = buildRetro(
      input({
        span,
        blockers: [blocker({ id: 7, shortId: 'B-7', raisedAt: T0 })],
        tasks: [
          { id: 'W-1', workstreamId: 'web', title: 'Copy', owner: 'U1', due: T0, doneAt: null, permalink: null },
          { id: 'W-2', workstreamId: 'web', title: 'Launch page', owner: 'U1', due: T0 + 200 * min, doneAt: null, permalink: null },
        ],
      }),
    );
    expect(model.end).toBe(span.to);
    expect(model.lateTasks.map((t) => [t.id, t.lateByMs / min, t.done])).toEqual([['W-1', 120, false]]);
    // B-7 and W-1 both waited 120 minutes from T0; the blocker was listed first (earlier start, then input order)
    expect(model.longestWaits.map((w) => [w.kind, w.ms / min, w.ongoing])).toEqual([
      ['blocker', 120, true],
      ['task', 120, true],
    ]);
  });

  it('retro check-in answers are grouped by workstream in the config’s order, oldest first, teams without answers left out', () => {
    const answer = (workstreamId: string, userId: string, at: number) => ({ workstreamId, userId, wentWell: 'x', didNot: null, change: null, at, permalink: null });
    const model = buildRetro(input({ answers: [answer('web', 'U3', T0), answer('omega', 'U2', T0 + 2 * min), answer('omega', 'U1', T0 + min)] }));
    expect(model.answers.map((g) => [g.workstreamName, g.answers.map((a) => a.userId)])).toEqual([
      ['Team Omega', ['U1', 'U2']],
      ['Web', ['U3']],
    ]);
  });

  it('Markdown: times in the program zone, text people wrote cannot become markup, an empty launch says so', () => {
    const md = retroMarkdown(buildRetro(input({ blockers: [blocker({ text: '[click](http://evil) # *now*\nsecond line' })] })));
    expect(md).toContain('- B-1 P0 · Team Omega · “\\[click\\]\\(http://evil\\) \\# \\*now\\* second line”: raised Fri 13 Nov 10:00,');
    expect(md).toContain('the first record → Fri 13 Nov 20:00 (now), times in Europe/Berlin.');
    const empty = retroMarkdown(buildRetro(input({})));
    expect(empty).toContain('## Timeline\n\nNothing recorded in this span.');
    expect(empty).toContain('- Check-in participation: 0/0 answered (–)');
    expect(escapeMarkdown('a_b|c')).toBe('a\\_b\\|c');
  });
});
