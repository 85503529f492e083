import { describe, expect, it } from 'vitest';
import type { AuditEntry, ChecklistDay } from '../../../../src/domain/gonogo/history.js';
import { HISTORY_PAGE } from '../../../../src/services/gonogo/history-page.js';
import { GONOGO_HISTORY_IDS, gonogoHistoryMessage, parseHistoryCursor } from '../../../../src/slack/blocks/gonogo-history.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';

const names = { gates: { qa: 'QA sign-off' }, workstreams: { ws1: 'Broker' }, zone: 'America/New_York' };
const at = new Date('2026-02-03T15:00:00Z');
const texts = (blocks: any[]) => blocks.flatMap((b) => (b.type === 'section' ? [String(b.text.text)] : b.type === 'context' ? b.elements.map((e: any) => String(e.text)) : []));
const datesWhole = (text: string) => (text.match(/<!date\^/g) ?? []).length === (text.match(/<!date\^\d+\^[^|>]+\|[^>]+>/g) ?? []).length;

describe('/gonogo history message', () => {
  it('lists decisions and sign-offs first, then one line per workstream and day of checklist ticks', () => {
    const events: AuditEntry[] = [
      { id: 3, kind: 'decision', gateId: null, actor: 'U0PM', at, data: { decision: 'no-go', note: 'wait for <QA> & perf' } },
      { id: 2, kind: 'gate_withdrawn', gateId: 'qa', actor: 'U01', at, data: { blocker: 7, severity: 'P0' } },
      { id: 1, kind: 'gate_passed', gateId: 'qa', actor: 'U0LEAD', at, data: { note: null } },
    ];
    const checklist: ChecklistDay[] = [{ workstream: 'ws1', day: '2026-02-03', ticked: Array.from({ length: 30 }, (_, i) => `item ${i + 1}`), unticked: ['old item'], actors: ['U0LEAD'], lastAt: at }];
    const { blocks, text } = gonogoHistoryMessage({ events, checklist, older: null }, names);
    expect(text).toBe('Go/no-go history');
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const all = texts(blocks).join('\n');
    expect(all).toContain('*NO-GO* decided by <@U0PM>: “wait for &lt;QA&gt; &amp; perf”');
    expect(all).toContain('⚠️ “QA sign-off” sign-off withdrawn (B-7 P0 raised by <@U01>)');
    expect(all).toContain('✅ “QA sign-off” signed off by <@U0LEAD>');
    expect(all).toMatch(/• Tue 3 Feb · \*Broker\*: ☑️ 30 items ticked \(item 1, item 2, .*, and \d+ more\) · ⬜ 1 item unticked \(old item\) by <@U0LEAD> · last <!date\^/);
    expect(all.indexOf('signed off')).toBeLessThan(all.indexOf('☑️'));
    // the fallbacks of its dates are in the reader's zone (issue 18, defect 6)
    for (const fallback of all.match(/<!date\^[^>]+>/g) ?? []) expect(fallback).toMatch(/\|\w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T>$/);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('an empty history and an exhausted older page say so', () => {
    expect(texts(gonogoHistoryMessage({ events: [], checklist: [], older: null }, names).blocks).join('\n')).toContain('_None yet._');
    expect(texts(gonogoHistoryMessage({ events: [], checklist: [], older: null }, names, { older: true }).blocks).join('\n')).toContain('_Nothing older._');
  });

  it('a full page of the longest lines fits one message, every line whole, with a "Show older" button', () => {
    const long = 'x'.repeat(500);
    const events: AuditEntry[] = Array.from({ length: HISTORY_PAGE.events }, (_, i) => ({
      id: 1000 - i,
      kind: (['decision', 'gate_passed', 'gate_failed', 'gate_withdrawn'] as const)[i % 4]!,
      gateId: `gate-${long}`,
      actor: 'U0ABCDEFGHIJ',
      at,
      data: { decision: 'conditional', note: `<!channel> ${long}`, blocker: 123456, severity: 'P0' },
    }));
    // worst case: every tick of the page in its own workstream-and-day group, long names, many people
    const checklist: ChecklistDay[] = Array.from({ length: HISTORY_PAGE.ticks }, (_, i) => ({
      workstream: `ws-${i}-${long}`,
      day: '2026-02-03',
      ticked: Array.from({ length: 10 }, (_, j) => `${j} ${'é&<'.repeat(70)}`),
      unticked: Array.from({ length: 10 }, (_, j) => `${j} ${'y'.repeat(200)}`),
      actors: Array.from({ length: 8 }, (_, j) => `U0ACTOR000${j}`),
      lastAt: at,
    }));
    const { blocks } = gonogoHistoryMessage({ events, checklist, older: { events: 976, ticks: 5 } }, names);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const all = texts(blocks);
    for (const t of all) expect(datesWhole(t), t.slice(0, 200)).toBe(true);
    const joined = all.join('\n');
    expect(joined).not.toContain('did not fit');
    expect(joined.match(/^• /gm)).toHaveLength(HISTORY_PAGE.events + HISTORY_PAGE.ticks);
    const button = (blocks.find((b) => b.type === 'actions') as any).elements[0];
    expect(button.action_id).toBe(GONOGO_HISTORY_IDS.older);
    expect(parseHistoryCursor(button.value)).toEqual({ events: 976, ticks: 5 });
  });

  it('parses only cursors it wrote', () => {
    expect(parseHistoryCursor('{"events":3}')).toEqual({ events: 3 });
    for (const bad of [undefined, '', 'nope', '{"events":-1}', '{"events":"3"}', '{"events":1,"x":2}', '[]']) expect(parseHistoryCursor(bad)).toBeNull();
  });
});
