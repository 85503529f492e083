import { readFileSync } from 'node:fs';
import { applyPatch } from 'diff';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { overridesAsYamlPatch } from '../../../../src/cli/plan/overrides-yaml.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { type PlanOverride, applyOverrides, fileValueOf } from '../../../../src/config/overrides.js';

const EXAMPLE = readFileSync(new URL('../../../../examples/final-deployment-five-teams.preflight.yml', import.meta.url), 'utf8');

const BLOCK = `program:
  name: L
  timezone: UTC
  pm: U0PM
  channel: C0LAUNCH
workstreams:
  ws1:
    name: W   # the broker team
    channel: C0WS1
    leads: [U0LEAD]
    members: [U01, U02]
    tasks:
      - id: T1
        title: MongoDB
        owner: U01
      - id: T2
        title: OAuth
        owner: U02
        due: "2026-12-05T15:00"
        requires: [T1]
  ws2:
    name: V
    channel: C0WS2
    members: [U02]
gates:
  - id: gate1
    name: Gate 1
    sign_off: [U0PM]
`;

let next = 1;
const o = (text: string, kind: PlanOverride['kind'], target: string, value: unknown, workstreamId: string | null = null): PlanOverride => {
  const base = { id: next++, kind, target, workstreamId, value, fileValue: null };
  return { ...base, fileValue: fileValueOf(parseDocument(text).toJS(), base) };
};
/** The patch applied to the file gives the plan the overrides give (the schema's view of both). */
const samePlan = (text: string, overrides: PlanOverride[]) => {
  const patched = applyPatch(text, overridesAsYamlPatch(overrides, text));
  expect(patched).not.toBe(false);
  expect(parseWorkspaceConfig(patched as string, 'patched.yml')).toEqual(parseWorkspaceConfig(text, 'file.yml', (raw) => applyOverrides(raw, overrides)));
  return patched as string;
};

describe('overridesAsYamlPatch (issue 20: npm run plan -- --overrides --format yaml)', () => {
  it('writes each kind into a block-style file, keeping its comments, as a unified diff', () => {
    const overrides = [
      o(BLOCK, 'task_due', 'T2', '2026-12-05T16:00', 'ws1'),
      o(BLOCK, 'task_due', 'T1', '2026-12-05T14:30', 'ws1'),
      o(BLOCK, 'task_owner', 'T1', 'U02', 'ws1'),
      o(BLOCK, 'gate_due', 'gate1', '2026-12-05T18:00'),
      o(BLOCK, 'task_add', 'T3', { id: 'T3', title: 'Load test: the broker', owner: 'U01', due: '2026-12-05T15:30', estimate: 2, requires: ['T2'] }, 'ws1'),
      o(BLOCK, 'task_add', 'V-1', { id: 'V-1', title: 'Smoke', owner: 'U02' }, 'ws2'),
    ];
    const patch = overridesAsYamlPatch(overrides, BLOCK);
    expect(patch).toContain('--- preflight.yml\n+++ preflight.yml\n');
    expect(patch).toContain('-        due: "2026-12-05T15:00"\n+        due: "2026-12-05T16:00"');
    expect(patch).toContain('+        due: "2026-12-05T14:30"');
    expect(patch).toContain('-        owner: U01\n+        owner: U02');
    expect(patch).toContain('+    due: "2026-12-05T18:00"');
    expect(patch).toContain('+      - id: T3\n+        title: "Load test: the broker"');
    expect(patch).toContain('+    tasks:\n+      - { id: V-1, title: Smoke, owner: U02 }');
    const patched = samePlan(BLOCK, overrides);
    expect(patched).toContain('name: W   # the broker team');
  });

  it('writes into seed 000’s flow-style tasks, drops a task’s line, and leaves out what the file overrules', () => {
    const overrides = [
      o(EXAMPLE, 'task_due', 'O-2', '2025-11-13T16:00', 'omega'),
      o(EXAMPLE, 'task_owner', 'O-3', 'UOMEGA0A', 'omega'),
      o(EXAMPLE, 'task_drop', 'O-6', null, 'omega'),
      o(EXAMPLE, 'task_add', 'O-7', { id: 'O-7', title: 'Load test the broker', owner: 'UOMEGA0B', due: '2025-11-13T15:30', priority: 'P1', requires: ['O-2'] }, 'omega'),
    ];
    const patch = overridesAsYamlPatch(overrides, EXAMPLE);
    expect(patch).toMatch(/\+ {6}- \{ id: O-2, title: OAuth, owner: UOMEGA0B, due: "2025-11-13T16:00" \} +# L79/);
    expect(patch).toMatch(/-\s+- \{ id: O-6, title: AI, owner: UOMEGA0B, due: "2025-11-13T13:00" \}/);
    expect(patch).toContain('+      - { id: O-7, title: Load test the broker, owner: UOMEGA0B, due: 2025-11-13T15:30, priority: P1, requires: [ O-2 ] }');
    samePlan(EXAMPLE, overrides);

    // an override whose field the file has changed since is not written back (file wins)
    const stale = { ...o(EXAMPLE, 'task_due', 'O-1', '2025-11-13T16:00', 'omega'), fileValue: '2025-11-13T09:00' };
    expect(overridesAsYamlPatch([stale], EXAMPLE)).toBe('');
    expect(overridesAsYamlPatch([], EXAMPLE)).toBe('');
  });
});
