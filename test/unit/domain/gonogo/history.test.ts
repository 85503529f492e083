import { describe, expect, it } from 'vitest';
import { checklistDays, type AuditEntry } from '../../../../src/domain/gonogo/history.js';

let id = 0;
const tick = (iso: string, workstream: string, item: string, checked: boolean, actor = 'U0LEAD'): AuditEntry => ({
  id: ++id,
  kind: 'checklist',
  gateId: null,
  actor,
  at: new Date(iso),
  data: { workstream, item, checked },
});

describe('checklistDays groups checklist ticks per workstream and per day in the program zone', () => {
  it('30 ticks by one lead on one day are one group; other kinds are left out', () => {
    const entries = [
      { id: ++id, kind: 'gate_passed' as const, gateId: 'qa', actor: 'U0LEAD', at: new Date('2026-02-03T15:00:00Z'), data: {} },
      ...Array.from({ length: 30 }, (_, i) => tick(`2026-02-03T15:${String(i).padStart(2, '0')}:00Z`, 'ws1', `item ${i + 1}`, true)),
    ];
    const days = checklistDays(entries, 'America/New_York');
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ workstream: 'ws1', day: '2026-02-03', actors: ['U0LEAD'], unticked: [] });
    expect(days[0]!.ticked).toHaveLength(30);
    expect(days[0]!.lastAt.toISOString()).toBe('2026-02-03T15:29:00.000Z');
  });

  it('splits at midnight in the program zone, not UTC; per workstream; newest first; the last change of an item wins', () => {
    const days = checklistDays(
      [
        tick('2026-02-04T04:30:00Z', 'ws1', 'a', true), // 23:30 Tue in New York
        tick('2026-02-04T05:30:00Z', 'ws1', 'b', true), // 00:30 Wed
        tick('2026-02-04T05:40:00Z', 'ws1', 'b', false, 'U0PM'),
        tick('2026-02-04T05:50:00Z', 'ws1', 'c', true, 'U0PM'),
        tick('2026-02-04T06:00:00Z', 'ws2', 'a', true),
      ],
      'America/New_York',
    );
    expect(days.map((d) => [d.workstream, d.day, d.ticked, d.unticked, d.actors])).toEqual([
      ['ws2', '2026-02-04', ['a'], [], ['U0LEAD']],
      ['ws1', '2026-02-04', ['c'], ['b'], ['U0LEAD', 'U0PM']],
      ['ws1', '2026-02-03', ['a'], [], ['U0LEAD']],
    ]);
  });
});
