import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { buildDigest, type WorkstreamDigestInput } from '../../../../src/domain/digest/digest.js';
import { digestMessage, formatDuration } from '../../../../src/slack/blocks/digest.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';

const none = { P0: 0, P1: 0, P2: 0 };
const ws = (i: number, over: Partial<WorkstreamDigestInput> = {}): WorkstreamDigestInput => ({
  id: `ws${i}`,
  name: `Workstream ${i} with a rather long name to fill the sections`,
  percent: i % 100,
  previousPercent: (i + 3) % 100,
  tasksDone: 3,
  tasksTotal: 10,
  tasksOverdue: i % 3,
  tasksDoneInWindow: 1,
  participation: { answered: 18, expected: 20 },
  flags: { red: i % 5 === 0 ? 1 : 0, yellow: 1, green: 17 },
  openBlockers: { ...none, P1: i % 2 },
  ...over,
});
const from = Date.UTC(2026, 10, 26, 23);
const model = (workstreams: WorkstreamDigestInput[]) =>
  buildDigest({ programName: 'Launch', zone: 'America/New_York', window: { from, to: from + 86_400_000 }, workstreams, blockers: [], blockingSeverities: ['P0'] });
const texts = (blocks: KnownBlock[]) => JSON.stringify(blocks);

describe('digestMessage', () => {
  it('fits 200 workstreams in one message within Block Kit limits', () => {
    const m = digestMessage({ kind: 'digest', digest: model(Array.from({ length: 200 }, (_, i) => ws(i + 1))), comparedWith: '2026-11-25' });
    expect(blockProblems(m.blocks, 'message')).toEqual([]);
    expect(texts(m.blocks)).toContain('changes since the digest of 2026-11-25');
    expect(texts(m.blocks)).toContain('*Workstream 200 with');
    expect(texts(m.blocks)).not.toContain('more workstreams');
  });
  it('points to /preflight stats for the workstreams that do not fit', () => {
    const m = digestMessage({ kind: 'digest', digest: model(Array.from({ length: 1000 }, (_, i) => ws(i + 1))), comparedWith: null });
    expect(blockProblems(m.blocks, 'message')).toEqual([]);
    const more = texts(m.blocks).match(/…and (\d+) more workstreams: `\/preflight stats <workstream>`/);
    expect(Number(more?.[1])).toBeGreaterThan(0);
    const shown = (texts(m.blocks).match(/\*Workstream \d+ with/g) ?? []).length;
    expect(shown + Number(more?.[1])).toBe(1000);
  });
  it('shows each workstream with status, % complete and its change, and escapes names', () => {
    const m = digestMessage({
      kind: 'stats',
      digest: model([
        ws(1, { name: 'API <!channel> & co', percent: 62, previousPercent: 50 }),
        ws(2, { percent: 40, previousPercent: 45, flags: { red: 0, yellow: 0, green: 3 }, openBlockers: none, tasksOverdue: 0 }),
      ]),
      comparedWith: null,
      scope: 'API',
    });
    const seen = texts(m.blocks);
    expect(seen).toContain('📊 Stats · Launch · API');
    expect(seen).toContain('*API &lt;!channel&gt; &amp; co* 62% (▲ 12)');
    expect(seen).toContain('🟢 *Workstream 2 with a rather long name to fill the sections* 40% (▼ 5)');
    expect(seen).not.toContain('<!channel>');
    expect(m.text).toMatch(/^📊 Stats · Launch · API: on track 1, at risk 1, blocked 0/);
  });
  it('lists the plan changes made from Slack (issue 20) before the workstreams, within the limits', () => {
    const at = new Date(from + 3_600_000);
    const change = (id: number, over: Record<string, unknown>) => ({
      override: {
        id,
        kind: 'task_due' as const,
        target: 'O-2',
        workstreamId: 'ws1',
        value: '2026-11-27T16:00',
        fileValue: '2026-11-27T15:00',
        reason: null,
        createdBy: 'U0PM',
        createdAt: at,
        droppedAt: null,
        droppedBy: null,
        dropReason: null,
        ...over,
      },
      before: '2026-11-27T15:00',
    });
    const planChanges = [
      change(1, { reason: 'vendor <!here> late' }),
      change(2, { kind: 'task_drop', target: 'O-4', value: null, droppedAt: at, droppedBy: 'file', dropReason: 'file changed: task O-4 → (gone)' }),
      ...Array.from({ length: 30 }, (_, i) => change(3 + i, {})),
    ];
    const m = digestMessage({ kind: 'digest', digest: model(Array.from({ length: 1000 }, (_, i) => ws(i + 1))), comparedWith: null, planChanges });
    expect(blockProblems(m.blocks, 'message')).toEqual([]);
    const seen = texts(m.blocks);
    expect(seen).toContain('*Plan changes today*');
    expect(seen).toContain('• *O-2* due moved 15:00 → 16:00 by <@U0PM> at <!date^');
    expect(seen).toContain(': vendor &lt;!here&gt; late');
    expect(seen).toContain('• ~*O-4* dropped by <@U0PM> at');
    expect(seen).toContain('_no longer applies: file changed: task O-4 → (gone)_');
    expect(seen).toContain('…and 12 more: `npm run export -- --what overrides`');
    expect(seen.indexOf('Plan changes today')).toBeLessThan(seen.indexOf('*Workstream 1 with'));
    expect(texts(digestMessage({ kind: 'digest', digest: model([ws(1)]), comparedWith: null, planChanges: [] }).blocks)).not.toContain('Plan changes');
  });
  it('writes durations as people read them', () => {
    expect([45_000, 12 * 60_000, 2 * 3_600_000 + 5 * 60_000, 76 * 3_600_000].map(formatDuration)).toEqual(['45s', '12m', '2h 05m', '3d 4h']);
  });
});
