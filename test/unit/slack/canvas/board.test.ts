import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { BoardModel } from '../../../../src/domain/board/board.js';
import { boardMessage } from '../../../../src/slack/blocks/board.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { boardCanvasMarkdown } from '../../../../src/slack/canvas/board.js';

const NOW = DateTime.fromISO('2026-11-24T14:05:00Z').toMillis();

const model = (over: Partial<BoardModel> = {}): BoardModel => ({
  programName: 'Launch',
  zone: 'Europe/Berlin',
  sections: ['workstreams', 'gates', 'verdict'],
  workstreams: [
    {
      id: 'api',
      name: 'API *core* <team>',
      phase: { kind: 'active' },
      status: 'blocked',
      percent: 62,
      waitsOn: null,
      nextTask: { id: 'A-1', title: 'Schema', owner: 'U01', dueAt: NOW + 3_600_000, overdue: false },
      openBlockers: { P0: 1, P1: 0, P2: 2 },
      oldestBlockerAgeMs: 2 * 3_600_000 + 5 * 60_000,
      leads: ['U0LEAD'],
    },
  ],
  gates: [
    {
      id: 'qa',
      name: 'QA',
      mandatory: true,
      status: 'pending',
      dueAt: NOW,
      signers: [
        { userId: 'U0QA', signed: true },
        { userId: 'U0PM', signed: false },
      ],
    },
  ],
  verdict: { decision: 'NO-GO', percent: 40, reasons: ['Gate “QA” is not signed off.', 'Signed by <@U0QA>.'] },
  updatedAt: NOW,
  ...over,
});

describe('the status board as canvas markdown and as the pinned message', () => {
  it('writes every cell of the board in the canvas, times in the program’s zone', () => {
    const md = boardCanvasMarkdown(model());
    expect(md).toContain('## **API \\*core\\* \\<team\\>** · 🔴 Blocked · 62% complete · active');
    expect(md).toContain('- waits on: nothing');
    expect(md).toContain('- next task: A-1 “Schema” due Tue 24 Nov 16:05, ![](@U01)');
    expect(md).toContain('- open blockers: 1 P0, 2 P2, oldest 2h 05m');
    expect(md).toContain('- lead: ![](@U0LEAD)');
    expect(md).toContain('- **QA** · ⏳ pending · due Tue 24 Nov 15:05 · ✅ ![](@U0QA) ⏳ ![](@U0PM)');
    expect(md).toContain('🔴 **NO-GO** · 40% of the checklist done');
    expect(md).toContain('- Signed by ![](@U0QA).');
    expect(md.trim().split('\n').at(-1)).toBe('_updated Tue 24 Nov 15:05 (Europe/Berlin)_');
  });

  it('writes only the sections picked', () => {
    const md = boardCanvasMarkdown(model({ sections: ['gates'] }));
    expect(md).toContain('# Gates');
    expect(md).not.toContain('# Workstreams');
    expect(md).not.toContain('NO-GO');
  });

  it('the pinned message says the same in mrkdwn, within Block Kit’s limits', () => {
    const msg = boardMessage(model());
    expect(blockProblems(msg.blocks as KnownBlock[], 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('*API *core* &lt;team&gt;* · 🔴 Blocked · 62% complete · active');
    expect(text).toContain('• open blockers: 1 P0, 2 P2, oldest 2h 05m');
    expect(text).toContain('✅ <@U0QA> ⏳ <@U0PM>');
    expect(text).toContain('updated Tue 24 Nov 15:05 (Europe/Berlin)');
    expect(msg.text).toBe('Launch · status board: NO-GO (updated Tue 24 Nov 15:05 (Europe/Berlin))');
  });

  it('stays within 50 blocks for a program of 60 workstreams', () => {
    const w = model().workstreams[0]!;
    const msg = boardMessage(model({ workstreams: Array.from({ length: 60 }, (_, i) => ({ ...w, id: `w${i}`, name: `W${i}` })) }));
    expect(blockProblems(msg.blocks as KnownBlock[], 'message')).toEqual([]);
    expect(JSON.stringify(msg.blocks)).toContain('… and 20 more workstreams');
  });
});
