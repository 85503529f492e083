import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { DateTime } from 'luxon';
import { buildPreview } from '../../../../src/services/preview/build.js';
import type { LiveState } from '../../../../src/services/preview/live-state.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// issue 22: the preview resolves `oncall:<id>` levels of a rotation written in preflight.yml at each step's due time
const YAML = aConfig({
  program: { name: 'Launch', oncall: { web: { name: 'Web', members: ['U0DAY', 'U0NIGHT'], handoff: '09:00', shift: '12h', zone: 'UTC', start: '2026-12-07' } } },
  tasks: {
    escalation: [
      { after: '5m', notify: 'oncall:web' },
      { after: '13h', notify: ['pm', 'oncall:web'] },
    ],
  },
  workstreams: [aWorkstream({ tasks: [{ id: 'W-1', title: 'Ship', owner: 'U01', due: '2026-12-07T20:55' }] })],
});

describe('buildPreview with an on-call rotation as a ladder target', () => {
  it('pings whoever the rotation has on call when each level fires', () => {
    const config = resolveProgram(parseWorkspaceConfig(YAML, 'test.yml'));
    const p = buildPreview(config, null, '2026-12-07', 2);
    const esc = p.events
      .filter((e) => e.kind === 'task_escalation')
      .map((e) => [e.at.toISO(), e.to])
      .sort((a, b) => String(a).localeCompare(String(b)));
    // the owner at the due time, then the rotation's night person at 21:00 and, next morning, the PM and the day person
    expect(esc).toEqual([
      ['2026-12-07T20:55:00.000Z', 'U01'],
      ['2026-12-07T21:00:00.000Z', 'U0NIGHT'],
      ['2026-12-08T09:55:00.000Z', 'U0DAY'],
      ['2026-12-08T09:55:00.000Z', 'U0PM'],
    ]);
  });

  it('a feed rotation (PagerDuty): whoever its last known shifts have on call at each step; nobody known: no ping', () => {
    const yaml = aConfig({
      program: { name: 'Launch', oncall: { ops: { name: 'Ops', pagerduty: { schedule: 'PXXXXXX' } } } },
      tasks: { escalation: [{ after: '5m', notify: 'oncall:ops' }] },
      workstreams: [
        aWorkstream({
          tasks: [
            { id: 'W-1', title: 'Ship', owner: 'U01', due: '2026-12-07T20:55' },
            { id: 'W-2', title: 'Docs', owner: 'U01', due: '2026-12-08T08:55' },
          ],
        }),
      ],
    });
    const config = resolveProgram(parseWorkspaceConfig(yaml, 'test.yml'));
    const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });
    const live: LiveState = {
      outOfOffice: [],
      skips: [],
      startedRuns: [],
      gateStatus: new Map(),
      gateSigned: new Map(),
      startGates: new Map(),
      gatesEscalating: new Set(),
      doneIds: new Set(),
      tasksEscalating: new Set(),
      blockers: [],
      // one known shift, until 2026-12-08 06:00 UTC: W-2's step at 09:00 falls after it
      oncallShifts: new Map([['ops', [{ start: utc('2026-12-07T18:00'), end: utc('2026-12-08T06:00'), person: 'U0OPS' }]]]),
    };
    const steps = (l: LiveState | null) =>
      buildPreview(config, l, '2026-12-07', 2)
        .events.filter((e) => e.kind === 'task_escalation' && e.taskId !== undefined && e.to !== 'U01')
        .map((e) => [e.taskId, e.at.toISO(), e.to]);
    expect(steps(live)).toContainEqual(['W-1', '2026-12-07T21:00:00.000Z', 'U0OPS']);
    expect(steps(live).filter(([, , to]) => to === 'U0OPS')).toHaveLength(1);
    // without the live state (no database) a feed's person is not known: no step pings anyone from it
    expect(steps(null).filter(([, , to]) => to === 'U0OPS')).toHaveLength(0);
  });
});
