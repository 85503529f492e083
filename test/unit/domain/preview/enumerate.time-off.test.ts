import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import type { Preview } from '../../../../src/domain/preview/events.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import type { LiveState } from '../../../../src/services/preview/live-state.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 22: the preview shows who would be pinged at each ladder step with time off applied. A fixed week
// (Tue 1 Dec 2026, New York, no DST change) and a blocker from the live state.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', execs: ['U0EXEC'], delegates: [{ person: 'U0PM', delegate: 'U0DEP' }] },
  workstreams: [aWorkstream({ id: 'api', name: 'API', channel: 'C0API', leads: ['U0LEAD'], members: ['U0ANN', 'U0DEP'] })],
});
const config = parseWorkspaceConfig(YAML, 'test.yml');
const raisedAt = DateTime.fromISO('2026-12-01T15:00:00Z');
const live = (outOfOffice: LiveState['outOfOffice']): LiveState => ({
  outOfOffice,
  skips: [],
  startedRuns: [],
  gateStatus: new Map(),
  gateSigned: new Map(),
  doneIds: new Set(),
  tasksEscalating: new Set(),
  startGates: new Map(),
  gatesEscalating: new Set(),
  blockers: [
    {
      id: 7,
      severity: 'P0',
      text: 'Staging DB is down',
      workstreamId: 'api',
      policy: {
        stopWhen: 'resolved',
        ladder: [
          { afterMs: 5 * 60_000, notify: 'lead' },
          { afterMs: 15 * 60_000, notify: 'pm' },
          { afterMs: 30 * 60_000, notify: 'exec' },
        ],
      },
      state: { raisedAt, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] },
      roles: { leads: ['U0LEAD'], pm: 'U0PM', execs: ['U0EXEC'] },
    },
  ],
});
const steps = (p: Preview) => p.events.filter((e) => e.kind === 'blocker_escalation').map((e) => `${e.at.setZone(e.zone).toFormat('HH:mm')} ${e.to ?? '-'} ${e.summary}`);

describe('preview: ladder steps with time off (issue 22)', () => {
  it('sends an away person’s step to their delegate, and skips a step nobody covers with the next level at once', () => {
    const p = buildPreview(
      config,
      live([
        { userId: 'U0LEAD', from: '2026-11-30', until: '2026-12-02' },
        { userId: 'U0PM', from: '2026-11-30', until: '2026-12-02' },
      ]),
      '2026-12-01',
      1,
    );
    expect(steps(p)).toEqual([
      '10:05 - B-7 (P0) “Staging DB is down”: escalation level 1 skipped: U0LEAD is away until 2 Dec; no delegate is covering; the next level goes at once',
      '10:05 U0DEP B-7 (P0) “Staging DB is down”: escalation level 2 (🌴 U0PM is away until 2 Dec; U0DEP is covering)',
      '10:30 U0EXEC B-7 (P0) “Staging DB is down”: escalation level 3',
    ]);
  });

  it('is the plain ladder when nobody is away', () => {
    expect(steps(buildPreview(config, live([]), '2026-12-01', 1)).map((l) => l.slice(0, 12))).toEqual(['10:05 U0LEAD', '10:15 U0PM B', '10:30 U0EXEC']);
  });
});
