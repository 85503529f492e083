import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
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
});
