import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { type PlanOverride, applyOverrides, fileValueOf, partitionOverrides } from '../../../src/config/overrides.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const YAML = aConfig({
  workstreams: [
    aWorkstream({
      id: 'omega',
      members: ['U01', 'U02'],
      tasks: [
        { id: 'O-1', title: 'MongoDB', owner: 'U01', due: '2026-12-05T14:00' },
        { id: 'O-2', title: 'OAuth', owner: 'U02', due: '2026-12-05T15:00', requires: ['O-1'] },
        { id: 'O-3', title: 'Email', owner: 'U02' },
      ],
    }),
  ],
  gates: [{ id: 'gate1', name: 'Gate 1', due: '2026-12-05T17:00', sign_off: ['U0PM'] }],
});
const raw = () => parseDocument(YAML).toJS() as unknown;
let next = 1;
const o = (kind: PlanOverride['kind'], target: string, value: unknown, extra: Partial<PlanOverride> = {}): PlanOverride => {
  const base = { id: next++, kind, target, workstreamId: kind === 'gate_due' ? null : 'omega', value, fileValue: null };
  return { ...base, fileValue: fileValueOf(raw(), base), ...extra };
};
const parseWith = (overrides: PlanOverride[]) => parseWorkspaceConfig(YAML, 'test.yml', (r) => applyOverrides(r, overrides));
const problems = (overrides: PlanOverride[]) => {
  try {
    parseWith(overrides);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('plan overrides on the raw config (issue 20)', () => {
  it('applies each kind before validation, in order, without changing the input', () => {
    const input = raw();
    const before = JSON.stringify(input);
    const cfg = parseWith([
      o('task_due', 'O-2', '2026-12-05T16:00'),
      o('task_owner', 'O-3', 'U01'),
      o('task_add', 'O-4', { id: 'O-4', title: 'Load test', owner: 'U02', due: '2026-12-05T15:30', estimate: 2, requires: ['O-2'], priority: 'P0' }),
      o('task_drop', 'O-3', null),
      o('gate_due', 'gate1', '2026-12-05T18:00'),
      o('task_due', 'O-2', '2026-12-05T16:30'),
    ]);
    const tasks = cfg.workstreams.omega!.tasks;
    expect(tasks.map((t) => t.id)).toEqual(['O-1', 'O-2', 'O-4']);
    expect(tasks[1]!.due).toBe('2026-12-05T16:30'); // the later override on the same field wins
    expect(tasks[2]).toMatchObject({ title: 'Load test', owner: 'U02', estimate: 2, requires: ['O-2'], priority: 'P0', priority_given: true });
    expect(cfg.gates[0]!.due).toBe('2026-12-05T18:00');
    applyOverrides(input, [o('task_drop', 'O-1', null)]);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('lets the schema judge the result: an unknown requires, a cycle, a bad owner, a dropped task still required', () => {
    expect(problems([o('task_add', 'O-4', { id: 'O-4', title: 'x', owner: 'U01', requires: ['O-9'] })])).toEqual(['workstreams.omega.tasks.3.requires.0: no task or gate with id "O-9"']);
    expect(problems([o('task_add', 'O-4', { id: 'O-4', title: 'x', owner: 'U01', requires: ['O-2'] }), o('task_add', 'O-5', { id: 'O-5', title: 'y', owner: 'U01', requires: ['O-4'] })])).toEqual([]);
    expect(problems([o('task_add', 'O-4', { id: 'O-4', title: 'x', owner: 'U01', requires: ['O-4'] })])).toEqual(['workstreams.omega.tasks.3.requires.0: a task cannot require itself']);
    // a cycle through the patched document: O-1 made to require O-2, which requires O-1
    const rawWithCycle = (r: unknown) => {
      const doc = applyOverrides(r, []) as { workstreams: { omega: { tasks: { requires?: string[] }[] } } };
      doc.workstreams.omega.tasks[0]!.requires = ['O-2'];
      return doc;
    };
    expect(() => parseWorkspaceConfig(YAML, 'test.yml', rawWithCycle)).toThrow(/requires itself through other tasks \(a cycle\)/);
    expect(problems([o('task_drop', 'O-1', null)])).toEqual(['workstreams.omega.tasks.0.requires.0: no task or gate with id "O-1"']);
    expect(problems([o('task_owner', 'O-1', '@ana')])).toEqual([expect.stringContaining('workstreams.omega.tasks.0.owner')]);
    expect(problems([o('task_add', 'o-1', { id: 'o-1', title: 'dup', owner: 'U01' })])).toEqual([expect.stringContaining('is already used in workstream "omega"')]);
  });

  it('reads the file value of the field each override changes', () => {
    expect(fileValueOf(raw(), { kind: 'task_due', target: 'O-2' })).toBe('2026-12-05T15:00');
    expect(fileValueOf(raw(), { kind: 'task_due', target: 'O-3' })).toBeNull();
    expect(fileValueOf(raw(), { kind: 'task_owner', target: 'O-3' })).toBe('U02');
    expect(fileValueOf(raw(), { kind: 'gate_due', target: 'gate1' })).toBe('2026-12-05T17:00');
    expect(fileValueOf(raw(), { kind: 'task_drop', target: 'O-3' })).toEqual({ id: 'O-3', title: 'Email', owner: 'U02' });
    expect(fileValueOf(raw(), { kind: 'task_add', target: 'O-4' })).toBeNull();
  });

  it('file wins: an override whose field the file changed, whose task is gone or whose added id the file now has, is overruled', () => {
    const due = o('task_due', 'O-2', '2026-12-05T16:00');
    const owner = o('task_owner', 'O-3', 'U01');
    const added = o('task_add', 'O-4', { id: 'O-4', title: 'x', owner: 'U01' });
    const dueOnAdded = o('task_due', 'O-4', '2026-12-05T16:00');
    const drop = o('task_drop', 'O-1', null);
    const gate = o('gate_due', 'gate1', '2026-12-05T18:00');
    const all = [due, owner, added, dueOnAdded, drop, gate];
    expect(partitionOverrides(raw(), all)).toEqual({ kept: all, overruled: [] });

    // the file changed: O-2's due moved, O-1 is gone, the added id is now written (in another case)
    const doc = raw() as { workstreams: { omega: { tasks: Record<string, unknown>[] } }; gates: Record<string, unknown>[] };
    doc.workstreams.omega.tasks[1]!.due = '2026-12-05T15:45';
    doc.workstreams.omega.tasks.splice(0, 1);
    doc.workstreams.omega.tasks.push({ id: 'o-4', title: 'now in the file', owner: 'U01' });
    const { kept, overruled } = partitionOverrides(doc, all);
    expect(overruled.map((x) => [x.override.id, x.reason])).toEqual([
      [added.id, 'file changed: (none) → task O-4 in the file'],
      [due.id, 'file changed: 2026-12-05T15:00 → 2026-12-05T15:45'],
      [dueOnAdded.id, 'file changed: task O-4 → (gone)'],
      [drop.id, 'file changed: task O-1 → (gone)'],
    ]);
    expect(kept).toEqual([owner, gate]);
  });
});
