import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { runDateToSkip } from '../../../../src/services/standups/members.js';
import { workstreamStandup } from '../../../../src/services/standups/plans.js';

const config = parseWorkspaceConfig(
  `
program: { name: L, timezone: America/New_York, pm: U0PM, channel: C0L }
workstreams:
  ws1: { name: W, channel: C0W, members: [U0NY, { id: U0TYO, timezone: Asia/Tokyo }], standup: { at: "10:00", close_after: 2h } }
`,
  'test.yml',
);
const ws = workstreamStandup(config, 'ws1');

describe('/standup skip picks the run that will prompt this member next', () => {
  it('for a member in the workstream zone: today before the close, the next workday after', () => {
    expect(runDateToSkip(ws, 'U0NY', DateTime.fromISO('2026-02-03T13:00:00Z'))).toBe('2026-02-03'); // 08:00 NY Tue
    expect(runDateToSkip(ws, 'U0NY', DateTime.fromISO('2026-02-03T18:00:00Z'))).toBe('2026-02-04'); // 13:00 NY Tue, closed
  });
  it('for a member east of it (Tokyo in a New York workstream): the workstream’s "tomorrow"', () => {
    // Tue 08:00 in Tokyo is Mon 18:00 in New York: Tokyo's next prompt is at its 10:00 on the NY-dated Tuesday run
    expect(runDateToSkip(ws, 'U0TYO', DateTime.fromISO('2026-02-02T23:00:00Z'))).toBe('2026-02-03');
  });
});
